package dev.synedge.origin;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A client on a plain socket for byte-exact checks: writes exactly the bytes given and parses
 * responses with its own small HTTP/1.1 reader (independent of the origin's parser).
 */
final class RawConnection implements AutoCloseable {

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawConnection(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(20_000);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = socket.getOutputStream();
    }

    RawConnection send(String s) throws IOException {
        return send(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawConnection send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads one response; {@code head} when it answers a HEAD request (no body). */
    RawResponse read(boolean head) throws IOException {
        String statusLine = readLine();
        List<String[]> fields = readFields();
        RawResponse shell = new RawResponse(statusLine, fields, new byte[0], new byte[0], List.of());
        int status = shell.status();
        if (head || status < 200 || status == 204 || status == 304) {
            return shell;
        }
        String te = shell.header("Transfer-Encoding");
        String cl = shell.header("Content-Length");
        if (te != null) {
            if (!te.equalsIgnoreCase("chunked")) {
                throw new AssertionError("unexpected Transfer-Encoding " + te);
            }
            return readChunked(statusLine, fields);
        }
        if (cl != null) {
            byte[] body = readExactly(Integer.parseInt(cl));
            return new RawResponse(statusLine, fields, body, body, List.of());
        }
        byte[] body = readToEnd();
        return new RawResponse(statusLine, fields, body, body, List.of());
    }

    RawResponse read() throws IOException {
        return read(false);
    }

    private RawResponse readChunked(String statusLine, List<String[]> fields) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (;;) {
            String sizeLine = readLine();
            wire.writeBytes((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt(semi < 0 ? sizeLine : sizeLine.substring(0, semi), 16);
            if (size == 0) {
                break;
            }
            byte[] data = readExactly(size);
            wire.writeBytes(data);
            body.writeBytes(data);
            byte[] crlf = readExactly(2);
            if (crlf[0] != '\r' || crlf[1] != '\n') {
                throw new AssertionError("chunk data not followed by CRLF");
            }
            wire.writeBytes(crlf);
        }
        List<String[]> trailers = new ArrayList<>();
        for (;;) {
            String line = readLine();
            wire.writeBytes((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (line.isEmpty()) {
                break;
            }
            trailers.add(splitField(line));
        }
        return new RawResponse(statusLine, fields, body.toByteArray(), wire.toByteArray(), trailers);
    }

    private List<String[]> readFields() throws IOException {
        List<String[]> fields = new ArrayList<>();
        for (;;) {
            String line = readLine();
            if (line.isEmpty()) {
                return fields;
            }
            fields.add(splitField(line));
        }
    }

    private static String[] splitField(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
            throw new AssertionError("malformed field line: " + line);
        }
        return new String[] {line.substring(0, colon), line.substring(colon + 1).strip()};
    }

    /** A CRLF-terminated line without its CRLF; a bare LF fails the test. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int prev = -1;
        for (;;) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed in a line after: " + line.toString(StandardCharsets.ISO_8859_1));
            }
            if (b == '\n') {
                if (prev != '\r') {
                    throw new AssertionError("bare LF from the origin");
                }
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            prev = b;
        }
    }

    byte[] readExactly(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new EOFException("expected " + n + " bytes, got " + b.length + " before EOF");
        }
        return b;
    }

    /** Everything until the peer closes. */
    byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    /** -1 when the peer has closed (EOF) and nothing else arrived. */
    int readByte() throws IOException {
        return in.read();
    }

    InputStream input() {
        return in;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
