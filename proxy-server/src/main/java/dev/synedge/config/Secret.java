package dev.synedge.config;

import java.util.Objects;

/**
 * A setting that must never be shown: the admin token now, keys later. Whatever prints or
 * renders configuration (the admin API's {@code /config}, a log line with a record in it)
 * shows {@code <redacted>} for it, because of its type: a new secret setting is kept out of
 * sight by being read as a Secret, with nothing else to remember.
 *
 * @param value the secret itself; read it only where it is used
 */
public record Secret(String value) {

    /** What a Secret is shown as. */
    public static final String REDACTED = "<redacted>";

    public Secret {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return REDACTED;
    }
}
