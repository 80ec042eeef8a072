package dev.synedge.origin;

/** A failure the origin injects on purpose ({@code fault=...}). */
enum Fault {
    /** Head and about half the body, then RST (SO_LINGER 0). */
    RESET_MID_BODY("reset-mid-body", true),
    /** Head and about half the body, then FIN: a truncated response. */
    CLOSE_MID_BODY("close-mid-body", true),
    /** The request is read, then FIN without any response byte. */
    CLOSE_BEFORE_RESPONSE("close-before-response", false),
    /** The request is read, then RST without any response byte. */
    RESET_BEFORE_RESPONSE("reset-before-response", false);

    final String parameter;
    final boolean midBody;

    Fault(String parameter, boolean midBody) {
        this.parameter = parameter;
        this.midBody = midBody;
    }

    boolean resets() {
        return this == RESET_MID_BODY || this == RESET_BEFORE_RESPONSE;
    }

    static Fault of(String value) throws RequestRejected {
        for (Fault f : values()) {
            if (f.parameter.equals(value)) {
                return f;
            }
        }
        throw RequestRejected.badRequest("unknown fault '" + value + "'");
    }
}
