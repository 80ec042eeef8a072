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
 * @param loopDetection  answer 508 to a request whose Via already names {@code via}: it came
 *                       back through this proxy (or another of its fleet)
 * @param trace          what becomes of TRACE requests
 * @param requestBody    the time a request body may take, and how much of it is held first
 */
public record HttpConfig(HttpLimits limits, long maxRequestBody, String via, boolean viaOnResponses,
                         boolean loopDetection, Trace trace, RequestBodyConfig requestBody) {

    /** What synedge does with a TRACE request. */
    public enum Trace {
        /** Answer 405: TRACE echoes the request, credentials included, to whoever can make a page send one. */
        REFUSE,
        /** Forward it, with Max-Forwards honoured; at 0 synedge answers with the echo itself. */
        FORWARD
    }

    public HttpConfig {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(via, "via");
        Objects.requireNonNull(trace, "trace");
        Objects.requireNonNull(requestBody, "requestBody");
        if (maxRequestBody < 0) {
            throw new IllegalArgumentException("negative max-request-body " + maxRequestBody);
        }
    }
}
