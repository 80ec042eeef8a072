package dev.synedge.accesslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import dev.synedge.config.AccessLogConfig;
import dev.synedge.config.AccessLogConfig.Format;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogTest {

    private static final long TIME = Instant.parse("2000-10-10T13:55:36.123Z").toEpochMilli();

    private static final AccessRecord RECORD = new AccessRecord(TIME, "192.0.2.7", 50312, "main", "GET",
            ascii("/a?b=1"), "HTTP/1.1", 200, 78, 1234, null, ascii("curl/8.5.0"), 1520, 210, 890,
            "site", "web", "10.0.0.5:8080", SynData.YES, UpstreamConnection.NEW, SynData.YES, 0, Termination.COMPLETED);

    /** A target with a quote, a backslash, controls, DEL, é, an emoji, and a stray 0xff. */
    private static final byte[] NASTY_TARGET = HexFormat.of().parseHex(
            "2f71" + "22" + "5c" + "0a" + "09" + "01" + "7f" + "c3a9" + "f09f9880" + "ff" + "656e64");

    private static final String COMBINED_LINE = "192.0.2.7 - - [10/Oct/2000:13:55:36 +0000] \"GET /a?b=1 HTTP/1.1\""
            + " 200 1234 \"-\" \"curl/8.5.0\" listener=main client_port=50312 received=78 total_us=1520"
            + " connect_us=210 ttfb_us=890 route=site cluster=web endpoint=10.0.0.5:8080 client_syn_data=yes"
            + " upstream=new upstream_syn_data=yes retries=0 termination=-";

    private static final String JSON_LINE = "{\"time\":\"2000-10-10T13:55:36.123Z\",\"client\":\"192.0.2.7\","
            + "\"client_port\":50312,\"listener\":\"main\",\"method\":\"GET\",\"target\":\"/a?b=1\","
            + "\"version\":\"HTTP/1.1\",\"status\":200,\"received\":78,\"sent\":1234,\"referer\":null,"
            + "\"user_agent\":\"curl/8.5.0\",\"total_us\":1520,\"connect_us\":210,\"ttfb_us\":890,"
            + "\"route\":\"site\",\"cluster\":\"web\",\"endpoint\":\"10.0.0.5:8080\",\"client_syn_data\":\"yes\","
            + "\"upstream\":\"new\",\"upstream_syn_data\":\"yes\",\"retries\":0,\"termination\":\"-\"}";

    @Test
    void combinedLineForAKnownRecord() {
        assertThat(format(Format.COMBINED, ZoneOffset.UTC, RECORD)).isEqualTo(COMBINED_LINE);
    }

    @Test
    void combinedTimeIsInTheConfiguredZone() {
        String line = format(Format.COMBINED, ZoneId.of("America/Los_Angeles"), RECORD);

        assertThat(line).startsWith("192.0.2.7 - - [10/Oct/2000:06:55:36 -0700] \"GET ");
    }

    @Test
    void jsonLineForAKnownRecord() {
        assertThat(format(Format.JSON, ZoneOffset.UTC, RECORD)).isEqualTo(JSON_LINE);
        assertThat(parseFlatJson(JSON_LINE)).containsEntry("status", 200L).containsEntry("referer", null)
                .containsEntry("user_agent", "curl/8.5.0");
    }

    @Test
    void jsonEscapesQuotesControlsAndNonAscii() {
        AccessRecord record = withTarget(NASTY_TARGET, "route \"early\" \u00fc");

        String line = format(Format.JSON, ZoneOffset.UTC, record);

        assertThat(line).contains("\"target\":\"/q\\\"\\\\\\n\\t\\u0001\\u007f\\u00e9\\ud83d\\ude00\\ufffdend\"");
        assertThat(line).contains("\"route\":\"route \\\"early\\\" \\u00fc\"");
        assertThat(line.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).as("pure printable ASCII").isTrue();
        Map<String, Object> parsed = parseFlatJson(line);
        assertThat(parsed.get("target")).isEqualTo("/q\"\\\n\t\u0001\u007f\u00e9\uD83D\uDE00\uFFFDend");
        assertThat(parsed.get("route")).isEqualTo("route \"early\" \u00fc");
    }

    @Test
    void jsonReplacesEachByteOfInvalidUtf8() {
        byte[] target = HexFormat.of().parseHex("2f" + "c0af" + "eda080" + "e282" );

        String line = format(Format.JSON, ZoneOffset.UTC, withTarget(target, "site"));

        assertThat(parseFlatJson(line).get("target")).isEqualTo("/" + "\uFFFD".repeat(7));
    }

    @Test
    void combinedEscapesAsHexBytes() {
        AccessRecord record = withTarget(NASTY_TARGET, "route \u00fc");

        String line = format(Format.COMBINED, ZoneOffset.UTC, record);

        assertThat(line).contains("\"GET /q\\x22\\x5C\\x0A\\x09\\x01\\x7F\\xC3\\xA9\\xF0\\x9F\\x98\\x80\\xFFend HTTP/1.1\"");
        assertThat(line).contains(" route=route\\x20\\xC3\\xBC ");
    }

    @Test
    void absentValuesAreDashesOrNull() {
        AccessRecord record = new AccessRecord(TIME, "2001:db8::7", 1, "main", "OPTIONS", ascii("*"), "HTTP/1.0",
                404, 40, 120, null, null, 95, -1, -1, null, null, null, SynData.NO, UpstreamConnection.NONE,
                SynData.UNKNOWN, 0, Termination.COMPLETED);

        assertThat(format(Format.COMBINED, ZoneOffset.UTC, record)).isEqualTo(
                "2001:db8::7 - - [10/Oct/2000:13:55:36 +0000] \"OPTIONS * HTTP/1.0\" 404 120 \"-\" \"-\""
                        + " listener=main client_port=1 received=40 total_us=95 connect_us=- ttfb_us=- route=-"
                        + " cluster=- endpoint=- client_syn_data=no upstream=- upstream_syn_data=unknown retries=0"
                        + " termination=-");
        assertThat(parseFlatJson(format(Format.JSON, ZoneOffset.UTC, record)))
                .containsEntry("connect_us", null).containsEntry("ttfb_us", null).containsEntry("route", null)
                .containsEntry("upstream", null).containsEntry("user_agent", null)
                .containsEntry("upstream_syn_data", "unknown");
    }

    @Test
    void theBuiltInLogbackXmlQueuesAccessLinesWithoutBlocking(@TempDir Path dir) throws Exception {
        LoggerContext context = configure("logback.xml", dir);
        try {
            Logger access = context.getLogger(AccessLog.LOGGER_NAME);
            assertThat(access.isAdditive()).isFalse();
            assertThat(access.getLevel()).isEqualTo(Level.INFO);
            AsyncAppender async = (AsyncAppender) access.getAppender(AccessLog.ASYNC_APPENDER);
            assertThat(async.isStarted()).isTrue();
            assertThat(async.isNeverBlock()).isTrue();
            assertThat(async.getQueueSize()).isEqualTo(8192);
            assertThat(async.getDiscardingThreshold()).isZero();
            FileAppender<ILoggingEvent> file = (FileAppender<ILoggingEvent>) async.getAppender(AccessLog.FILE_APPENDER);
            assertThat(Path.of(file.getFile())).isEqualTo(dir.resolve("access.log"));
            assertThat(((PatternLayoutEncoder) file.getEncoder()).getPattern()).isEqualTo("%msg%n");

            Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            AsyncAppender stderr = (AsyncAppender) root.getAppender("ASYNC_STDERR");
            assertThat(stderr.isNeverBlock()).isTrue();
            assertThat(((ConsoleAppender<ILoggingEvent>) stderr.getAppender("STDERR")).getTarget())
                    .isEqualTo("System.err");
            AsyncAppender appFile = (AsyncAppender) root.getAppender("ASYNC_APP_FILE");
            assertThat(appFile.isNeverBlock()).isTrue();
            assertThat(Path.of(((FileAppender<ILoggingEvent>) appFile.getAppender("APP_FILE")).getFile()))
                    .isEqualTo(dir.resolve("synedge.log"));

            AccessLog log = AccessLog.open(new AccessLogConfig(true, Format.COMBINED, null), access, ZoneOffset.UTC);
            log.log(RECORD);
            log.log(withTarget(ascii("/second"), "site"));
        } finally {
            context.stop();
        }
        List<String> lines = Files.readAllLines(dir.resolve("access.log"));
        assertThat(lines).hasSize(2);
        assertThat(lines.getFirst()).isEqualTo(COMBINED_LINE);
        assertThat(lines.get(1)).contains("\"GET /second HTTP/1.1\"");
    }

    @Test
    void theExampleLogbackXmlLoadsWithTheSameChain(@TempDir Path dir) throws Exception {
        Path example = root().resolve("conf/logback.xml");
        LoggerContext context = newContext();
        context.putProperty("SYNEDGE_LOG_DIR", dir.toString());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(example.toFile());
        try {
            assertThat(new StatusUtil(context).getHighestLevel(0)).isLessThan(Status.WARN);
            Logger access = context.getLogger(AccessLog.LOGGER_NAME);
            AsyncAppender async = (AsyncAppender) access.getAppender(AccessLog.ASYNC_APPENDER);
            assertThat(async.isNeverBlock()).isTrue();
            assertThat(async.getAppender(AccessLog.FILE_APPENDER)).isInstanceOf(FileAppender.class);
            AccessLog.open(new AccessLogConfig(true, Format.JSON, null), access, ZoneOffset.UTC).log(RECORD);
        } finally {
            context.stop();
        }
        assertThat(Files.readAllLines(dir.resolve("access.log"))).containsExactly(JSON_LINE);
    }

    @Test
    void accessLogPathRepointsTheFileAppender(@TempDir Path dir) throws Exception {
        Path configured = dir.resolve("elsewhere/requests.log");
        LoggerContext context = configure("logback.xml", dir);
        try {
            Logger access = context.getLogger(AccessLog.LOGGER_NAME);
            AccessLog log = AccessLog.open(new AccessLogConfig(true, Format.JSON, configured), access, ZoneOffset.UTC);
            log.log(RECORD);
        } finally {
            context.stop();
        }
        assertThat(Files.readAllLines(configured)).containsExactly(JSON_LINE);
        assertThat(Files.readAllLines(dir.resolve("access.log"))).isEmpty();
    }

    @Test
    void anUnwritablePathFailsAndKeepsTheOldFile(@TempDir Path dir) throws Exception {
        LoggerContext context = configure("logback.xml", dir);
        try {
            Logger access = context.getLogger(AccessLog.LOGGER_NAME);
            Path blocker = Files.writeString(dir.resolve("a-file"), "");

            assertThatThrownBy(() -> AccessLog.open(new AccessLogConfig(true, Format.JSON, blocker.resolve("x.log")),
                    access, ZoneOffset.UTC))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("cannot open access log " + blocker.resolve("x.log"));
            AccessLog.open(new AccessLogConfig(true, Format.JSON, null), access, ZoneOffset.UTC).log(RECORD);
        } finally {
            context.stop();
        }
        assertThat(Files.readAllLines(dir.resolve("access.log"))).containsExactly(JSON_LINE);
    }

    @Test
    void aDisabledAccessLogWritesNothing(@TempDir Path dir) throws Exception {
        LoggerContext context = configure("logback.xml", dir);
        try {
            AccessLog log = AccessLog.open(new AccessLogConfig(false, Format.COMBINED, dir.resolve("never.log")),
                    context.getLogger(AccessLog.LOGGER_NAME), ZoneOffset.UTC);
            assertThat(log.enabled()).isFalse();
            log.log(RECORD);
        } finally {
            context.stop();
        }
        assertThat(Files.readAllLines(dir.resolve("access.log"))).isEmpty();
        assertThat(dir.resolve("never.log")).doesNotExist();
    }

    private static LoggerContext configure(String resource, Path dir) throws Exception {
        URL url = AccessLog.class.getClassLoader().getResource(resource);
        assertThat(url).as(resource + " on the class path").isNotNull();
        LoggerContext context = newContext();
        context.putProperty("SYNEDGE_LOG_DIR", dir.toString());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(url);
        assertThat(new StatusUtil(context).getHighestLevel(0)).as("logback status").isLessThan(Status.WARN);
        return context;
    }

    /** A context of its own, as SLF4J's provider would set it up, so tests don't share files. */
    private static LoggerContext newContext() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        return context;
    }

    private static String format(Format format, ZoneId zone, AccessRecord record) {
        LoggerContext context = newContext();
        try {
            return AccessLog.open(new AccessLogConfig(true, format, null), context.getLogger("test"), zone)
                    .format(record);
        } finally {
            context.stop();
        }
    }

    private static AccessRecord withTarget(byte[] target, String route) {
        return new AccessRecord(RECORD.timestampMillis(), RECORD.clientAddress(), RECORD.clientPort(),
                RECORD.listener(), RECORD.method(), target, RECORD.httpVersion(), RECORD.status(),
                RECORD.bytesReceived(), RECORD.bytesSent(), RECORD.referer(), RECORD.userAgent(),
                RECORD.totalMicros(), RECORD.connectMicros(), RECORD.firstByteMicros(), route,
                RECORD.cluster(), RECORD.endpoint(), RECORD.clientSynData(), RECORD.upstreamConnection(),
                RECORD.upstreamSynData(), RECORD.retries(), RECORD.termination());
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static Path root() {
        String root = System.getenv("SYNEDGE_ROOT");
        return root != null ? Path.of(root) : Path.of("..");
    }

    /**
     * A strict parser for what the JSON format writes: one flat object of strings, whole
     * numbers and nulls. Fails on anything else, so a malformed line cannot pass.
     */
    static Map<String, Object> parseFlatJson(String line) {
        Map<String, Object> result = new LinkedHashMap<>();
        int[] pos = {0};
        expect(line, pos, '{');
        while (true) {
            String key = parseString(line, pos);
            expect(line, pos, ':');
            Object value;
            char c = line.charAt(pos[0]);
            if (c == '"') {
                value = parseString(line, pos);
            } else if (line.startsWith("null", pos[0])) {
                pos[0] += 4;
                value = null;
            } else {
                int start = pos[0];
                while (pos[0] < line.length() && (Character.isDigit(line.charAt(pos[0])) || line.charAt(pos[0]) == '-')) {
                    pos[0]++;
                }
                value = Long.parseLong(line.substring(start, pos[0]));
            }
            if (result.put(key, value) != null) {
                throw new AssertionError("duplicate key " + key);
            }
            if (line.charAt(pos[0]) == ',') {
                pos[0]++;
                continue;
            }
            expect(line, pos, '}');
            if (pos[0] != line.length()) {
                throw new AssertionError("trailing characters at " + pos[0]);
            }
            return result;
        }
    }

    private static String parseString(String line, int[] pos) {
        expect(line, pos, '"');
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = line.charAt(pos[0]++);
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw new AssertionError("raw control character in string at " + (pos[0] - 1));
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = line.charAt(pos[0]++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(line.substring(pos[0], pos[0] + 4), 16));
                    pos[0] += 4;
                }
                default -> throw new AssertionError("bad escape \\" + e);
            }
        }
    }

    private static void expect(String line, int[] pos, char c) {
        if (line.charAt(pos[0]) != c) {
            throw new AssertionError("expected '" + c + "' at " + pos[0] + " in " + line);
        }
        pos[0]++;
    }
}
