package dev.synedge.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.synedge.config.ClusterConfig.LoadBalancing;
import dev.synedge.config.ClusterConfig.ResponseBody;
import dev.synedge.config.RouteMatch.PathMatch;
import dev.synedge.http.ForwardedMode;
import dev.synedge.http.HeaderEdits;
import dev.synedge.http.HttpLimits;
import dev.synedge.http.Method;
import dev.synedge.net.AddressText;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Turns the merged, resolved {@code synedge} object into records, validating as it goes and
 * recording every problem instead of stopping at the first.
 *
 * <p>List elements (listeners, routes, endpoints written as objects) and clusters take their
 * defaults from {@code synedge.defaults.*}: Typesafe merges objects by key but cannot give the
 * elements of a list defaults, so each element is merged with its defaults block here.
 */
final class ProxyConfigReader {

    /** Header fields the proxy itself manages: adding them would break framing or routing. */
    private static final Set<String> NOT_ADDABLE = Set.of("content-length", "transfer-encoding", "host",
            "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade");
    /** Removing these would leave a message without framing or without a Host. */
    private static final Set<String> NOT_REMOVABLE = Set.of("content-length", "transfer-encoding", "host");

    /** More connections than any host holds descriptors for. */
    private static final int MAX_CONNECTIONS = 100_000_000;

    private static final Set<String> TOP_FREE_FORM = Set.of("clusters",
            "defaults.route.request-headers.add", "defaults.route.response-headers.add");
    private static final Set<String> ROUTE_FREE_FORM = Set.of("request-headers.add", "response-headers.add");

    private final ConfigObject synedge;
    private final ConfigObject schema;
    private final Problems problems;
    private final Map<String, InetAddress[]> resolved = new HashMap<>();

    /**
     * @param synedge  the user's {@code synedge} object merged over the reference, resolved
     * @param schema   the reference's own {@code synedge} object: the keys that exist
     * @param problems where problems go
     */
    ProxyConfigReader(ConfigObject synedge, ConfigObject schema, Problems problems) {
        this.synedge = synedge;
        this.schema = schema;
        this.problems = problems;
    }

    ProxyConfig read() {
        Section top = new Section(synedge, "synedge", synedge.origin(), problems);
        UnknownKeys.check(synedge, schema, "synedge", TOP_FREE_FORM, problems);
        Defaults defaults = new Defaults(
                top.section("defaults.listener").object(),
                top.section("defaults.route").object(),
                top.section("defaults.cluster").object(),
                top.section("defaults.endpoint").object());

        int eventLoops = top.integer("event-loops", 0, 4096);
        boolean fastopenRequired = top.bool("fastopen.require");
        List<ListenerConfig> listeners = listeners(top, defaults);
        HttpConfig http = http(top.section("http"));
        Map<String, ClusterConfig> clusters = clusters(top, defaults);
        List<RouteConfig> routes = routes(top, defaults, clusters.keySet());
        Section state = top.section("endpoint-state");
        EndpointStateConfig endpointState = new EndpointStateConfig(
                state.integer("max-endpoints", 1, 100_000_000), state.duration("expire-after-access"));
        AccessLogConfig accessLog = accessLog(top.section("access-log"));
        LifecycleConfig lifecycle = lifecycle(top.section("lifecycle"));
        AdminConfig admin = admin(top.section("admin"));
        return new ProxyConfig(eventLoops, fastopenRequired, listeners, http, routes, clusters,
                endpointState, accessLog, lifecycle, admin, maxConnections(top));
    }

    private static int maxConnections(Section top) {
        ConfigValue value = top.raw("max-connections");
        if (value != null && value.valueType() == ConfigValueType.STRING) {
            String text = ((String) value.unwrapped()).strip();
            if (text.equalsIgnoreCase("auto")) {
                return ProxyConfig.MAX_CONNECTIONS_AUTO;
            }
            if (text.isEmpty() || !text.chars().allMatch(Character::isDigit)) {
                top.problem("max-connections", "expected auto or a whole number, got " + Section.describe(value));
                return ProxyConfig.MAX_CONNECTIONS_AUTO;
            }
        }
        return top.integer("max-connections", 0, MAX_CONNECTIONS);
    }

    /** The defaults blocks after the user's overrides; their keys are the schema of the elements. */
    private record Defaults(ConfigObject listener, ConfigObject route, ConfigObject cluster,
                            ConfigObject endpoint) {}


    private List<ListenerConfig> listeners(Section top, Defaults defaults) {
        ConfigList list = top.list("listeners");
        if (list.isEmpty() && !top.isNonList("listeners")) {
            top.problem("listeners", "at least one listener is required");
        }
        List<ListenerConfig> result = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<InetSocketAddress, String> binds = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            Section s = element(list.get(i), "synedge.listeners[" + i + "]", defaults.listener(), Set.of());
            if (s == null) {
                continue;
            }
            String name = uniqueName(s, names, "listener");
            InetAddress address = bindAddress(s);
            int port = s.integer("port", 0, 65535);
            InetSocketAddress socketAddress = new InetSocketAddress(address, port);
            if (port != 0) {
                String other = binds.putIfAbsent(socketAddress, name);
                if (other != null) {
                    s.problem("port", "listener '" + name + "' binds " + AddressText.of(socketAddress)
                            + ", as listener '" + other + "' does");
                }
            }
            result.add(new ListenerConfig(name, socketAddress,
                    s.integer("fastopen-queue", 0, 1_000_000),
                    s.integer("backlog", 1, 1_000_000),
                    s.bool("reuse-port"),
                    s.bool("mptcp"),
                    s.duration("idle-timeout"),
                    s.duration("header-read-timeout"),
                    s.integer("max-connections", 0, MAX_CONNECTIONS),
                    s.integer("max-connections-per-client", 0, MAX_CONNECTIONS)));
        }
        return result;
    }

    private InetAddress bindAddress(Section s) {
        String text = s.string("address");
        if (text.isEmpty()) {
            return InetAddress.getLoopbackAddress();
        }
        try {
            String host = Syntax.bindHost(text);
            return resolve(host)[0];
        } catch (IllegalArgumentException e) {
            s.problem("address", e.getMessage());
        } catch (java.net.UnknownHostException e) {
            s.problem("address", "cannot resolve '" + text + "' (" + e.getMessage() + ")");
        }
        return InetAddress.getLoopbackAddress();
    }


    private HttpConfig http(Section s) {
        int requestLine = s.bytes("max-request-line", 16, 1 << 20);
        int headerBytes = s.bytes("max-header-bytes", 64, 16 << 20);
        int headerCount = s.integer("max-header-count", 1, 10_000);
        int chunkLine = s.bytes("max-chunk-line", 16, 1 << 16);
        int trailerBytes = s.bytes("max-trailer-bytes", 0, 16 << 20);
        long maxRequestBody = s.bytes("max-request-body", 0L, Long.MAX_VALUE);
        HttpLimits limits = HttpLimits.DEFAULTS;
        if (headerBytes < requestLine) {
            s.problem("max-header-bytes", "must be at least max-request-line (" + requestLine
                    + "), since the head includes the request line; got " + headerBytes);
        } else {
            limits = new HttpLimits(requestLine, headerBytes, headerCount, chunkLine, trailerBytes);
        }
        String via = s.string("via");
        try {
            Syntax.token(via, "Via pseudonym");
        } catch (IllegalArgumentException e) {
            s.problem("via", e.getMessage());
        }
        Section body = s.section("request-body");
        Duration bodyTimeout = body.duration("timeout");
        Duration bodyMaxTime = body.duration("max-time");
        if (bodyMaxTime.compareTo(bodyTimeout) < 0) {
            body.problem("max-time", "must be at least timeout (" + bodyTimeout + "), got " + bodyMaxTime);
        }
        RequestBodyConfig requestBody = new RequestBodyConfig(bodyTimeout, body.bytes("min-rate", 0L, 1L << 40),
                bodyMaxTime, body.bytes("buffering", 0L, 1L << 30));
        return new HttpConfig(limits, maxRequestBody, via, s.bool("via-on-responses"), s.bool("loop-detection"),
                s.choice("trace", HttpConfig.Trace.class), requestBody);
    }


    private Map<String, ClusterConfig> clusters(Section top, Defaults defaults) {
        Map<String, ClusterConfig> result = new TreeMap<>();
        ConfigValue value = top.raw("clusters");
        if (value == null || value.valueType() == ConfigValueType.NULL) {
            return result;
        }
        if (!(value instanceof ConfigObject clusters)) {
            top.problem("clusters", "expected an object of clusters by name, got " + Section.describe(value));
            return result;
        }
        for (String name : new TreeMap<>(clusters).keySet()) {
            String path = "synedge.clusters." + name;
            try {
                Syntax.name(name);
            } catch (IllegalArgumentException e) {
                problems.add(clusters.get(name).origin(), path, e.getMessage());
            }
            Section s = element(clusters.get(name), path, defaults.cluster(), Set.of());
            if (s != null) {
                result.put(name, cluster(name, s, defaults));
            }
        }
        return result;
    }

    private ClusterConfig cluster(String name, Section s, Defaults defaults) {
        List<EndpointConfig> endpoints = endpoints(s, defaults);
        LoadBalancing loadBalancing = s.choice("load-balancing", LoadBalancing.class);
        boolean fastopen = s.bool("fastopen");
        boolean mptcp = s.bool("mptcp");
        ResponseBody responseBody = s.choice("response-body", ResponseBody.class);
        int maxConnections = s.integer("max-connections-per-endpoint", 0, 1_000_000);
        Section pool = s.section("pool");
        PoolConfig poolConfig = new PoolConfig(pool.integer("max-idle", 0, 1_000_000),
                pool.duration("idle-timeout"), pool.integer("max-requests", 0, Integer.MAX_VALUE));
        Section timeouts = s.section("timeouts");
        TimeoutsConfig timeoutsConfig = new TimeoutsConfig(timeouts.duration("connect"),
                timeouts.duration("response-head"), timeouts.duration("idle"));
        Section backoff = s.section("fastopen-backoff");
        int failures = backoff.integer("failures", 1, 1_000_000);
        Duration initial = backoff.duration("initial");
        Duration max = backoff.duration("max");
        if (max.compareTo(initial) < 0) {
            backoff.problem("max", "must be at least initial (" + initial + "), got " + max);
        }
        return new ClusterConfig(name, endpoints, loadBalancing, fastopen, mptcp, responseBody,
                maxConnections, poolConfig, timeoutsConfig, new FastopenBackoffConfig(failures, initial, max),
                retries(s.section("retries")), outlierDetection(s.section("outlier-detection")),
                healthCheck(s.section("health-check")), new QueueConfig(s.integer("queue.size", 0, 1_000_000),
                        s.duration("queue.timeout")));
    }

    private static final Map<String, RetryConfig.Condition> RETRY_CONDITIONS = Map.of(
            "connect-failure", RetryConfig.Condition.CONNECT_FAILURE,
            "reset", RetryConfig.Condition.RESET,
            "response-head-timeout", RetryConfig.Condition.RESPONSE_HEAD_TIMEOUT);

    private static RetryConfig retries(Section s) {
        Set<RetryConfig.Condition> on = new HashSet<>();
        Set<Integer> statuses = new HashSet<>();
        for (String word : s.strings("on")) {
            RetryConfig.Condition condition = RETRY_CONDITIONS.get(word.toLowerCase(Locale.ROOT));
            if (condition != null) {
                on.add(condition);
            } else if (word.matches("5[0-9][0-9]")) {
                statuses.add(Integer.parseInt(word));
            } else {
                s.problem("on", "unknown retry condition '" + word + "'; allowed: connect-failure, reset,"
                        + " response-head-timeout, or a 5xx status such as 503");
            }
        }
        Duration perTry = s.optionalString("per-try-timeout") == null ? null : s.duration("per-try-timeout");
        return new RetryConfig(s.integer("max", 0, 10), on, statuses, perTry, s.integer("budget-percent", 0, 100));
    }

    private static OutlierConfig outlierDetection(Section s) {
        Duration ejection = s.duration("ejection");
        Duration maxEjection = s.duration("max-ejection");
        if (maxEjection.compareTo(ejection) < 0) {
            s.problem("max-ejection", "must be at least ejection (" + ejection + "), got " + maxEjection);
        }
        return new OutlierConfig(s.integer("consecutive-failures", 0, 1_000_000),
                s.integer("consecutive-errors", 0, 1_000_000), statuses(s, "error-statuses", 500, 599), ejection,
                maxEjection, s.integer("max-ejected-percent", 0, 100));
    }

    private static Set<Integer> statuses(Section s, String key, int min, int max) {
        Set<Integer> statuses = new HashSet<>();
        for (String word : s.strings(key)) {
            int status = word.matches("[0-9]{3}") ? Integer.parseInt(word) : -1;
            if (status < min || status > max) {
                s.problem(key, "expected statuses " + min + "-" + max + ", got '" + word + "'");
            } else {
                statuses.add(status);
            }
        }
        return statuses;
    }

    private static HealthCheckConfig healthCheck(Section s) {
        List<HealthCheckConfig.StatusRange> expect = new ArrayList<>();
        for (String word : s.strings("expect")) {
            String[] bounds = word.split("-", -1);
            boolean valid = bounds.length <= 2 && Arrays.stream(bounds).allMatch(b -> b.matches("[1-5][0-9][0-9]"));
            if (!valid || (bounds.length == 2 && Integer.parseInt(bounds[0]) > Integer.parseInt(bounds[1]))) {
                s.problem("expect", "expected a status or a range such as \"200-399\", got '" + word + "'");
                continue;
            }
            expect.add(new HealthCheckConfig.StatusRange(Integer.parseInt(bounds[0]),
                    Integer.parseInt(bounds[bounds.length - 1])));
        }
        if (expect.isEmpty() && !s.isNonList("expect")) {
            s.problem("expect", "at least one status or range is required, e.g. [\"200-399\"]");
        }
        String path = s.string("path");
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            s.problem("path", "expected an origin-form target such as /healthz, got '" + path + "'");
        }
        return new HealthCheckConfig(s.bool("enabled"), s.duration("interval"), s.duration("jitter"),
                s.duration("timeout"), path, s.optionalString("host"), expect, s.integer("rise", 1, 100),
                s.integer("fall", 1, 100));
    }

    private List<EndpointConfig> endpoints(Section cluster, Defaults defaults) {
        ConfigList list = cluster.list("endpoints");
        if (list.isEmpty() && !cluster.isNonList("endpoints")) {
            cluster.problem("endpoints", "at least one endpoint is required, e.g. [ \"127.0.0.1:9000\" ]");
        }
        List<EndpointConfig> result = new ArrayList<>();
        Map<InetSocketAddress, String> seen = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            ConfigValue value = list.get(i);
            String key = cluster.key("endpoints") + "[" + i + "]";
            String text;
            int weight;
            ConfigOrigin origin;
            if (value.valueType() == ConfigValueType.STRING) {
                text = (String) value.unwrapped();
                weight = defaultWeight(defaults);
                origin = value.origin();
            } else {
                Section s = element(value, key, defaults.endpoint(), Set.of());
                if (s == null) {
                    continue;
                }
                text = s.string("address");
                weight = s.integer("weight", 1, 1_000_000);
                origin = s.originOf("address");
                key = s.key("address");
                if (text.isEmpty()) {
                    continue;
                }
            }
            for (InetSocketAddress address : endpointAddresses(text, origin, key)) {
                String earlier = seen.putIfAbsent(address, text);
                if (earlier != null) {
                    problems.add(origin, key, "endpoint " + AddressText.of(address) + " (from '" + text
                            + "') is already in the cluster (from '" + earlier + "'); use weight to give it more traffic");
                } else {
                    result.add(new EndpointConfig(text, address, weight));
                }
            }
        }
        return result;
    }

    private int defaultWeight(Defaults defaults) {
        Section s = new Section(defaults.endpoint(), "synedge.defaults.endpoint", defaults.endpoint().origin(), problems);
        return s.integer("weight", 1, 1_000_000);
    }

    /**
     * Every address of the endpoint's host: a hostname with several addresses becomes several
     * endpoints (as in nginx), each with the configured weight.
     */
    private List<InetSocketAddress> endpointAddresses(String text, ConfigOrigin origin, String key) {
        Syntax.HostPort hostPort;
        try {
            hostPort = Syntax.hostPort(text);
        } catch (IllegalArgumentException e) {
            problems.add(origin, key, e.getMessage());
            return List.of();
        }
        try {
            return Arrays.stream(resolve(hostPort.host()))
                    .map(address -> new InetSocketAddress(address, hostPort.port()))
                    .toList();
        } catch (java.net.UnknownHostException e) {
            problems.add(origin, key, "cannot resolve '" + hostPort.host() + "' (" + e.getMessage() + ")");
            return List.of();
        }
    }

    /** Resolves a name once per load; IP literals are converted without any lookup. */
    private InetAddress[] resolve(String host) throws java.net.UnknownHostException {
        InetAddress[] cached = resolved.get(host);
        if (cached != null) {
            return cached;
        }
        byte[] literal = io.netty.util.NetUtil.createByteArrayFromIpAddressString(host);
        InetAddress[] addresses = literal != null
                ? new InetAddress[] {InetAddress.getByAddress(literal)}
                : new LinkedHashSet<>(Arrays.asList(InetAddress.getAllByName(host))).toArray(InetAddress[]::new);
        resolved.put(host, addresses);
        return addresses;
    }


    private List<RouteConfig> routes(Section top, Defaults defaults, Set<String> clusters) {
        ConfigList list = top.list("routes");
        List<RouteConfig> result = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            Section s = element(list.get(i), "synedge.routes[" + i + "]", defaults.route(), ROUTE_FREE_FORM);
            if (s != null) {
                result.add(route(s, names, clusters));
            }
        }
        return result;
    }

    private RouteConfig route(Section s, Map<String, String> names, Set<String> clusters) {
        String name = uniqueName(s, names, "route");
        RouteMatch match = match(s.section("match"));
        String cluster = s.string("cluster");
        if (!cluster.isEmpty() && !clusters.contains(cluster)) {
            s.problem("cluster", clusters.isEmpty()
                    ? "no cluster named '" + cluster + "': synedge.clusters is empty"
                    : "no cluster named '" + cluster + "'" + suggestion(cluster, clusters));
        }
        String rewrite = s.optionalString("rewrite-prefix");
        if (rewrite != null) {
            rewrite = checked(s, "rewrite-prefix", rewrite, Syntax::path);
        }
        boolean idempotent = s.bool("idempotent");
        ForwardedMode xForwarded = s.choice("x-forwarded", ForwardedMode.class);
        ForwardedMode forwarded = s.choice("forwarded", ForwardedMode.class);
        List<Cidr> trusted = new ArrayList<>();
        ConfigList hops = s.list("trusted-hops");
        for (int i = 0; i < hops.size(); i++) {
            ConfigValue hop = hops.get(i);
            String key = s.key("trusted-hops") + "[" + i + "]";
            if (hop.valueType() != ConfigValueType.STRING) {
                problems.add(hop.origin(), key, "expected an address range such as \"10.0.0.0/8\", got "
                        + Section.describe(hop));
                continue;
            }
            try {
                trusted.add(Cidr.parse((String) hop.unwrapped()));
            } catch (IllegalArgumentException e) {
                problems.add(hop.origin(), key, e.getMessage());
            }
        }
        return new RouteConfig(name, match, cluster, rewrite, idempotent, xForwarded, forwarded, trusted,
                headerEdits(s.section("request-headers")), headerEdits(s.section("response-headers")));
    }

    private RouteMatch match(Section s) {
        Set<String> hosts = new LinkedHashSet<>();
        ConfigList hostList = s.list("hosts");
        for (int i = 0; i < hostList.size(); i++) {
            ConfigValue host = hostList.get(i);
            String key = s.key("hosts") + "[" + i + "]";
            if (host.valueType() != ConfigValueType.STRING) {
                problems.add(host.origin(), key, "expected a host name, got " + Section.describe(host));
                continue;
            }
            try {
                hosts.add(Syntax.hostPattern((String) host.unwrapped()));
            } catch (IllegalArgumentException e) {
                problems.add(host.origin(), key, e.getMessage());
            }
        }
        String prefix = s.optionalString("path-prefix");
        String exact = s.optionalString("path");
        PathMatch path = new PathMatch.Prefix("/");
        if (prefix != null && exact != null) {
            s.problem("path", "set either path (exact) or path-prefix, not both");
        } else if (exact != null) {
            path = new PathMatch.Exact(checked(s, "path", exact, Syntax::path));
        } else if (prefix != null) {
            path = new PathMatch.Prefix(checked(s, "path-prefix", prefix, Syntax::path));
        }
        Set<Method> methods = EnumSet.noneOf(Method.class);
        for (String method : s.strings("methods")) {
            Method parsed = method(method);
            if (parsed == null) {
                s.problem("methods", "unknown method '" + method + "'; allowed: " + Arrays.stream(Method.values())
                        .filter(m -> m != Method.OTHER).map(Enum::name).collect(Collectors.joining(", ")));
            } else {
                methods.add(parsed);
            }
        }
        return new RouteMatch(List.copyOf(hosts), path, methods);
    }

    private static Method method(String text) {
        for (Method method : Method.values()) {
            if (method != Method.OTHER && method.name().equalsIgnoreCase(text)) {
                return method;
            }
        }
        return null;
    }

    private HeaderEdits headerEdits(Section s) {
        List<HeaderEdits.Field> add = new ArrayList<>();
        ConfigValue addValue = s.raw("add");
        if (addValue instanceof ConfigObject fields) {
            // An object loses the order it was written in; sort by line so that it comes back.
            List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(fields.entrySet());
            entries.sort(Comparator.<Map.Entry<String, ConfigValue>>comparingInt(e -> e.getValue().origin().lineNumber())
                    .thenComparing(Map.Entry::getKey));
            for (Map.Entry<String, ConfigValue> entry : entries) {
                String key = s.key("add") + "." + entry.getKey();
                ConfigValue value = entry.getValue();
                try {
                    String name = Syntax.token(entry.getKey(), "header field name");
                    if (NOT_ADDABLE.contains(name.toLowerCase(Locale.ROOT))) {
                        throw new IllegalArgumentException("'" + name + "' is managed by the proxy and cannot be added");
                    }
                    if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST
                            || value.valueType() == ConfigValueType.NULL) {
                        throw new IllegalArgumentException("expected the field's value as a string, got "
                                + Section.describe(value));
                    }
                    add.add(new HeaderEdits.Field(name, Syntax.fieldValue(String.valueOf(value.unwrapped()))));
                } catch (IllegalArgumentException e) {
                    problems.add(value.origin(), key, e.getMessage());
                }
            }
        } else if (addValue != null && addValue.valueType() != ConfigValueType.NULL) {
            s.problem("add", "expected an object { Field-Name = \"value\" }, got " + Section.describe(addValue));
        }
        List<String> remove = new ArrayList<>();
        for (String name : s.strings("remove")) {
            try {
                Syntax.token(name, "header field name");
                if (NOT_REMOVABLE.contains(name.toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("'" + name + "' is needed for framing or routing and cannot be removed");
                }
                remove.add(name);
            } catch (IllegalArgumentException e) {
                s.problem("remove", e.getMessage());
            }
        }
        return add.isEmpty() && remove.isEmpty() ? HeaderEdits.NONE : new HeaderEdits(add, remove);
    }


    private AccessLogConfig accessLog(Section s) {
        boolean enabled = s.bool("enabled");
        AccessLogConfig.Format format = s.choice("format", AccessLogConfig.Format.class);
        return new AccessLogConfig(enabled, format, optionalPath(s, "path", "keep the file logback.xml names"));
    }

    private LifecycleConfig lifecycle(Section s) {
        return new LifecycleConfig(s.duration("drain-timeout"), optionalPath(s, "takeover-socket", "have no takeover"));
    }

    private AdminConfig admin(Section s) {
        boolean enabled = s.bool("enabled");
        InetSocketAddress address = new InetSocketAddress(bindAddress(s), s.integer("port", 0, 65535));
        String token = s.optionalString("token");
        if (token != null) {
            token = checked(s, "token", token, Syntax::bearerToken);
        }
        return new AdminConfig(enabled, address, token == null ? null : new Secret(token));
    }

    /** A file path, or null when the key is null; {@code nullMeans} says what null does, for the problem. */
    private static Path optionalPath(Section s, String key, String nullMeans) {
        String text = s.optionalString(key);
        if (text == null) {
            return null;
        }
        if (text.isBlank()) {
            s.problem(key, "must not be empty; use null to " + nullMeans);
            return null;
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            s.problem(key, "not a valid file path: " + e.getMessage());
            return null;
        }
    }


    /**
     * An object element merged with its defaults, after reporting keys the defaults don't
     * have; null (with a problem) when the element is not an object.
     */
    private Section element(ConfigValue value, String path, ConfigObject schema, Set<String> freeForm) {
        if (!(value instanceof ConfigObject object)) {
            problems.add(value.origin(), path, "expected an object { ... }, got " + Section.describe(value));
            return null;
        }
        UnknownKeys.check(object, schema, path, freeForm, problems);
        return new Section(object.withFallback(schema), path, object.origin(), problems);
    }

    private String uniqueName(Section s, Map<String, String> names, String what) {
        String name = s.string("name");
        if (name.isEmpty()) {
            return name;
        }
        try {
            Syntax.name(name);
        } catch (IllegalArgumentException e) {
            s.problem("name", e.getMessage());
            return name;
        }
        String earlier = names.putIfAbsent(name, s.path());
        if (earlier != null) {
            s.problem("name", "duplicate " + what + " name '" + name + "' (also used by " + earlier + ")");
        }
        return name;
    }

    private static String checked(Section s, String relative, String text,
                                  java.util.function.UnaryOperator<String> check) {
        try {
            return check.apply(text);
        } catch (IllegalArgumentException e) {
            s.problem(relative, e.getMessage());
            return text;
        }
    }

    private static String suggestion(String wrong, Set<String> known) {
        String hint = UnknownKeys.unknown(wrong, known);
        int open = hint.indexOf("(did you mean");
        return open >= 0 ? " " + hint.substring(open) : " (clusters: " + String.join(", ", new TreeSet<>(known)) + ")";
    }

}
