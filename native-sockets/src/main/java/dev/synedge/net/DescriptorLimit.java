package dev.synedge.net;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * The process's limit on open file descriptors (RLIMIT_NOFILE). Every client and upstream
 * connection holds one, so it bounds how many connections a proxy can have open. accept(2) and
 * socket(2) fail with EMFILE at the soft limit; a process may raise its soft limit up to the
 * hard one without privilege.
 */
public final class DescriptorLimit {

    private static final int RLIMIT_NOFILE = 7;
    /** struct rlimit on 64-bit Linux: rlim_cur, rlim_max. */
    private static final int RLIMIT_SIZE = 16;

    /** RLIM_INFINITY as a signed count: no limit. */
    public static final long UNLIMITED = -1;

    /** Soft and hard limit; either may be {@link #UNLIMITED}. */
    public record Values(long soft, long hard) {

        /** The soft limit is as high as it may go. */
        public boolean atHard() {
            return soft == hard;
        }
    }

    private DescriptorLimit() {}

    public static Values get() throws NativeException {
        MemorySegment limit = Libc.Scratch.get().buf.asSlice(0, RLIMIT_SIZE);
        SocketOptions.check(Libc.getrlimit(RLIMIT_NOFILE, limit), "getrlimit", "RLIMIT_NOFILE");
        return new Values(limit.get(JAVA_LONG, 0), limit.get(JAVA_LONG, 8));
    }

    /** Raises the soft limit to the hard limit, and returns the limits now in effect. */
    public static Values raiseToHard() throws NativeException {
        Values now = get();
        if (now.atHard()) {
            return now;
        }
        MemorySegment limit = Libc.Scratch.get().buf.asSlice(0, RLIMIT_SIZE);
        limit.set(JAVA_LONG, 0, now.hard());
        limit.set(JAVA_LONG, 8, now.hard());
        SocketOptions.check(Libc.setrlimit(RLIMIT_NOFILE, limit), "setrlimit", "RLIMIT_NOFILE " + now.hard());
        return get();
    }
}
