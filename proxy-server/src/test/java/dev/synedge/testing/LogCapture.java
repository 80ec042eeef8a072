package dev.synedge.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Collects what one logger (and its children) logs while open, for tests that check a log line
 * says why something happened.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final AppenderBase<ILoggingEvent> appender;
    private final List<String> lines = new ArrayList<>();

    private LogCapture(String name) {
        this.logger = (Logger) LoggerFactory.getLogger(name);
        this.appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                synchronized (lines) {
                    lines.add(event.getLevel() + " " + event.getFormattedMessage());
                }
            }
        };
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
    }

    /** Starts capturing {@code name} (e.g. a package) at the level the test configuration gives it (INFO). */
    public static LogCapture of(String name) {
        return new LogCapture(name);
    }

    /** Lines so far, each {@code LEVEL message}. */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Waits up to two seconds for a line containing every one of {@code parts}; returns it. */
    public String await(String... parts) throws InterruptedException {
        long deadline = System.nanoTime() + 2_000_000_000L;
        do {
            for (String line : lines()) {
                boolean all = true;
                for (String part : parts) {
                    all &= line.contains(part);
                }
                if (all) {
                    return line;
                }
            }
            Thread.sleep(5);
        } while (System.nanoTime() - deadline < 0);
        throw new AssertionError("no log line with " + List.of(parts) + " in " + lines());
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }

    /** Lines so far that contain {@code part}. */
    public List<String> linesWith(String part) {
        List<String> found = new ArrayList<>();
        for (String line : lines()) {
            if (line.contains(part)) {
                found.add(line);
            }
        }
        return found;
    }
}
