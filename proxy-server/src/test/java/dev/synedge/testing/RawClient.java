package dev.synedge.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A client on a plain {@link Socket} that sends exactly the bytes it is given (invalid requests
 * included) and reads responses byte for byte, keeping the raw bytes of each. It frames
 * responses itself (Content-Length, chunked, or until the close), independently of the proxy.
 */
public final class RawClient implements AutoCloseable {

    /**
     * One response: its raw bytes, status, fields in order, the body without chunk framing, and
     * the trailer lines of a chunked body.
     */
    public record Response(byte[] raw, int status, List<String[]> fields, byte[] body, List<String> trailers) {

        public String rawText() {
            return new String(raw, StandardCharsets.ISO_8859_1);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }

        /** The head through its empty line. */
        public String head() {
            String t = rawText();
            return t.substring(0, t.indexOf("\r\n\r\n") + 4);
        }

        /** The first value of field {@code name} (case-insensitive), or null. */
        public String header(String name) {
            for (String[] f : fields) {
                if (f[0].equalsIgnoreCase(name)) {
                    return f[1];
                }
            }
            return null;
        }

        /** Every value of field {@code name}, in order. */
        public List<String> headers(String name) {
            List<String> values = new ArrayList<>();
            for (String[] f : fields) {
                if (f[0].equalsIgnoreCase(name)) {
                    values.add(f[1]);
                }
            }
            return values;
        }
    }

    private final Socket socket;
    private final InputStream in;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    /** Connects with a five second read timeout. */
    public static RawClient connect(InetSocketAddress address) throws IOException {
        return connect(address, null);
    }

    /** Connects from {@code local} (an address of this host, any port), with a five second read timeout. */
    public static RawClient connect(InetSocketAddress address, InetAddress local) throws IOException {
        Socket socket = new Socket();
        if (local != null) {
            socket.bind(new InetSocketAddress(local, 0));
        }
        socket.connect(address, 2000);
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
        return new RawClient(socket);
    }

    public Socket socket() {
        return socket;
    }

    public RawClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawClient send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** Reads one response to a request that may have a body (not HEAD). */
    public Response read() throws IOException {
        return read(false);
    }

    /** Reads one response; {@code toHead}: the request was HEAD, so no body follows. */
    public Response read(boolean toHead) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        String statusLine = line(raw);
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("not a status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        List<String[]> fields = new ArrayList<>();
        long contentLength = -1;
        boolean chunked = false;
        for (String l = line(raw); !l.isEmpty(); l = line(raw)) {
            int colon = l.indexOf(':');
            if (colon <= 0) {
                throw new IOException("not a field line: " + l);
            }
            String name = l.substring(0, colon);
            String value = l.substring(colon + 1).strip();
            fields.add(new String[] {name, value});
            if (name.equalsIgnoreCase("content-length")) {
                contentLength = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("transfer-encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<String> trailers = new ArrayList<>();
        boolean noBody = toHead || status < 200 || status == 204 || status == 304;
        if (noBody) {
            // nothing
        } else if (chunked) {
            for (;;) {
                String sizeLine = line(raw);
                int semi = sizeLine.indexOf(';');
                long size = Long.parseLong(semi >= 0 ? sizeLine.substring(0, semi) : sizeLine, 16);
                if (size == 0) {
                    for (String t = line(raw); !t.isEmpty(); t = line(raw)) {
                        trailers.add(t);
                    }
                    break;
                }
                byte[] data = in.readNBytes((int) size);
                if (data.length < size) {
                    throw new EOFException("chunk cut short");
                }
                raw.write(data);
                body.write(data);
                if (!line(raw).isEmpty()) {
                    throw new IOException("chunk data not followed by CRLF");
                }
            }
        } else if (contentLength >= 0) {
            byte[] data = in.readNBytes((int) contentLength);
            raw.write(data);
            body.write(data);
            if (data.length < contentLength) {
                throw new EOFException("body cut short: " + data.length + " of " + contentLength);
            }
        } else {
            byte[] data = in.readAllBytes();
            raw.write(data);
            body.write(data);
        }
        return new Response(raw.toByteArray(), status, fields, body.toByteArray(), trailers);
    }

    /** Reads a CRLF-terminated line (raw bytes go to {@code raw}); bare LF is an error. */
    private String line(ByteArrayOutputStream raw) throws IOException {
        StringBuilder s = new StringBuilder();
        for (;;) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed after " + raw.size() + " bytes: "
                        + raw.toString(StandardCharsets.ISO_8859_1) + s);
            }
            raw.write(c);
            if (c == '\n') {
                if (s.isEmpty() || s.charAt(s.length() - 1) != '\r') {
                    throw new IOException("bare LF in response");
                }
                return s.substring(0, s.length() - 1);
            }
            s.append((char) c);
        }
    }

    /** True if bytes are waiting to be read right now. */
    public boolean hasInput() throws IOException {
        return in.available() > 0;
    }

    /** Everything until the peer closes; a reset fails. */
    public byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    /**
     * True when the peer closed the connection (EOF or reset) with nothing more to read, within
     * {@code millis}; false when it is still open then. Fails if bytes arrive instead.
     */
    public boolean closedByPeer(int millis) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            int c = in.read();
            if (c >= 0) {
                throw new AssertionError("expected the connection to close, got byte " + c);
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(before);
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
