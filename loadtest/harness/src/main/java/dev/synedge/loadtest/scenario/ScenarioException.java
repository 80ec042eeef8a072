package dev.synedge.loadtest.scenario;

/** A scenario file that cannot be used; the message names the file, line and key. */
public final class ScenarioException extends RuntimeException {

    public ScenarioException(String message, Throwable cause) {
        super(message, cause);
    }

    public ScenarioException(String message) {
        super(message);
    }
}
