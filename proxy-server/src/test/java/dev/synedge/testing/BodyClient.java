package dev.synedge.testing;

import dev.synedge.origin.BodyPattern;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A keep-alive HTTP/1.1 client for large bodies: it streams each body (Content-Length or
 * chunked, framing checked strictly) through a CRC32C and checks every byte against the test
 * origin's pattern as it goes, holding nothing, so 64 MiB bodies cost no heap.
 */
public final class BodyClient implements AutoCloseable {

    /**
     * One response: status, fields (names in lower case, last value wins), body length and its
     * CRC32C as 8 hex digits, whether it came chunked, its trailer lines, and the offset of the
     * first body byte that differed from the origin's pattern (-1: none).
     */
    public record Response(int status, Map<String, String> fields, long length, String crc32c, boolean chunked,
                           List<String> trailers, long firstWrongByte) {

        public String field(String name) {
            return fields.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];

    private BodyClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
    }

    /** Connects with a ten second read timeout. */
    public static BodyClient connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, 2000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        return new BodyClient(socket);
    }

    public Socket socket() {
        return socket;
    }

    public Response get(String path) throws IOException {
        return exchange("GET", path);
    }

    public Response head(String path) throws IOException {
        return exchange("HEAD", path);
    }

    private Response exchange(String method, String path) throws IOException {
        socket.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: bodies.example\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return read(method.equals("HEAD"));
    }

    private Response read(boolean toHead) throws IOException {
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("not a status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> fields = new LinkedHashMap<>();
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            fields.put(l.substring(0, colon).toLowerCase(Locale.ROOT), l.substring(colon + 1).strip());
        }
        CRC32C crc = new CRC32C();
        List<String> trailers = new ArrayList<>();
        long[] wrong = {-1};
        long length = 0;
        boolean chunked = "chunked".equalsIgnoreCase(fields.get("transfer-encoding"));
        boolean noBody = toHead || status == 204 || status == 304 || status < 200;
        if (!noBody && chunked) {
            for (;;) {
                long size = Long.parseLong(line(), 16);
                if (size == 0) {
                    for (String t = line(); !t.isEmpty(); t = line()) {
                        trailers.add(t);
                    }
                    break;
                }
                body(size, length, crc, wrong);
                length += size;
                if (!line().isEmpty()) {
                    throw new IOException("chunk data not followed by CRLF at body offset " + length);
                }
            }
        } else if (!noBody) {
            String declared = fields.get("content-length");
            if (declared == null) {
                throw new IOException("neither Content-Length nor chunked: " + fields);
            }
            length = Long.parseLong(declared);
            body(length, 0, crc, wrong);
        }
        return new Response(status, fields, length, "%08x".formatted(crc.getValue()), chunked, trailers, wrong[0]);
    }

    /** Reads {@code size} body bytes that start at body offset {@code at}. */
    private void body(long size, long at, CRC32C crc, long[] wrong) throws IOException {
        long left = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("body cut short at offset " + (at + size - left) + " of a " + size + " byte part");
            }
            crc.update(buffer, 0, n);
            if (wrong[0] < 0) {
                long offset = at + size - left;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != BodyPattern.byteAt(offset + i)) {
                        wrong[0] = offset + i;
                        break;
                    }
                }
            }
            left -= n;
        }
    }

    private String line() throws IOException {
        StringBuilder s = new StringBuilder();
        for (;;) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed in a line: " + s);
            }
            if (c == '\n') {
                if (s.isEmpty() || s.charAt(s.length() - 1) != '\r') {
                    throw new IOException("bare LF after: " + s);
                }
                return s.substring(0, s.length() - 1);
            }
            s.append((char) c);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
