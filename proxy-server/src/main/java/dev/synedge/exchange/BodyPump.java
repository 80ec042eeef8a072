package dev.synedge.exchange;

import dev.synedge.net.NativeException;

/**
 * A fast path for response body data, from the upstream socket to the client without the
 * copy path's read into a buffer: {@link MappedPump} maps the socket's receive queue,
 * {@link SplicePump} splices it into the client socket. The copy path is the relay's own read
 * ({@link ResponseRelay}), which also reads every head, chunk line and trailer: a pump takes
 * over only the data bytes the body decoder says come next, and only once everything read
 * before them is relayed.
 */
sealed interface BodyPump permits MappedPump, SplicePump {

    /**
     * Moves body data. Returns whether the relay should go on reading at once; false when the
     * upstream has nothing more now, the pump waits for the client, or the exchange ended.
     */
    boolean pump() throws NativeException;

    /** Whether upstream input goes straight to this pump (a splice under way reads it all itself). */
    boolean drivesInput();

    /** Whether the pump waits for the client to take what it was given before it reads more. */
    boolean waiting();

    /** Gives back what the pump holds (pages, a pipe); the exchange ended or the body is through. */
    void close();
}
