package dev.synedge.accesslog;

/**
 * One JSON object per line, keys in a fixed order, pure ASCII: strings escape {@code "},
 * {@code \} and control characters, and write every non-ASCII character as {@code \\uXXXX};
 * bytes from the request (target, Referer, User-Agent) are decoded as UTF-8, each byte of an
 * invalid sequence becoming U+FFFD. Time is UTC with milliseconds. Absent values are null.
 *
 * <pre>
 * {"time":"2000-10-10T13:55:36.123Z","client":"192.0.2.7","client_port":50312,"listener":"main",
 *  "method":"GET","target":"/a?b=1","version":"HTTP/1.1","status":200,"received":78,"sent":1234,
 *  "referer":null,"user_agent":"curl/8.5.0","total_us":1520,"connect_us":210,"ttfb_us":890,
 *  "route":"site","cluster":"web","endpoint":"10.0.0.5:8080","client_syn_data":"yes",
 *  "upstream":"new","upstream_syn_data":"yes","retries":0,"termination":"-"}
 * </pre>
 */
final class JsonFormat implements LineFormat {

    @Override
    public void append(AccessRecord r, StringBuilder out, Scratch scratch) {
        out.append("{\"time\":\"");
        scratch.appendIsoTime(r.timestampMillis(), out);
        Escapes.json(out.append("\",\"client\":"), r.clientAddress());
        out.append(",\"client_port\":").append(r.clientPort());
        Escapes.json(out.append(",\"listener\":"), r.listener());
        Escapes.json(out.append(",\"method\":"), r.method());
        Escapes.json(out.append(",\"target\":"), r.target());
        Escapes.json(out.append(",\"version\":"), r.httpVersion());
        out.append(",\"status\":").append(r.status());
        out.append(",\"received\":").append(r.bytesReceived());
        out.append(",\"sent\":").append(r.bytesSent());
        Escapes.json(out.append(",\"referer\":"), r.referer());
        Escapes.json(out.append(",\"user_agent\":"), r.userAgent());
        micros(out.append(",\"total_us\":"), r.totalMicros());
        micros(out.append(",\"connect_us\":"), r.connectMicros());
        micros(out.append(",\"ttfb_us\":"), r.firstByteMicros());
        Escapes.json(out.append(",\"route\":"), r.route());
        Escapes.json(out.append(",\"cluster\":"), r.cluster());
        Escapes.json(out.append(",\"endpoint\":"), r.endpoint());
        Escapes.json(out.append(",\"client_syn_data\":"), r.clientSynData() == null ? null : r.clientSynData().text());
        Escapes.json(out.append(",\"upstream\":"), r.upstreamConnection() == null
                || r.upstreamConnection() == UpstreamConnection.NONE ? null : r.upstreamConnection().text());
        Escapes.json(out.append(",\"upstream_syn_data\":"),
                r.upstreamSynData() == null ? null : r.upstreamSynData().text());
        out.append(",\"retries\":").append(r.retries());
        out.append(",\"termination\":\"").append(r.termination().word()).append('"');
        out.append('}');
    }

    private static void micros(StringBuilder out, long micros) {
        if (micros < 0) {
            out.append("null");
        } else {
            out.append(micros);
        }
    }
}
