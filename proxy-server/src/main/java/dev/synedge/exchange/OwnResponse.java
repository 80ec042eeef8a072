package dev.synedge.exchange;

import dev.synedge.accesslog.Termination;
import dev.synedge.config.HttpConfig;
import dev.synedge.http.BodyKind;
import dev.synedge.http.ErrorResponse;
import dev.synedge.http.Method;
import dev.synedge.http.RequestHead;
import dev.synedge.http.TraceResponse;
import dev.synedge.routing.Route;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * A response synedge writes itself instead of relaying one: its status, the reason the log
 * gives, the termination the access record gets, and how it is written.
 *
 * <p>{@link #forHead} decides from the request head alone, before anything is forwarded,
 * which requests never go upstream: one that already went through synedge (508), a refused
 * TRACE (405), a TRACE or OPTIONS whose Max-Forwards reached 0 here (answered as the last
 * recipient would), one no route matches (404), and one whose Content-Length is over
 * {@code http.max-request-body} (413).
 */
record OwnResponse(int status, String reason, Termination termination, Writer writer) {

    /** Writes the response for {@code request} into {@code out}; {@code close}: it says Connection: close. */
    interface Writer {
        void write(ByteBuf out, RequestHead request, boolean close);
    }

    /** What a 405 to a refused TRACE says synedge forwards. */
    private static final byte[] ALLOW_BUT_TRACE = "GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, PATCH"
            .getBytes(StandardCharsets.US_ASCII);
    private static final Writer TRACE_REFUSED =
            (out, request, close) -> ErrorResponse.writeMethodNotAllowed(out, ALLOW_BUT_TRACE, request, close);

    /** The standard response for {@code status}: a status line, a short body saying what it means. */
    static OwnResponse error(int status, String reason, Termination termination) {
        return new OwnResponse(status, reason, termination,
                (out, request, close) -> ErrorResponse.write(out, status, request, close));
    }

    /**
     * The response synedge gives {@code request} itself, or null when it goes upstream.
     * {@code via} is this proxy's pseudonym, lower case ({@code http.via}).
     */
    static OwnResponse forHead(RequestHead request, Route route, HttpConfig http, byte[] via) {
        Method method = request.method();
        if (http.loopDetection() && request.viaReceivedBy(via)) {
            return error(508, "its Via names " + http.via() + ": it came back through this proxy",
                    Termination.LOOP_DETECTED);
        }
        if (method == Method.TRACE && http.trace() == HttpConfig.Trace.REFUSE) {
            return new OwnResponse(405, "TRACE is refused (http.trace)", Termination.COMPLETED, TRACE_REFUSED);
        }
        if ((method == Method.TRACE || method == Method.OPTIONS) && request.maxForwards() == 0) {
            return method == Method.TRACE
                    ? new OwnResponse(200, "Max-Forwards: 0", Termination.COMPLETED, TraceResponse::write)
                    : error(200, "Max-Forwards: 0", Termination.COMPLETED);
        }
        if (route == null) {
            return error(404, "no route", Termination.COMPLETED);
        }
        long maxBody = http.maxRequestBody();
        if (maxBody > 0 && request.bodyKind() == BodyKind.CONTENT_LENGTH && request.contentLength() > maxBody) {
            return error(413, "Content-Length " + request.contentLength() + " over max-request-body " + maxBody,
                    Termination.REQUEST_TOO_LARGE);
        }
        return null;
    }
}
