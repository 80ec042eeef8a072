package dev.synedge.routing;

import dev.synedge.config.ProxyConfig;
import dev.synedge.config.RouteConfig;
import dev.synedge.http.RequestHeadWriter;
import dev.synedge.http.ResponseHeadWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * One configuration made ready for the hot path: the compiled router and, per route, the head
 * writers with their pre-encoded edits. Immutable and shared by all loops; a reload builds a
 * new one and swaps it in whole.
 */
public final class ProxyRuntime {

    private final ProxyConfig config;
    private final Router router;
    private final RequestHeadWriter[] requestWriters;
    private final ResponseHeadWriter[] responseWriters;
    private final byte[] via;

    private ProxyRuntime(ProxyConfig config) {
        this.config = config;
        this.router = Router.compile(config.routes());
        List<Route> routes = router.routes();
        this.requestWriters = new RequestHeadWriter[routes.size()];
        this.responseWriters = new ResponseHeadWriter[routes.size()];
        String via = config.http().via();
        this.via = via.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        for (Route route : routes) {
            RouteConfig rc = route.config();
            requestWriters[route.index()] = new RequestHeadWriter(via, rc.xForwarded(), rc.forwarded(),
                    rc.requestHeaders(), route.rewriteFrom(), route.rewriteTo());
            responseWriters[route.index()] = new ResponseHeadWriter(
                    config.http().viaOnResponses() ? via : null, rc.responseHeaders());
        }
    }

    public static ProxyRuntime of(ProxyConfig config) {
        return new ProxyRuntime(config);
    }

    public ProxyConfig config() {
        return config;
    }

    public Router router() {
        return router;
    }

    public RequestHeadWriter requestWriter(Route route) {
        return requestWriters[route.index()];
    }

    public ResponseHeadWriter responseWriter(Route route) {
        return responseWriters[route.index()];
    }

    /** The Via pseudonym in lower-case ASCII, to recognise requests that came back through this proxy. */
    public byte[] via() {
        return via;
    }
}
