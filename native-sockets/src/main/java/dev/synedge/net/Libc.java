package dev.synedge.net;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The libc calls native-sockets makes, bound once through FFM. Every call captures errno into
 * the calling thread's {@link Scratch}; callers read it with {@link #errno()} right after a
 * negative result. Methods return the raw result: deciding what a failure means (EAGAIN is
 * not an error on a non-blocking socket) is the caller's business.
 */
final class Libc {

    static final int AF_UNIX = 1;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_STREAM = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_SEQPACKET = 5;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_MPTCP = 262;
    static final int SOL_IP = 0;
    static final int SOL_IPV6 = 41;
    static final int SOL_SOCKET = 1;
    static final int SOL_TCP = 6;
    static final int SOL_MPTCP = 284;
    static final int F_DUPFD_CLOEXEC = 1030;
    static final int F_SETPIPE_SZ = 1031;
    static final int F_GETPIPE_SZ = 1032;
    static final int PROT_READ = 1;
    static final int MAP_SHARED = 1;
    static final int MADV_DONTNEED = 4;
    static final long MAP_FAILED = -1L;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final MemoryLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_HANDLE =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle SOCKET = bind("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle BIND = bind("bind", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle LISTEN = bind("listen", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle CONNECT = bind("connect", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle ACCEPT4 = bind("accept4", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    private static final MethodHandle READ = bind("read", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle WRITE = bind("write", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle SEND = bind("send", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
    private static final MethodHandle RECVMSG = bind("recvmsg", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SENDMSG = bind("sendmsg", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle POLL = bind("poll", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle SIGACTION = bind("sigaction", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle GETRLIMIT = bind("getrlimit", JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle SETRLIMIT = bind("setrlimit", JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle READV = bind("readv", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final MethodHandle WRITEV = bind("writev", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final MethodHandle SHUTDOWN = bind("shutdown", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle CLOSE = bind("close", JAVA_INT, JAVA_INT);
    private static final MethodHandle FCNTL = LINKER.downcallHandle(
            LIBC.findOrThrow("fcntl"), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
            ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle GETSOCKOPT =
            bind("getsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    /** Same as GETSOCKOPT but critical: for short calls that never block (TCP_INFO polling). */
    private static final MethodHandle GETSOCKOPT_CRITICAL = LINKER.downcallHandle(
            LIBC.findOrThrow("getsockopt"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS),
            ERRNO, Linker.Option.critical(false));
    private static final MethodHandle SETSOCKOPT =
            bind("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle GETSOCKNAME = bind("getsockname", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle GETPEERNAME = bind("getpeername", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle MMAP =
            bind("mmap", JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final MethodHandle MUNMAP = bind("munmap", JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle MADVISE = bind("madvise", JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
    private static final MethodHandle PIPE2 = bind("pipe2", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SPLICE =
            bind("splice", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);

    private Libc() {}

    private static MethodHandle bind(String name, MemoryLayout result, MemoryLayout... args) {
        return LINKER.downcallHandle(LIBC.findOrThrow(name), FunctionDescriptor.of(result, args), ERRNO);
    }

    /** errno of the calling thread's last call through this class. */
    static int errno() {
        return (int) ERRNO_HANDLE.get(Scratch.get().capture, 0L);
    }

    private static MemorySegment capture() {
        return Scratch.get().capture;
    }

    private static AssertionError linkageFailure(Throwable t) {
        return new AssertionError("FFM downcall failed", t);
    }

    static int socket(int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(capture(), domain, type, protocol);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static int bind(int fd, MemorySegment addr, int len) {
        try {
            return (int) BIND.invokeExact(capture(), fd, addr, len);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static int listen(int fd, int backlog) {
        try {
            return (int) LISTEN.invokeExact(capture(), fd, backlog);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static int connect(int fd, MemorySegment addr, int len) {
        try {
            return (int) CONNECT.invokeExact(capture(), fd, addr, len);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static int accept4(int fd, MemorySegment addr, MemorySegment lenPtr, int flags) {
        try {
            return (int) ACCEPT4.invokeExact(capture(), fd, addr, lenPtr, flags);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static long read(int fd, long address, long length) {
        try {
            return (long) READ.invokeExact(capture(), fd, address, length);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static long write(int fd, long address, long length) {
        try {
            return (long) WRITE.invokeExact(capture(), fd, address, length);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static long send(int fd, long address, long length, int flags) {
        try {
            return (long) SEND.invokeExact(capture(), fd, address, length, flags);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static long recvmsg(int fd, MemorySegment msghdr, int flags) {
        try {
            return (long) RECVMSG.invokeExact(capture(), fd, msghdr, flags);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static long sendmsg(int fd, MemorySegment msghdr, int flags) {
        try {
            return (long) SENDMSG.invokeExact(capture(), fd, msghdr, flags);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static int poll(MemorySegment fds, long count, int timeoutMillis) {
        try {
            return (int) POLL.invokeExact(capture(), fds, count, timeoutMillis);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /** {@code act} or {@code oldact} may be {@link MemorySegment#NULL}. */
    static int sigaction(int signal, MemorySegment act, MemorySegment oldact) {
        try {
            return (int) SIGACTION.invokeExact(capture(), signal, act, oldact);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /** {@code limit}: a struct rlimit, two 64-bit counts (soft, hard). */
    static int getrlimit(int resource, MemorySegment limit) {
        try {
            return (int) GETRLIMIT.invokeExact(capture(), resource, limit);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static int setrlimit(int resource, MemorySegment limit) {
        try {
            return (int) SETRLIMIT.invokeExact(capture(), resource, limit);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static long readv(int fd, long iovAddress, int count) {
        try {
            return (long) READV.invokeExact(capture(), fd, iovAddress, count);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static long writev(int fd, long iovAddress, int count) {
        try {
            return (long) WRITEV.invokeExact(capture(), fd, iovAddress, count);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static int shutdown(int fd, int how) {
        try {
            return (int) SHUTDOWN.invokeExact(capture(), fd, how);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(capture(), fd);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static int dupCloexec(int fd) {
        return fcntl(fd, F_DUPFD_CLOEXEC, 0);
    }

    /** fcntl(2) with one int argument. */
    static int fcntl(int fd, int command, int argument) {
        try {
            return (int) FCNTL.invokeExact(capture(), fd, command, argument);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static int getsockopt(int fd, int level, int name, MemorySegment value, MemorySegment lenPtr) {
        try {
            return (int) GETSOCKOPT.invokeExact(capture(), fd, level, name, value, lenPtr);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static int getsockoptCritical(int fd, int level, int name, MemorySegment value, MemorySegment lenPtr) {
        try {
            return (int) GETSOCKOPT_CRITICAL.invokeExact(capture(), fd, level, name, value, lenPtr);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static int setsockopt(int fd, int level, int name, MemorySegment value, int len) {
        try {
            return (int) SETSOCKOPT.invokeExact(capture(), fd, level, name, value, len);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static int getsockname(int fd, MemorySegment addr, MemorySegment lenPtr) {
        try {
            return (int) GETSOCKNAME.invokeExact(capture(), fd, addr, lenPtr);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static int getpeername(int fd, MemorySegment addr, MemorySegment lenPtr) {
        try {
            return (int) GETPEERNAME.invokeExact(capture(), fd, addr, lenPtr);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static long mmap(long address, long length, int prot, int flags, int fd, long offset) {
        try {
            return (long) MMAP.invokeExact(capture(), address, length, prot, flags, fd, offset);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static int munmap(long address, long length) {
        try {
            return (int) MUNMAP.invokeExact(capture(), address, length);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static int madvise(long address, long length, int advice) {
        try {
            return (int) MADVISE.invokeExact(capture(), address, length, advice);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    static int pipe2(MemorySegment fds, int flags) {
        try {
            return (int) PIPE2.invokeExact(capture(), fds, flags);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /** splice(2) without offsets (both ends are sockets or pipes). */
    static long splice(int fdIn, int fdOut, long length, int flags) {
        try {
            return (long) SPLICE.invokeExact(capture(), fdIn, 0L, fdOut, 0L, length, flags);
        } catch (Throwable t) {
            throw linkageFailure(t);
        }
    }

    /**
     * Per-thread native memory for errno capture and small call arguments (socket addresses,
     * option values, lengths), so that steady-state calls allocate nothing. Calls do not nest,
     * so one buffer per thread is enough; a caller must copy what it needs out of it before its
     * next call through this class.
     */
    static final class Scratch {
        static final int SIZE = 4096;
        private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

        final MemorySegment capture;
        /** General buffer; {@link #len} is separate so a value and its length can coexist. */
        final MemorySegment buf;
        final MemorySegment len;

        private Scratch() {
            Arena arena = Arena.ofAuto();
            capture = arena.allocate(CAPTURE_LAYOUT);
            buf = arena.allocate(SIZE, 16);
            len = arena.allocate(JAVA_INT);
        }

        static Scratch get() {
            return LOCAL.get();
        }
    }
}
