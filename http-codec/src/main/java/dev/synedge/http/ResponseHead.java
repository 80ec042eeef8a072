package dev.synedge.http;

import io.netty.buffer.ByteBuf;

/**
 * A parsed response head (see {@link MessageHead} for the rules on offsets). Filled by
 * {@link ResponseHeadParser}; one instance per upstream connection, reused.
 */
public final class ResponseHead extends MessageHead {

    int status;
    int reasonStart;
    int reasonEnd;

    public ResponseHead() {
    }

    @Override
    void reset(ByteBuf buffer, int base) {
        super.reset(buffer, base);
        status = 0;
        reasonStart = 0;
        reasonEnd = 0;
    }

    public int status() {
        return status;
    }

    public int reasonStart() {
        return base + reasonStart;
    }

    public int reasonEnd() {
        return base + reasonEnd;
    }

    /**
     * A 1xx other than 101 (100 Continue, 103 Early Hints): the final response still follows on
     * the same connection. Relay it to HTTP/1.1 clients only.
     */
    public boolean isInterim() {
        return status >= 100 && status < 200 && status != 101;
    }

    /** 101 Switching Protocols: after this head both connections become a byte tunnel. */
    public boolean isSwitchingProtocols() {
        return status == 101;
    }
}
