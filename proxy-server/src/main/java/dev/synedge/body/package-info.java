/**
 * How response body bytes travel from an upstream socket to the client, once the exchange's
 * body decoder has said how many data bytes come next: copied through pooled buffers, mapped
 * from the socket's receive queue ({@code TCP_ZEROCOPY_RECEIVE}, {@link dev.synedge.body.MappedWindow})
 * or spliced through a kernel pipe ({@link dev.synedge.body.Splice}). {@link dev.synedge.body.BodyPolicy}
 * picks the path per response from the cluster's {@code response-body} setting;
 * {@link dev.synedge.body.BodyCounters} counts the bytes of each path per cluster.
 *
 * <p>Everything here is used from one event loop, except {@link dev.synedge.body.ZeroCopyProbe},
 * which all loops of a server share. Of http it needs only which framings pass bodies through
 * unchanged; it knows nothing of exchanges.
 *
 * <p>May use: config, http, net, Netty, SLF4J.
 */
package dev.synedge.body;
