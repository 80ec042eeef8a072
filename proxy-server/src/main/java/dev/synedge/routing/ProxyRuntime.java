package dev.synedge.routing;

import dev.synedge.config.ProxyConfig;
import dev.synedge.config.RouteConfig;
import dev.synedge.http.RequestHeadWriter;
import dev.synedge.http.ResponseHeadWriter;
import java.util.List;

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

    private ProxyRuntime(ProxyConfig config) {
        this.config = config;
        this.router = Router.compile(config.routes());
        List<Route> routes = router.routes();
        this.requestWriters = new RequestHeadWriter[routes.size()];
        this.responseWriters = new ResponseHeadWriter[routes.size()];
        String via = config.http().via();
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
}
