package dev.synedge.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An upstream made of a plain {@link ServerSocket}, for byte-exact tests: it records every byte
 * each connection delivered and answers each complete request as a {@link Script} says, with
 * any bytes at all (invalid responses included), a close, a reset or silence.
 *
 * <p>It frames requests itself (Content-Length or chunked, nothing else), independently of the
 * proxy's codec, so it checks what the proxy forwarded rather than trusting it.
 */
public final class RecordingUpstream implements AutoCloseable {

    /** One request as it arrived: connection number (from 0), its index on that connection, head and body bytes. */
    public record Request(int connection, int index, byte[] bytes) {
        public String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }

        /** The head through its empty line. */
        public String head() {
            String t = text();
            return t.substring(0, t.indexOf("\r\n\r\n") + 4);
        }

        /** The body bytes as framed on the wire. */
        public String body() {
            String t = text();
            return t.substring(t.indexOf("\r\n\r\n") + 4);
        }
    }

    /** What the upstream does once a request is complete. */
    public sealed interface Action {
        /** Writes {@code bytes} after {@code delayMillis}; with {@code thenClose} closes (FIN) after them. */
        record Respond(byte[] bytes, boolean thenClose, long delayMillis) implements Action {}

        /**
         * Writes each piece after a pause of {@code gapMillis} (none before the first); with
         * {@code thenClose} closes (FIN) after the last.
         */
        record Pieces(List<byte[]> pieces, long gapMillis, boolean thenClose) implements Action {}

        /** Closes the connection (FIN) without answering. */
        record Close() implements Action {}

        /** Resets the connection (RST) without answering. */
        record Reset() implements Action {}

        /** Answers nothing and keeps the connection open. */
        record Silence() implements Action {}

        static Action respond(String text) {
            return new Respond(text.getBytes(StandardCharsets.ISO_8859_1), false, 0);
        }

        static Action pieces(long gapMillis, String... pieces) {
            List<byte[]> bytes = new ArrayList<>();
            for (String piece : pieces) {
                bytes.add(piece.getBytes(StandardCharsets.ISO_8859_1));
            }
            return new Pieces(bytes, gapMillis, false);
        }

        static Action respondAndClose(String text) {
            return new Respond(text.getBytes(StandardCharsets.ISO_8859_1), true, 0);
        }
    }

    /** Decides the answer to each request. Runs on the connection's own thread. */
    @FunctionalInterface
    public interface Script {
        Action answer(Request request);
    }

    /** A 200 with a short body and Content-Length, for every request. */
    public static final Script OK = request -> Action.respond(
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

    private final ServerSocket server;
    private final Script script;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final List<Request> allRequests = new CopyOnWriteArrayList<>();
    private final long readDelayMillis;
    private final Thread acceptor;
    private volatile boolean closed;

    private RecordingUpstream(Script script, long readDelayMillis) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.script = script;
        this.readDelayMillis = readDelayMillis;
        this.acceptor = Thread.ofPlatform().daemon().name("recording-upstream-accept").start(this::accept);
    }

    public static RecordingUpstream start(Script script) throws IOException {
        return new RecordingUpstream(script, 0);
    }

    /** An upstream that reads nothing on a new connection for {@code readDelayMillis}: a slow taker of bodies. */
    public static RecordingUpstream startSlowReader(Script script, long readDelayMillis) throws IOException {
        return new RecordingUpstream(script, readDelayMillis);
    }

    public int port() {
        return server.getLocalPort();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), port());
    }

    /** Connections accepted so far. */
    public int connectionCount() {
        return connections.size();
    }

    /** Every byte connection {@code n} delivered so far. */
    public byte[] received(int n) {
        return connections.get(n).bytes();
    }

    /** Every byte of every connection, in order of connections. */
    public String receivedText() {
        StringBuilder all = new StringBuilder();
        for (Connection c : connections) {
            all.append(new String(c.bytes(), StandardCharsets.ISO_8859_1));
        }
        return all.toString();
    }

    /** The requests completed so far, in arrival order. */
    public List<Request> requests() {
        return List.copyOf(allRequests);
    }

    /** The next complete request, waiting up to five seconds. */
    public Request nextRequest() throws InterruptedException {
        Request r = requests.poll(5, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no request reached the upstream within 5 s");
        }
        return r;
    }

    /** Waits until the peer (the proxy) closed connection {@code n}; true if it did within {@code millis}. */
    public boolean awaitPeerClosed(int n, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() - deadline < 0) {
            if (n < connections.size() && connections.get(n).peerClosed) {
                return true;
            }
            Thread.sleep(5);
        }
        return false;
    }

    /** Whether the peer has closed connection {@code n} (FIN or RST seen). */
    public boolean peerClosed(int n) {
        return connections.get(n).peerClosed;
    }

    private void accept() {
        int number = 0;
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            Connection c = new Connection(number++, socket);
            connections.add(c);
            Thread.ofPlatform().daemon().name("recording-upstream-" + c.number).start(c::run);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Connection c : connections) {
            c.socket.close();
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Connection {
        final int number;
        final Socket socket;
        private final ByteArrayOutputStream all = new ByteArrayOutputStream();
        volatile boolean peerClosed;

        Connection(int number, Socket socket) {
            this.number = number;
            this.socket = socket;
        }

        synchronized byte[] bytes() {
            return all.toByteArray();
        }

        void run() {
            byte[] pending = new byte[0];
            int index = 0;
            byte[] buf = new byte[65536];
            try (socket) {
                if (readDelayMillis > 0) {
                    Thread.sleep(readDelayMillis);
                }
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                for (;;) {
                    int end;
                    while ((end = requestEnd(pending)) < 0) {
                        int n = in.read(buf);
                        if (n < 0) {
                            peerClosed = true;
                            return;
                        }
                        synchronized (this) {
                            all.write(buf, 0, n);
                        }
                        byte[] more = new byte[pending.length + n];
                        System.arraycopy(pending, 0, more, 0, pending.length);
                        System.arraycopy(buf, 0, more, pending.length, n);
                        pending = more;
                    }
                    byte[] bytes = java.util.Arrays.copyOf(pending, end);
                    pending = java.util.Arrays.copyOfRange(pending, end, pending.length);
                    Request request = new Request(number, index++, bytes);
                    allRequests.add(request);
                    requests.add(request);
                    switch (script.answer(request)) {
                        case Action.Respond r -> {
                            if (r.delayMillis() > 0) {
                                Thread.sleep(r.delayMillis());
                            }
                            out.write(r.bytes());
                            out.flush();
                            if (r.thenClose()) {
                                socket.shutdownOutput();
                                drain(in, buf);
                                return;
                            }
                        }
                        case Action.Pieces p -> {
                            for (int i = 0; i < p.pieces().size(); i++) {
                                if (i > 0) {
                                    Thread.sleep(p.gapMillis());
                                }
                                out.write(p.pieces().get(i));
                                out.flush();
                            }
                            if (p.thenClose()) {
                                socket.shutdownOutput();
                                drain(in, buf);
                                return;
                            }
                        }
                        case Action.Close c -> {
                            socket.shutdownOutput();
                            drain(in, buf);
                            return;
                        }
                        case Action.Reset r -> {
                            socket.setSoLinger(true, 0);
                            return;
                        }
                        case Action.Silence s -> {
                            drain(in, buf);
                            return;
                        }
                    }
                }
            } catch (SocketException e) {
                peerClosed = true;
            } catch (IOException e) {
                peerClosed = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Reads (and records) until the peer closes. */
        private void drain(InputStream in, byte[] buf) throws IOException {
            int n;
            while ((n = in.read(buf)) >= 0) {
                synchronized (this) {
                    all.write(buf, 0, n);
                }
            }
            peerClosed = true;
        }
    }

    /**
     * The end of the first complete request in {@code b} (head plus a Content-Length or chunked
     * body), or -1 when it is not all there.
     */
    static int requestEnd(byte[] b) {
        int headEnd = indexOf(b, 0, "\r\n\r\n");
        if (headEnd < 0) {
            return -1;
        }
        int bodyStart = headEnd + 4;
        String head = new String(b, 0, headEnd, StandardCharsets.ISO_8859_1);
        long contentLength = 0;
        boolean chunked = false;
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                contentLength = Long.parseLong(value);
            } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).endsWith("chunked")) {
                chunked = true;
            }
        }
        if (!chunked) {
            return b.length - bodyStart >= contentLength ? (int) (bodyStart + contentLength) : -1;
        }
        int i = bodyStart;
        for (;;) {
            int lineEnd = indexOf(b, i, "\r\n");
            if (lineEnd < 0) {
                return -1;
            }
            String sizeLine = new String(b, i, lineEnd - i, StandardCharsets.ISO_8859_1);
            int semi = sizeLine.indexOf(';');
            long size = Long.parseLong((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
            i = lineEnd + 2;
            if (size == 0) {
                for (;;) {
                    int trailerEnd = indexOf(b, i, "\r\n");
                    if (trailerEnd < 0) {
                        return -1;
                    }
                    if (trailerEnd == i) {
                        return i + 2;
                    }
                    i = trailerEnd + 2;
                }
            }
            if (b.length < i + size + 2) {
                return -1;
            }
            i += (int) size + 2;
        }
    }

    private static int indexOf(byte[] b, int from, String what) {
        byte[] w = what.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = from; i <= b.length - w.length; i++) {
            for (int j = 0; j < w.length; j++) {
                if (b[i + j] != w[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** All requests' texts, for assertion messages. */
    public List<String> requestTexts() {
        List<String> texts = new ArrayList<>();
        for (Request r : allRequests) {
            texts.add(r.text());
        }
        return texts;
    }
}
