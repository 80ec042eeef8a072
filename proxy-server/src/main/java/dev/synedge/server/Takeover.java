package dev.synedge.server;

import dev.synedge.net.Errno;
import dev.synedge.net.LinuxSocket;
import dev.synedge.net.NativeException;
import dev.synedge.net.UnixSocket;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The new process's side of a takeover: it asks the running synedge listening on the takeover
 * socket for its listening sockets, starts on them, then says it is ready; the running one
 * then releases the takeover socket and drains. Until "ready" the running one serves as if
 * nothing happened, so a new process that fails to start loses nothing.
 *
 * <p>The exchange, one Unix seqpacket message each (descriptors ride with "listener"):
 * <pre>
 *   new: synedge-takeover 1
 *   old: listener NAME        (with the listener's sockets), once per listener
 *   old: end
 *   new: ready
 *   old: released             (the old one no longer listens on the takeover socket)
 * </pre>
 */
public final class Takeover implements AutoCloseable {

    static final String HELLO = "synedge-takeover 1";
    static final String LISTENER = "listener ";
    static final String END = "end";
    static final String READY = "ready";
    static final String RELEASED = "released";
    static final String REFUSED = "refused ";
    private static final int REPLY_MILLIS = 10_000;

    private final UnixSocket socket;
    private final Path path;
    private final Map<String, List<Integer>> listeners;

    private Takeover(UnixSocket socket, Path path, Map<String, List<Integer>> listeners) {
        this.socket = socket;
        this.path = path;
        this.listeners = listeners;
    }

    /** Whether a synedge listens for takeovers at {@code path} (a file nothing listens on is stale). */
    public static boolean answers(Path path) {
        try (UnixSocket probe = UnixSocket.connect(path)) {
            return true;
        } catch (NativeException e) {
            return false;
        }
    }

    /** Asks the synedge at {@code path} for its listening sockets. */
    public static Takeover from(Path path) throws IOException {
        UnixSocket socket;
        try {
            socket = UnixSocket.connect(path);
        } catch (NativeException e) {
            String why = e.errno() == Errno.ECONNREFUSED || e.errno() == Errno.ENOENT
                    ? "no synedge listens there" : e.getMessage();
            throw new IOException("takeover: " + path + ": " + why, e);
        }
        Map<String, List<Integer>> listeners = new HashMap<>();
        try {
            socket.send(HELLO);
            while (true) {
                UnixSocket.Message message = socket.receive(REPLY_MILLIS);
                String text = message.text();
                if (text.startsWith(LISTENER)) {
                    listeners.put(text.substring(LISTENER.length()),
                            new ArrayList<>(Arrays.stream(message.fds()).boxed().toList()));
                } else if (text.equals(END)) {
                    return new Takeover(socket, path, listeners);
                } else {
                    closeAll(message.fds());
                    throw new IOException("takeover: " + path + ": "
                            + (text.startsWith(REFUSED) ? text.substring(REFUSED.length())
                            : message.atEnd() ? "the running synedge hung up" : "unexpected reply: " + text));
                }
            }
        } catch (IOException | RuntimeException e) {
            listeners.values().forEach(fds -> fds.forEach(Takeover::closeFd));
            socket.close();
            if (e instanceof NativeException || e instanceof RuntimeException) {
                throw new IOException("takeover: " + path + ": " + e.getMessage(), e);
            }
            throw (IOException) e;
        }
    }

    /**
     * The listening sockets of the running synedge by listener name; whoever starts on one
     * takes it out of here. {@link #close} closes the ones nobody took.
     */
    public Map<String, List<Integer>> listeners() {
        return listeners;
    }

    public Path path() {
        return path;
    }

    /**
     * This process accepts on the sockets now: the running one may stop. Returns once it has
     * released the takeover socket, so that this process can listen there.
     */
    public void ready() throws IOException {
        try {
            socket.send(READY);
            UnixSocket.Message reply = socket.receive(REPLY_MILLIS);
            if (!reply.text().equals(RELEASED)) {
                throw new IOException("takeover: " + path + ": expected " + RELEASED + ", got "
                        + (reply.atEnd() ? "a hang-up" : reply.text()));
            }
        } catch (NativeException e) {
            throw new IOException("takeover: " + path + ": " + e.getMessage(), e);
        }
    }

    /** Ends the conversation; a running synedge not told "ready" goes on serving. */
    @Override
    public void close() {
        listeners.values().forEach(fds -> fds.forEach(Takeover::closeFd));
        listeners.clear();
        socket.close();
    }

    private static void closeAll(int[] fds) {
        for (int fd : fds) {
            closeFd(fd);
        }
    }

    private static void closeFd(int fd) {
        LinuxSocket.adopt(fd).close();
    }
}
