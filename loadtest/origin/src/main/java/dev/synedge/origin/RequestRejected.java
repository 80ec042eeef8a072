package dev.synedge.origin;

/**
 * A request the origin refuses: the status to answer with and the reason, which goes into the
 * response body. Thrown while a request is read and routed (a codec {@code HttpError} becomes
 * one with its status and reason), so it carries no stack trace.
 */
final class RequestRejected extends Exception {

    private final int status;

    RequestRejected(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    static RequestRejected badRequest(String reason) {
        return new RequestRejected(400, reason);
    }

    int status() {
        return status;
    }
}
