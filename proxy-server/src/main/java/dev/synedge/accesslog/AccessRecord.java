package dev.synedge.accesslog;

/**
 * What the access log says about one exchange. Built by the exchange when the response is
 * complete (or the exchange ended); {@link AccessLog#log} reads it on the calling thread and
 * keeps nothing, so arrays handed in need only stay unchanged during that call.
 *
 * <p>Text the proxy computes once (client address per connection, names from the
 * configuration, {@code Method.name()}, {@code "HTTP/1.1"}) is passed as String so that logging
 * allocates nothing for it; bytes taken from the request are passed as they were received.
 * Null stands for "not applicable" in every reference field and is logged as {@code -} (JSON
 * {@code null}); so is -1 in the duration fields. Being a record with array components, it
 * compares arrays by identity.
 *
 * @param timestampMillis    when the first byte of the request head arrived, epoch milliseconds
 * @param clientAddress      the client's IP address as text, e.g. {@code 192.0.2.7} or {@code 2001:db8::7}
 * @param clientPort         the client's port
 * @param listener           name of the listener that accepted the connection
 * @param method             the method as sent ({@code Method.name()} for known methods)
 * @param target             the request target as sent (origin-form path and query, or
 *                           absolute-form URI), not rewritten
 * @param httpVersion        {@code HTTP/1.0} or {@code HTTP/1.1}
 * @param status             status code sent to the client; {@link #CLIENT_CLOSED_REQUEST} when
 *                           the client closed its connection before any was; 0 when no response
 *                           was sent for another reason
 * @param bytesReceived      bytes read from the client for this exchange, head and body
 * @param bytesSent          bytes written to the client for this exchange, head and body
 * @param referer            the Referer field value as sent, or null
 * @param userAgent          the User-Agent field value as sent, or null
 * @param totalMicros        from the first request byte to the last response byte written
 * @param connectMicros      upstream connect() until established; -1 when no new connection was made
 * @param firstByteMicros    from the request head written upstream to the first response byte; -1
 *                           when no response byte came
 * @param route              name of the matched route, or null
 * @param cluster            name of the route's cluster, or null
 * @param endpoint           the upstream endpoint used, as {@code address:port}, or null
 * @param clientSynData      whether the client's SYN carried data
 * @param upstreamConnection new or reused upstream connection, or none
 * @param upstreamSynData    whether the upstream SYN carried data (UNKNOWN for reused connections)
 * @param retries            times the request was sent again to another connection
 * @param termination        why the exchange ended ({@link Termination#COMPLETED} when it ran its course)
 */
public record AccessRecord(long timestampMillis, String clientAddress, int clientPort, String listener,
                           String method, byte[] target, String httpVersion, int status, long bytesReceived,
                           long bytesSent, byte[] referer, byte[] userAgent, long totalMicros,
                           long connectMicros, long firstByteMicros, String route, String cluster,
                           String endpoint, SynData clientSynData, UpstreamConnection upstreamConnection,
                           SynData upstreamSynData, int retries, Termination termination) {

    /**
     * 499, the status nginx logs for a request whose client closed the connection before a
     * response status was sent: the one operators' dashboards and alerts already count as
     * "the client went away". Never sent to a client.
     */
    public static final int CLIENT_CLOSED_REQUEST = 499;
}
