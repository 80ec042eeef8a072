package dev.synedge.http;

/**
 * The HTTP/1 versions the proxy tells apart. A message with a higher 1.x minor version is
 * treated as {@link #HTTP_1_1} (RFC 9110 §2.5); any other major version is refused.
 */
public enum HttpVersion {
    HTTP_1_0("HTTP/1.0"),
    HTTP_1_1("HTTP/1.1");

    private final String text;

    HttpVersion(String text) {
        this.text = text;
    }

    /** As a request or status line writes it: {@code HTTP/1.1}. */
    public String text() {
        return text;
    }
}
