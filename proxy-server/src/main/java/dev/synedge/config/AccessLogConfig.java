package dev.synedge.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The access log ({@code synedge.access-log}).
 *
 * @param enabled write one line per exchange
 * @param format  line format
 * @param path    file to write to, replacing the one logback.xml names for the access log; null
 *                keeps logback.xml's choice
 */
public record AccessLogConfig(boolean enabled, Format format, Path path) {

    public AccessLogConfig {
        Objects.requireNonNull(format, "format");
    }

    /** Access log line formats. */
    public enum Format {
        /** Apache/nginx "combined", then synedge's own fields as key=value pairs. */
        COMBINED,
        /** One JSON object per line. */
        JSON
    }
}
