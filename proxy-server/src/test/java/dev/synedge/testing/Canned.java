package dev.synedge.testing;

/** The exact bytes of the proxy's own answers, as a client must receive them. */
public final class Canned {

    private Canned() {}

    /** The canned answer for {@code status} with {@code Connection: close}. */
    public static String closing(int status) {
        return response(status, "Connection: close\r\n");
    }

    /** The canned answer for {@code status} to an HTTP/1.1 request that keeps the connection. */
    public static String keepAlive(int status) {
        return response(status, "");
    }

    private static String response(int status, String connection) {
        String reason = switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 408 -> "Request Timeout";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> throw new IllegalArgumentException("no canned response for " + status);
        };
        String body = status + " " + reason + "\n";
        return "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain\r\nContent-Length: "
                + body.length() + "\r\n" + connection + "\r\n" + body;
    }
}
