package dev.synedge.server;

import dev.synedge.config.ProxyConfig;
import dev.synedge.config.RouteConfig;
import dev.synedge.config.RouteMatch;
import dev.synedge.http.RequestHeadWriter;
import dev.synedge.http.ResponseHeadWriter;
import dev.synedge.routing.Route;
import dev.synedge.routing.Router;
import java.nio.charset.StandardCharsets;
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
            String[] rewrite = rc.rewritePrefix() == null ? new String[2] : rewrite(rc.match().path(), rc.rewritePrefix());
            requestWriters[route.index()] = new RequestHeadWriter(via, rc.xForwarded(), rc.forwarded(),
                    rc.requestHeaders(), ascii(rewrite[0]), ascii(rewrite[1]));
            responseWriters[route.index()] = new ResponseHeadWriter(
                    config.http().viaOnResponses() ? via : null, rc.responseHeaders());
        }
    }

    /**
     * The plain byte replacement {from, to} the head writer makes for a route's rewrite-prefix,
     * chosen so that exactly one slash stays where the replacement meets the rest of the path
     * (with path-prefix /api: rewrite-prefix / forwards /api/users as /users and /api as /;
     * /v2 or /v2/ forward it as /v2/users). A prefix route's path continues after its prefix
     * (without a trailing slash) with a slash, a query or nothing, so both drop their trailing
     * slash; the writer puts back a lone / when nothing is left. The prefix / itself cannot
     * lose its slash: the replacement keeps one instead. An exact path is replaced whole.
     */
    static String[] rewrite(RouteMatch.PathMatch match, String to) {
        if (match instanceof RouteMatch.PathMatch.Exact exact) {
            return new String[] {exact.path(), to};
        }
        String from = match.path();
        if (from.equals("/")) {
            return new String[] {from, to.endsWith("/") ? to : to + "/"};
        }
        return new String[] {stripSlash(from), stripSlash(to)};
    }

    private static String stripSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static byte[] ascii(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.US_ASCII);
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
