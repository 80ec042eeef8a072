package dev.synedge.accesslog;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Per-thread working state of the formatters: the line builder, reused from line to line,
 * and the text of the current second, formatted once per second rather than per line.
 */
final class Scratch {

    /** Lines longer than this leave a builder behind that is dropped rather than kept. */
    private static final int KEEP_CAPACITY = 16 * 1024;

    private static final DateTimeFormatter COMMON_LOG = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z",
            Locale.ENGLISH);
    private static final DateTimeFormatter ISO_SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    private StringBuilder line = new StringBuilder(512);

    private long commonSecond = Long.MIN_VALUE;
    private ZoneId commonZone;
    private String commonText;

    private long isoSecond = Long.MIN_VALUE;
    private String isoText;

    /** The builder, emptied. */
    StringBuilder line() {
        if (line.capacity() > KEEP_CAPACITY) {
            line = new StringBuilder(512);
        }
        line.setLength(0);
        return line;
    }

    /** {@code 10/Oct/2000:13:55:36 -0700}: the common log format's time, in {@code zone}. */
    String commonLogTime(long epochMillis, ZoneId zone) {
        long second = Math.floorDiv(epochMillis, 1000);
        if (second != commonSecond || zone != commonZone) {
            commonText = COMMON_LOG.format(Instant.ofEpochSecond(second).atZone(zone));
            commonSecond = second;
            commonZone = zone;
        }
        return commonText;
    }

    /** Appends {@code 2000-10-10T20:55:36.123Z}, always UTC. */
    void appendIsoTime(long epochMillis, StringBuilder out) {
        long second = Math.floorDiv(epochMillis, 1000);
        if (second != isoSecond) {
            isoText = ISO_SECOND.format(Instant.ofEpochSecond(second));
            isoSecond = second;
        }
        int millis = Math.floorMod(epochMillis, 1000);
        out.append(isoText).append('.')
                .append((char) ('0' + millis / 100))
                .append((char) ('0' + millis / 10 % 10))
                .append((char) ('0' + millis % 10))
                .append('Z');
    }
}
