package dev.synedge.health;

import dev.synedge.config.EndpointConfig;
import dev.synedge.config.HealthCheckConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP health check: {@code GET path} to the endpoint on a new connection, which closes
 * after it, and the status of the response. Blocking, with the check's timeout on the connect
 * and on the wait for the status line: for a virtual thread, never an event loop.
 */
final class HealthCheck {

    private static final int MAX_STATUS_LINE = 512;

    /** What a check found: passed or not, and why not. */
    record Result(boolean passed, String why) {}

    private HealthCheck() {}

    static Result run(EndpointConfig endpoint, HealthCheckConfig config) {
        int timeout = (int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis());
        String host = config.host() != null ? config.host() : endpoint.name();
        try (Socket socket = new Socket()) {
            socket.connect(endpoint.address(), timeout);
            socket.setSoTimeout(timeout);
            socket.getOutputStream().write(("GET " + config.path() + " HTTP/1.1\r\nHost: " + host
                    + "\r\nUser-Agent: synedge-health-check\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            int status = status(socket.getInputStream());
            if (status < 0) {
                return new Result(false, "no HTTP/1.x status line");
            }
            return config.passes(status) ? new Result(true, "status " + status)
                    : new Result(false, "status " + status);
        } catch (SocketTimeoutException e) {
            return new Result(false, "no answer within " + config.timeout());
        } catch (IOException e) {
            return new Result(false, e.getMessage());
        }
    }

    /** The status code of the status line, or -1 when there is none. */
    private static int status(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n' && line.length() < MAX_STATUS_LINE) {
            line.append((char) c);
        }
        String text = line.toString();
        if (!text.matches("HTTP/1\\.[01] [1-5][0-9][0-9]( .*)?\r?")) {
            return -1;
        }
        return Integer.parseInt(text.substring(9, 12));
    }
}
