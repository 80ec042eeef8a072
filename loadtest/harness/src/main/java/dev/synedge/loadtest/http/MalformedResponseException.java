package dev.synedge.loadtest.http;

/** A response the parser cannot frame. Thrown rarely, so it carries no stack trace. */
public final class MalformedResponseException extends Exception {

    public MalformedResponseException(String message) {
        super(message, null, false, false);
    }
}
