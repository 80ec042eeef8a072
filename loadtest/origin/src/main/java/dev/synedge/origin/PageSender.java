package dev.synedge.origin;

import dev.synedge.net.LinuxSocket;
import dev.synedge.net.NativeException;
import dev.synedge.net.SocketOptions;
import dev.synedge.net.ZeroCopySender;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load-test origin that sends sized bodies with {@code MSG_ZEROCOPY}: on loopback it stands in
 * for a header-split NIC. The kernel copies zero-copy sends into fresh whole pages as it
 * delivers them, so a receiver on this host holds every segment as pages from offset 0, which
 * zero-copy receive maps whole. From the Netty origin only part of a body maps (its sends fill
 * pages from wherever the last send stopped, so segments start mid-page).
 *
 * <p>Serves GET and HEAD of the sized paths ({@code /1m}, {@code /16m.bin}) with the same bytes
 * and {@code X-Body-Checksum} as the Netty origin ({@link BodyPattern}), keep-alive, one request at a time per connection;
 * anything else gets 404 or 405. One platform thread per connection, blocking in poll: this is
 * a benchmark tool, not a server.
 */
public final class PageSender implements AutoCloseable {

    private static final int HEAD_LIMIT = 16 << 10;
    /** Room for a response head: a status line and three short fields. */
    private static final int HEAD_OUT_LIMIT = 512;
    private static final int POLL_MILLIS = 200;

    private final LinuxSocket listener;
    private final MemorySegment block;
    private final Thread acceptor;
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean closed;

    private PageSender(LinuxSocket listener) {
        this.listener = listener;
        this.block = Arena.ofAuto().allocate(BodyPattern.BLOCK_LENGTH, 4096);
        for (int i = 0; i < BodyPattern.BLOCK_LENGTH; i++) {
            block.set(ValueLayout.JAVA_BYTE, i, BodyPattern.byteAt(i));
        }
        this.acceptor = new Thread(this::acceptLoop, "page-sender-accept");
    }

    /** Listens on {@code bind}:{@code port} (0 picks one) and serves until {@link #close()}. */
    public static PageSender start(InetAddress bind, int port) throws NativeException {
        InetSocketAddress local = new InetSocketAddress(bind, port);
        LinuxSocket listener = LinuxSocket.openFor(local, LinuxSocket.Protocol.TCP);
        try {
            SocketOptions.setReuseAddress(listener.fd(), true);
            listener.bind(local);
            listener.listen(1024);
        } catch (NativeException e) {
            listener.close();
            throw e;
        }
        PageSender sender = new PageSender(listener);
        sender.acceptor.start();
        return sender;
    }

    public InetSocketAddress address() throws NativeException {
        return listener.localAddress();
    }

    @Override
    public void close() {
        closed = true;
        try {
            acceptor.join(2 * POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        listener.close();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                if (!listener.awaitReadable(POLL_MILLIS)) {
                    continue;
                }
                LinuxSocket socket = listener.accept();
                if (socket != null) {
                    Thread thread = new Thread(() -> serve(socket), "page-sender-" + connections.incrementAndGet());
                    thread.setDaemon(true);
                    thread.start();
                }
            } catch (NativeException e) {
                if (!closed) {
                    System.err.println("synedge origin (page sender): " + e.getMessage());
                }
                return;
            }
        }
    }

    private void serve(LinuxSocket socket) {
        try (socket; Arena arena = Arena.ofConfined()) {
            SocketOptions.setNoDelay(socket.fd(), true);
            ZeroCopySender sender = ZeroCopySender.enable(socket.fd());
            MemorySegment in = arena.allocate(HEAD_LIMIT);
            MemorySegment out = arena.allocate(HEAD_OUT_LIMIT);
            int filled = 0;
            while (!closed) {
                int headEnd = headEnd(in, filled);
                if (headEnd < 0) {
                    if (filled == HEAD_LIMIT) {
                        respond(socket, out, "431 Request Header Fields Too Large", 0, true);
                        return;
                    }
                    int n = socket.read(in.address() + filled, HEAD_LIMIT - filled);
                    if (n == LinuxSocket.EOF) {
                        return;
                    }
                    if (n == LinuxSocket.WOULD_BLOCK) {
                        // Completions still queued would wake poll at once, again and again.
                        sender.reap();
                        socket.awaitReadable(POLL_MILLIS);
                    } else {
                        filled += n;
                    }
                    continue;
                }
                String head = new String(in.asSlice(0, headEnd).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1);
                MemorySegment.copy(in, headEnd, in, 0, filled - headEnd);
                filled -= headEnd;
                if (!answer(socket, sender, out, head)) {
                    return;
                }
            }
        } catch (NativeException e) {
            // The client went away mid-response (EPIPE, ECONNRESET): nothing to tell anyone.
        }
    }

    /** Answers one request; returns whether the connection stays open. */
    private boolean answer(LinuxSocket socket, ZeroCopySender sender, MemorySegment out, String head) throws NativeException {
        String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
        boolean close = head.toLowerCase(Locale.ROOT).contains("\r\nconnection: close");
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            respond(socket, out, "400 Bad Request", 0, true);
            return false;
        }
        boolean get = requestLine[0].equals("GET");
        if (!get && !requestLine[0].equals("HEAD")) {
            respond(socket, out, "405 Method Not Allowed", 0, true);
            return false;
        }
        long size = sizeOf(requestLine[1]);
        if (size < 0) {
            respond(socket, out, "404 Not Found", 0, close);
            return !close;
        }
        respond(socket, out, "200 OK\r\nX-Body-Checksum: %08x".formatted(BodyPattern.crc32c(size)), size, close);
        if (get) {
            sendBody(socket, sender, size);
        }
        return !close;
    }

    private void sendBody(LinuxSocket socket, ZeroCopySender sender, long size) throws NativeException {
        long pos = 0;
        while (pos < size) {
            int index = (int) (pos % BodyPattern.BLOCK_LENGTH);
            long n = sender.send(block.address() + index, Math.min(size - pos, BodyPattern.BLOCK_LENGTH - index));
            if (n == LinuxSocket.WOULD_BLOCK) {
                // Completions merge into one notification while sends go on; they must go before a wait.
                sender.reap();
                socket.awaitWritable(POLL_MILLIS);
            } else {
                pos += n;
            }
        }
    }

    private static void respond(LinuxSocket socket, MemorySegment out, String status, long contentLength, boolean close)
            throws NativeException {
        byte[] head = ("HTTP/1.1 " + status + "\r\nContent-Length: " + contentLength
                + "\r\nContent-Type: application/octet-stream\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        MemorySegment.copy(head, 0, out, ValueLayout.JAVA_BYTE, 0, head.length);
        long length = head.length;
        long at = 0;
        while (at < length) {
            int n = socket.write(out.address() + at, (int) (length - at));
            if (n == LinuxSocket.WOULD_BLOCK) {
                socket.awaitWritable(POLL_MILLIS);
            } else {
                at += n;
            }
        }
    }

    /** The size a path such as {@code /16m.bin} names, or -1. */
    private static long sizeOf(String target) {
        int query = target.indexOf('?');
        String path = query >= 0 ? target.substring(0, query) : target;
        if (path.length() < 2 || path.charAt(0) != '/') {
            return -1;
        }
        String size = path.endsWith(".bin") ? path.substring(1, path.length() - 4) : path.substring(1);
        return ResponseOptions.parseSize(size, 0, size.length());
    }

    /** Offset just past the blank line that ends a request head, or -1 while it is incomplete. */
    private static int headEnd(MemorySegment in, int filled) {
        for (int i = 3; i < filled; i++) {
            if (in.get(ValueLayout.JAVA_BYTE, i) == '\n' && in.get(ValueLayout.JAVA_BYTE, i - 1) == '\r'
                    && in.get(ValueLayout.JAVA_BYTE, i - 2) == '\n' && in.get(ValueLayout.JAVA_BYTE, i - 3) == '\r') {
                return i + 1;
            }
        }
        return -1;
    }
}
