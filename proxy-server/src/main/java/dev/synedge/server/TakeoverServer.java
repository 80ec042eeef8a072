package dev.synedge.server;

import dev.synedge.listener.BoundListener;
import dev.synedge.net.NativeException;
import dev.synedge.net.UnixSocket;
import io.netty.channel.Channel;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running process's side of a takeover ({@link Takeover} gives the exchange): listens on
 * the takeover socket on a thread of its own, hands a new process the listening sockets, and
 * once that one says it accepts on them, releases the takeover socket and drains. A new
 * process that hangs up or fails before that changes nothing here.
 */
final class TakeoverServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TakeoverServer.class);
    private static final int ACCEPT_POLL_MILLIS = 200;
    private static final int HELLO_MILLIS = 5_000;
    /** How long a new process may take from receiving the sockets to accepting on them. */
    private static final int READY_MILLIS = 60_000;

    private final ProxyServer server;
    private final Path path;
    private final UnixSocket socket;
    private final Runnable onHandover;
    private volatile boolean closed;
    private volatile boolean released;

    private TakeoverServer(ProxyServer server, Path path, UnixSocket socket, Runnable onHandover) {
        this.server = server;
        this.path = path;
        this.socket = socket;
        this.onHandover = onHandover;
    }

    /**
     * Listens at {@code path}, replacing a stale socket file; fails when a synedge still
     * answers there.
     */
    static TakeoverServer start(ProxyServer server, Path path, Runnable onHandover) throws IOException {
        if (Files.exists(path)) {
            if (Takeover.answers(path)) {
                throw new IOException("takeover-socket " + path + ": another synedge answers there;"
                        + " start with --takeover to replace it, or stop it first");
            }
            Files.delete(path);
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        UnixSocket socket;
        try {
            socket = UnixSocket.listen(path);
        } catch (NativeException e) {
            throw new IOException("takeover-socket " + path + ": " + e.getMessage(), e);
        }
        TakeoverServer takeovers = new TakeoverServer(server, path, socket, onHandover);
        Thread.ofPlatform().name("synedge-takeover").daemon().start(takeovers::serve);
        log.info("takeover: a new synedge started with --takeover takes over through {}", path);
        return takeovers;
    }

    private void serve() {
        while (!closed) {
            UnixSocket peer;
            try {
                peer = socket.accept(ACCEPT_POLL_MILLIS);
            } catch (NativeException e) {
                if (!closed) {
                    log.warn("takeover: {}: {}; no more takeovers through it", path, e.getMessage());
                }
                return;
            }
            if (peer == null) {
                continue;
            }
            boolean handedOver = false;
            try (peer) {
                handedOver = handOver(peer);
            } catch (IOException e) {
                log.warn("takeover: {}; this synedge goes on serving", e.getMessage());
            }
            if (handedOver) {
                server.drain(server.config().lifecycle().drainTimeout());
                return;
            }
        }
    }

    /** Returns true when the new process accepts on the sockets (this one must drain then). */
    private boolean handOver(UnixSocket peer) throws IOException {
        UnixSocket.Message hello = peer.receive(HELLO_MILLIS);
        if (!hello.text().equals(Takeover.HELLO)) {
            peer.send(Takeover.REFUSED + "not a takeover request");
            throw new IOException("a client sent '" + hello.text() + "' instead of a takeover request");
        }
        if (server.state() != ProxyServer.State.RUNNING) {
            peer.send(Takeover.REFUSED + "this synedge is " + server.state().name().toLowerCase());
            return false;
        }
        int sockets = 0;
        for (BoundListener listener : server.listeners()) {
            List<Channel> channels = listener.channels();
            for (int from = 0; from < channels.size(); from += UnixSocket.MAX_FDS) {
                int[] fds = channels.subList(from, Math.min(channels.size(), from + UnixSocket.MAX_FDS)).stream()
                        .mapToInt(channel -> ((UnixChannel) channel).fd().intValue()).toArray();
                peer.send(Takeover.LISTENER + listener.name(), fds);
                sockets += fds.length;
            }
        }
        peer.send(Takeover.END);
        log.info("takeover: {} listening socket(s) of {} listener(s) handed to a new process; waiting for it",
                sockets, server.listeners().size());
        UnixSocket.Message ready = peer.receive(READY_MILLIS);
        if (!ready.text().equals(Takeover.READY)) {
            throw new IOException("the new process " + (ready.atEnd() ? "hung up" : "said '" + ready.text() + "'")
                    + " before it was ready");
        }
        release();
        onHandover.run();
        peer.send(Takeover.RELEASED);
        log.info("takeover: the new process accepts on the listening sockets; this one drains");
        return true;
    }

    /** Stops listening for takeovers and gives the path up, to the new process. */
    private void release() {
        closed = true;
        released = true;
        socket.close();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("takeover: could not remove {}: {}", path, e.getMessage());
        }
    }

    /** Stops listening; the socket file is removed unless it was handed to a new process. */
    @Override
    public void close() {
        if (!released) {
            release();
        }
    }
}
