package dev.synedge.origin;

import io.netty.buffer.ByteBuf;

/**
 * Where the bytes of a request body go as {@link ConnectionHandler} reads them (framed by the
 * codec's {@code BodyDecoder}). Ranges are lent for the duration of the call only; a sink that
 * keeps bytes copies them.
 */
interface BodySink {

    /** Bytes as received on the wire, chunk framing and trailers included. */
    default void raw(ByteBuf buf, int index, int length) throws RequestRejected {}

    /** Body content, chunk framing removed. */
    default void data(ByteBuf buf, int index, int length) {}

    /** Drops what the sink holds; called when the request ends without a response. */
    default void discard() {}

    /** The sink for bodies the endpoint ignores. */
    BodySink DISCARD = new BodySink() {};
}
