package dev.synedge.config;

import dev.synedge.http.HttpLimits;
import java.util.Objects;

/**
 * HTTP settings shared by all listeners ({@code synedge.http}).
 *
 * @param limits         size limits on request heads and chunked framing
 * @param maxRequestBody largest request body in bytes (data, without chunk framing); 0 = no limit
 * @param via            pseudonym in the {@code Via: 1.1 <via>} field added to forwarded
 *                       requests (an RFC 9110 token)
 * @param viaOnResponses also add Via to responses sent to clients
 */
public record HttpConfig(HttpLimits limits, long maxRequestBody, String via, boolean viaOnResponses) {

    public HttpConfig {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(via, "via");
        if (maxRequestBody < 0) {
            throw new IllegalArgumentException("negative max-request-body " + maxRequestBody);
        }
    }
}
