package dev.synedge.body;

import dev.synedge.net.LinuxSocket;
import dev.synedge.net.NativeException;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.Future;

/**
 * Output readiness of a client socket that Netty owns, for a splice that writes into it behind
 * Netty's back. The socket's own fd is Netty's registration; epoll keys registrations by fd
 * number, so this registers a dup of it (edge-triggered output) on the same loop, and must be
 * {@link #close closed} (cancelled, then the dup closed) when the splice ends: an epoll entry
 * lives as long as its file is open anywhere, which the client channel keeps it.
 */
final class ClientOutputWatch implements EpollIoHandle {

    private static final EpollIoOps INTEREST = EpollIoOps.EPOLLOUT.with(EpollIoOps.EPOLLET);

    private final LinuxSocket dup;
    private final FileDescriptor nettyFd;
    private final Runnable onWritable;
    private IoRegistration registration;
    private boolean closed;

    private ClientOutputWatch(LinuxSocket dup, Runnable onWritable) {
        this.dup = dup;
        this.nettyFd = new FileDescriptor(dup.fd());
        this.onWritable = onWritable;
    }

    /** Watches {@code clientFd}; {@code onWritable} runs on the loop at each output edge. */
    static ClientOutputWatch open(IoEventLoop loop, int clientFd, Runnable onWritable) throws NativeException {
        ClientOutputWatch watch = new ClientOutputWatch(LinuxSocket.dupOf(clientFd), onWritable);
        Future<IoRegistration> registered = loop.register(watch);
        if (!registered.isSuccess()) {
            watch.close();
            throw new IllegalStateException("epoll registration of a client fd dup failed", registered.cause());
        }
        watch.registration = registered.getNow();
        watch.registration.submit(INTEREST);
        return watch;
    }

    @Override
    public FileDescriptor fd() {
        return nettyFd;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        if (!closed) {
            onWritable.run();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (registration != null) {
            registration.cancel();
        }
        dup.close();
    }
}
