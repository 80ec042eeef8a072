package dev.synedge.http;

/** The non-error outcomes of a head parser or body decoder call. */
public enum ParseProgress implements ParseResult {
    /**
     * Every readable byte was examined and more are needed. Nothing of an unfinished element
     * was consumed: keep the unread bytes, append the next read and call again.
     */
    NEED_MORE,
    /**
     * The step finished: for a head parser the head is complete (see
     * {@link MessageHead#length()}); for a body decoder the framing in front of the next body
     * data, or the end of the body, was reached.
     */
    DONE
}
