package dev.synedge.origin;

/**
 * What the origin needs to know of one request head, filled in place by
 * {@link RequestHeadParser} and reused for the next request on the connection. The target is
 * kept as indices into the buffer the head was parsed from, valid until that buffer moves on.
 */
final class RequestHead {

    Method method;
    boolean http11;
    int targetStart;
    int targetEnd;
    /** -1 when there is no Content-Length. */
    long contentLength;
    boolean chunked;
    int hostCount;
    boolean connectionClose;
    boolean connectionKeepAlive;
    boolean connectionUpgrade;
    boolean upgradeWebSocket;
    boolean expectContinue;
    String webSocketKey;
    String webSocketVersion;

    void reset() {
        method = null;
        http11 = false;
        targetStart = 0;
        targetEnd = 0;
        contentLength = -1;
        chunked = false;
        hostCount = 0;
        connectionClose = false;
        connectionKeepAlive = false;
        connectionUpgrade = false;
        upgradeWebSocket = false;
        expectContinue = false;
        webSocketKey = null;
        webSocketVersion = null;
    }

    boolean hasBody() {
        return chunked || contentLength > 0;
    }
}
