package dev.synedge.body;

/** How the body data of one response moves from the upstream socket to the client. */
public enum BodyPath {
    /** Read into pooled buffers, written from them. */
    COPY,
    /** Mapped with {@code TCP_ZEROCOPY_RECEIVE}, written from the mapped pages; framing parsed in place. */
    MAPPED,
    /** Spliced through a kernel pipe into the client socket; only for bodies passed on unchanged. */
    SPLICE
}
