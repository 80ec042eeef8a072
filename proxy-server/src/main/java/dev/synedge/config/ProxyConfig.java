package dev.synedge.config;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One validated snapshot of the whole configuration ({@code synedge { ... }}).
 *
 * @param eventLoops       event loops to run; 0 means one per available processor
 * @param fastopenRequired refuse to start when a listener asks for Fast Open and the kernel
 *                         would not accept SYN data ({@code fastopen.require})
 * @param listeners        at least one, names unique, in the order written
 * @param http             limits and Via settings shared by every listener
 * @param routes           in the order written: the first that matches a request wins
 * @param clusters         by name, sorted by name; every route's cluster is in here
 * @param endpointState    bounds of the per-endpoint state cache
 * @param accessLog        what the access log writes and where
 * @param lifecycle        graceful stop and takeover by a new process
 * @param admin            the admin API's listener
 * @param maxConnections   client connections open at once over all listeners; at the limit
 *                         synedge stops accepting until one closes; 0 = no limit,
 *                         {@link #MAX_CONNECTIONS_AUTO} = sized from the descriptor limit
 */
public record ProxyConfig(int eventLoops, boolean fastopenRequired, List<ListenerConfig> listeners,
                          HttpConfig http, List<RouteConfig> routes, Map<String, ClusterConfig> clusters,
                          EndpointStateConfig endpointState, AccessLogConfig accessLog,
                          LifecycleConfig lifecycle, AdminConfig admin, int maxConnections) {

    /** {@code max-connections = auto}: the server sizes it from the descriptor limit it runs with. */
    public static final int MAX_CONNECTIONS_AUTO = -1;

    public ProxyConfig {
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(http, "http");
        routes = List.copyOf(routes);
        clusters = Collections.unmodifiableSortedMap(new TreeMap<>(clusters));
        Objects.requireNonNull(endpointState, "endpointState");
        Objects.requireNonNull(accessLog, "accessLog");
        Objects.requireNonNull(lifecycle, "lifecycle");
        Objects.requireNonNull(admin, "admin");
    }
}
