package dev.synedge.exchange;

/**
 * A timeout for one exchange or client connection, kept by its loop's {@link Deadlines}.
 * Setting, moving and clearing it are field writes and O(1) list links: no scheduled task per
 * request, no priority queue. The loop checks all deadlines every
 * {@link Deadlines#SWEEP_NANOS}, so a timeout fires up to that much late.
 */
final class Deadline {

    private final Deadlines owner;
    private final Runnable onExpiry;
    long atNanos;
    Deadline prev;
    Deadline next;
    boolean linked;

    Deadline(Deadlines owner, Runnable onExpiry) {
        this.owner = owner;
        this.onExpiry = onExpiry;
    }

    /** Expires {@code delayNanos} from now, replacing any earlier setting. */
    void set(long delayNanos) {
        atNanos = System.nanoTime() + delayNanos;
        if (!linked) {
            owner.link(this);
        }
    }

    void clear() {
        if (linked) {
            owner.unlink(this);
        }
    }

    boolean isSet() {
        return linked;
    }

    void expire() {
        onExpiry.run();
    }
}
