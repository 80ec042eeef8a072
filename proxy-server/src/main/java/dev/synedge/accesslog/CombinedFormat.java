package dev.synedge.accesslog;

import java.time.ZoneId;

/**
 * The combined log format of Apache and nginx, then synedge's own fields as key=value pairs:
 *
 * <pre>
 * 192.0.2.7 - - [10/Oct/2000:13:55:36 +0000] "GET /a?b=1 HTTP/1.1" 200 1234 "-" "curl/8.5.0" listener=main
 *   client_port=50312 received=78 total_us=1520 connect_us=210 ttfb_us=890 route=site cluster=web
 *   endpoint=10.0.0.5:8080 client_syn_data=yes upstream=new upstream_syn_data=yes retries=0 termination=-
 * </pre>
 *
 * (one line). The size field is the bytes sent to the client, head included (Apache's %O).
 * Quoted fields escape {@code "}, {@code \}, control and non-ASCII bytes as {@code \xHH};
 * key=value values also escape spaces. Absent values are {@code -}.
 */
final class CombinedFormat implements LineFormat {

    private final ZoneId zone;

    CombinedFormat(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public void append(AccessRecord r, StringBuilder out, Scratch scratch) {
        Escapes.bare(out, r.clientAddress());
        out.append(" - - [").append(scratch.commonLogTime(r.timestampMillis(), zone)).append("] \"");
        Escapes.quoted(out, r.method());
        out.append(' ');
        Escapes.quoted(out, r.target());
        out.append(' ');
        Escapes.quoted(out, r.httpVersion());
        out.append("\" ").append(r.status()).append(' ').append(r.bytesSent()).append(" \"");
        Escapes.quoted(out, r.referer());
        out.append("\" \"");
        Escapes.quoted(out, r.userAgent());
        out.append("\" listener=");
        Escapes.bare(out, r.listener());
        out.append(" client_port=").append(r.clientPort());
        out.append(" received=").append(r.bytesReceived());
        micros(out.append(" total_us="), r.totalMicros());
        micros(out.append(" connect_us="), r.connectMicros());
        micros(out.append(" ttfb_us="), r.firstByteMicros());
        Escapes.bare(out.append(" route="), r.route());
        Escapes.bare(out.append(" cluster="), r.cluster());
        Escapes.bare(out.append(" endpoint="), r.endpoint());
        out.append(" client_syn_data=").append(synData(r.clientSynData()));
        out.append(" upstream=").append(r.upstreamConnection() == null ? "-" : r.upstreamConnection().text());
        out.append(" upstream_syn_data=").append(synData(r.upstreamSynData()));
        out.append(" retries=").append(r.retries());
        out.append(" termination=").append(r.termination().word());
    }

    private static void micros(StringBuilder out, long micros) {
        if (micros < 0) {
            out.append('-');
        } else {
            out.append(micros);
        }
    }

    private static String synData(SynData value) {
        return value == null ? "-" : value.text();
    }
}
