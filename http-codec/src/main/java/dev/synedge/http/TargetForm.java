package dev.synedge.http;

/** The form of a request target (RFC 9112 §3.2). Authority-form (CONNECT) is refused. */
public enum TargetForm {
    /** {@code /path?query}. */
    ORIGIN,
    /** {@code http://authority/path?query}: the authority is the effective host. */
    ABSOLUTE,
    /** {@code *}, only with OPTIONS. */
    ASTERISK
}
