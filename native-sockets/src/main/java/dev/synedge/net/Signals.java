package dev.synedge.net;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/**
 * Signal dispositions a process inherits. A JVM started with a signal ignored (nohup ignores
 * SIGHUP; a non-interactive shell ignores SIGINT in what it starts with {@code &}) keeps it
 * ignored: {@code sun.misc.Signal.handle} then installs nothing and says
 * nothing, so the handler never runs. Making the disposition the default again first lets the
 * handler take.
 */
public final class Signals {

    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGTERM = 15;

    /** x86-64 and arm64 glibc: the handler, the mask (128 bytes), flags and the restorer. */
    private static final int SIGACTION_SIZE = 152;
    private static final long SIG_DFL = 0;
    private static final long SIG_IGN = 1;

    private Signals() {}

    /**
     * Makes {@code signal} take its default action again if it is ignored, and says whether it
     * was. Call it before installing a handler, never after: it leaves a handler alone.
     */
    public static boolean stopIgnoring(int signal) throws NativeException {
        MemorySegment action = Libc.Scratch.get().buf.asSlice(0, SIGACTION_SIZE);
        SocketOptions.check(Libc.sigaction(signal, MemorySegment.NULL, action), "sigaction", "read");
        if (action.get(JAVA_LONG, 0) != SIG_IGN) {
            return false;
        }
        action.fill((byte) 0);
        action.set(JAVA_LONG, 0, SIG_DFL);
        SocketOptions.check(Libc.sigaction(signal, action, MemorySegment.NULL), "sigaction", "SIG_DFL");
        return true;
    }
}
