package dev.synedge.loadtest.generator;

import dev.synedge.net.Errno;
import dev.synedge.net.NativeException;

/** Why a request failed; each failed request is counted under exactly one kind. */
public enum ErrorKind {
    /** The target refused the connection (RST to the SYN). */
    CONNECT_REFUSED("connect refused"),
    /** The connection could not be made for another reason (unreachable, connect timeout). */
    CONNECT_FAILED("connect failed"),
    /** The generator ran out of file descriptors or local ports. */
    LOCAL_LIMIT("local limit"),
    /** The connection was reset. */
    RESET("reset"),
    /** No complete response within the request timeout. */
    TIMEOUT("timeout"),
    /** The server closed the connection before sending any byte of the response. */
    CLOSED("closed before response"),
    /** The connection ended in the middle of the response. */
    SHORT_BODY("short body"),
    /** The status differs from the expected one. */
    BAD_STATUS("bad status"),
    /** The body length differs from the scenario's expected length. */
    LENGTH_MISMATCH("length mismatch"),
    /** The body's CRC32C differs from its {@code X-Body-Checksum}. */
    CHECKSUM_MISMATCH("checksum mismatch"),
    /** The response could not be framed (bad status line, bad chunk size, ...). */
    MALFORMED("malformed response"),
    /** Any other socket error. */
    IO_ERROR("i/o error");

    private final String label;

    ErrorKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The kind for a failed system call; {@code connecting} when the handshake was not done. */
    static ErrorKind of(NativeException e, boolean connecting) {
        return switch (e.errno()) {
            case Errno.ECONNREFUSED -> CONNECT_REFUSED;
            case Errno.ECONNRESET, Errno.EPIPE, Errno.ECONNABORTED -> RESET;
            case Errno.ETIMEDOUT -> connecting ? CONNECT_FAILED : TIMEOUT;
            case Errno.EMFILE, 23 /* ENFILE */, Errno.EADDRNOTAVAIL, Errno.ENOBUFS, Errno.ENOMEM -> LOCAL_LIMIT;
            default -> connecting ? CONNECT_FAILED : IO_ERROR;
        };
    }
}
