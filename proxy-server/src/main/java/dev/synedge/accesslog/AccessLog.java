package dev.synedge.accesslog;

import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AsyncAppenderBase;
import ch.qos.logback.core.FileAppender;
import dev.synedge.config.AccessLogConfig;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one line per exchange through the logger {@value #LOGGER_NAME}. The default
 * logback.xml binds that logger (additivity off) to the AsyncAppender {@value #ASYNC_APPENDER}
 * (neverBlock: a full queue drops lines rather than stall an event loop) in front of the
 * file appender {@value #FILE_APPENDER}.
 *
 * <p>{@link #log} may be called from any thread, event loops included: it formats into a
 * per-thread builder and hands the finished line to logback, which queues it. Opening
 * ({@link #open(AccessLogConfig)}) touches files and must run off the event loops.
 */
public final class AccessLog {

    /** The logger access lines go to. */
    public static final String LOGGER_NAME = "synedge.access";
    /** The asynchronous appender logback.xml puts in front of the access log file. */
    public static final String ASYNC_APPENDER = "ACCESS";
    /** The file appender {@code access-log.path} repoints. */
    public static final String FILE_APPENDER = "ACCESS_FILE";

    private static final FastThreadLocal<Scratch> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected Scratch initialValue() {
            return new Scratch();
        }
    };

    private final boolean enabled;
    private final LineFormat format;
    private final Logger logger;

    private AccessLog(boolean enabled, LineFormat format, Logger logger) {
        this.enabled = enabled;
        this.format = format;
        this.logger = logger;
    }

    /**
     * The access log for {@code config}, writing to {@value #LOGGER_NAME}, times in the
     * system's zone. When {@code config.path()} is set and differs from the appender's file,
     * first points the access log file appender at that file; lines other threads log while
     * the appender is switched (a reload) are dropped.
     *
     * @throws UncheckedIOException when the configured file cannot be opened for appending;
     *                              the appender then keeps its current file
     */
    public static AccessLog open(AccessLogConfig config) {
        return open(config, LoggerFactory.getLogger(LOGGER_NAME), ZoneId.systemDefault());
    }

    /** As {@link #open(AccessLogConfig)}, with the logger and the combined format's time zone given. */
    public static AccessLog open(AccessLogConfig config, Logger logger, ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        if (config.enabled() && config.path() != null) {
            pointFileAt(logger, config.path());
        }
        LineFormat format = switch (config.format()) {
            case COMBINED -> new CombinedFormat(zone);
            case JSON -> new JsonFormat();
        };
        return new AccessLog(config.enabled(), format, logger);
    }

    /**
     * Checks that {@code config}'s file (when it names one) can be opened for appending,
     * creating its directory, without switching anything: a reload checks this before it
     * changes anything else.
     *
     * @throws UncheckedIOException when it cannot
     */
    public static void check(AccessLogConfig config) {
        if (config.enabled() && config.path() != null) {
            openable(config.path().toAbsolutePath());
        }
    }

    private static void openable(Path absolute) {
        try {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
            Files.newOutputStream(absolute, StandardOpenOption.CREATE, StandardOpenOption.APPEND).close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open access log " + absolute + ": " + e.getMessage(), e);
        }
    }

    /** False when the configuration turned the access log off (or logback did, for this logger). */
    public boolean enabled() {
        return enabled && logger.isInfoEnabled();
    }

    /** Formats {@code record} and queues the line; returns at once, never waits for the disk. */
    public void log(AccessRecord record) {
        if (enabled && logger.isInfoEnabled()) {
            logger.info(format(record));
        }
    }

    /** The line for {@code record}, without a line terminator. */
    String format(AccessRecord record) {
        Scratch scratch = SCRATCH.get();
        StringBuilder line = scratch.line();
        format.append(record, line, scratch);
        return line.toString();
    }

    /**
     * Repoints every file appender behind {@code logger} (directly or behind an asynchronous
     * appender) at {@code path}, after checking that the file can be opened for appending.
     */
    private static void pointFileAt(Logger logger, Path path) {
        if (!(logger instanceof ch.qos.logback.classic.Logger logback)) {
            throw new IllegalStateException("access-log.path needs logback behind SLF4J, found "
                    + logger.getClass().getName());
        }
        List<FileAppender<?>> files = new ArrayList<>();
        collectFiles(logback.iteratorForAppenders(), files);
        if (files.isEmpty()) {
            throw new IllegalStateException("access-log.path is set but the logback configuration gives logger "
                    + LOGGER_NAME + " no file appender (expected " + ASYNC_APPENDER + " -> " + FILE_APPENDER + ")");
        }
        Path absolute = path.toAbsolutePath();
        openable(absolute);
        for (FileAppender<?> file : files) {
            if (file.getFile() == null || !Path.of(file.getFile()).toAbsolutePath().equals(absolute)) {
                file.stop();
                file.setFile(path.toString());
                file.start();
            }
        }
    }

    private static <E> void collectFiles(Iterator<Appender<E>> appenders, List<FileAppender<?>> files) {
        while (appenders.hasNext()) {
            Appender<E> appender = appenders.next();
            if (appender instanceof FileAppender<?> file) {
                files.add(file);
            } else if (appender instanceof AsyncAppenderBase<E> async) {
                collectFiles(async.iteratorForAppenders(), files);
            }
        }
    }
}
