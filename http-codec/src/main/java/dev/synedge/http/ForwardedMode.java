package dev.synedge.http;

/**
 * What a route does with X-Forwarded-For/-Proto/-Host and with Forwarded (RFC 7239).
 * Values a client sent are kept only when the client is a trusted hop; otherwise
 * {@link #APPEND} behaves as {@link #REPLACE}.
 */
public enum ForwardedMode {
    /** Add this hop after the values received from a trusted hop. */
    APPEND,
    /** Drop received values and send only this hop. */
    REPLACE,
    /** Forward nothing of this kind; received values are dropped. */
    OFF
}
