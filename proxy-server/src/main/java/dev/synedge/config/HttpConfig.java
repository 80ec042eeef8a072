package dev.synedge.config;

import dev.synedge.http.HttpLimits;
import java.util.Objects;

/**
 * HTTP settings shared by all listeners ({@code synedge.http}).
 *
 * @param limits         size limits on request heads and chunked framing
 * @param via            pseudonym in the {@code Via: 1.1 <via>} field added to forwarded
 *                       requests (an RFC 9110 token)
 * @param viaOnResponses also add Via to responses sent to clients
 */
public record HttpConfig(HttpLimits limits, String via, boolean viaOnResponses) {

    public HttpConfig {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(via, "via");
    }
}
