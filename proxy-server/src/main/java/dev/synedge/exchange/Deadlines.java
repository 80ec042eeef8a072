package dev.synedge.exchange;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The timeouts of one event loop: an intrusive list of set {@link Deadline}s swept every
 * {@link #SWEEP_NANOS} by one periodic task. Exchanges set and clear timeouts several times
 * each; doing that with scheduled tasks cost a priority-queue insert and removal every time
 * (measured on the /hello keep-alive profile); here it is a field write. Loop thread only.
 */
final class Deadlines {

    static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Deadline head = new Deadline(this, () -> { });
    private final List<Deadline> expired = new ArrayList<>();

    Deadlines(EventLoop loop) {
        head.prev = head;
        head.next = head;
        loop.scheduleAtFixedRate(this::sweep, SWEEP_NANOS, SWEEP_NANOS, TimeUnit.NANOSECONDS);
    }

    Deadline create(Runnable onExpiry) {
        return new Deadline(this, onExpiry);
    }

    void link(Deadline d) {
        d.prev = head.prev;
        d.next = head;
        head.prev.next = d;
        head.prev = d;
        d.linked = true;
    }

    void unlink(Deadline d) {
        d.prev.next = d.next;
        d.next.prev = d.prev;
        d.prev = null;
        d.next = null;
        d.linked = false;
    }

    /** Unlinks every expired deadline first, then runs them: expiry code may set or clear any. */
    private void sweep() {
        long now = System.nanoTime();
        for (Deadline d = head.next; d != head; d = d.next) {
            if (now - d.atNanos >= 0) {
                expired.add(d);
            }
        }
        for (Deadline d : expired) {
            unlink(d);
        }
        for (Deadline d : expired) {
            if (!d.linked) {
                // not set again by an expiry that ran before it
                d.expire();
            }
        }
        expired.clear();
    }
}
