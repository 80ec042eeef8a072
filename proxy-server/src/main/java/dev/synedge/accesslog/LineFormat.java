package dev.synedge.accesslog;

/** One access log line format. */
sealed interface LineFormat permits CombinedFormat, JsonFormat {

    /** Appends the line for {@code record}, without a line terminator. */
    void append(AccessRecord record, StringBuilder out, Scratch scratch);
}
