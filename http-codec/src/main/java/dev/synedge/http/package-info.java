/**
 * HTTP/1.1 as the proxy reads and writes it: strict head parsers working in place over Netty
 * ByteBufs ({@link dev.synedge.http.RequestHeadParser}, {@link dev.synedge.http.ResponseHeadParser}
 * filling reusable {@link dev.synedge.http.RequestHead}/{@link dev.synedge.http.ResponseHead}),
 * body framing as an incremental state machine ({@link dev.synedge.http.BodyDecoder},
 * {@link dev.synedge.http.ChunkEncoder}, {@link dev.synedge.http.RelayFraming}), the writers of
 * forwarded heads ({@link dev.synedge.http.RequestHeadWriter},
 * {@link dev.synedge.http.ResponseHeadWriter}) and the proxy's own answers
 * ({@link dev.synedge.http.ErrorResponse}), plus the value types routes configure
 * ({@link dev.synedge.http.HttpLimits}, {@link dev.synedge.http.ForwardedMode},
 * {@link dev.synedge.http.HeaderEdits}).
 *
 * <p>The rules are written down, each with its RFC section, in this module's
 * {@code HTTP-RULES.md}; comments here cite RFC 9110 as S and RFC 9112 as M. Every way a message
 * could be read differently by the proxy and the server behind it is refused. Results are enum
 * values, never exceptions; nothing here allocates per request in steady state; no class here
 * holds or releases a ByteBuf it did not allocate (it allocates none).
 *
 * <p>May use: netty-buffer and netty-common only. No channels, no configuration, no logging.
 */
package dev.synedge.http;
