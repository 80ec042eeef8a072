package dev.synedge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.synedge.config.ClusterConfig.LoadBalancing;
import dev.synedge.config.ClusterConfig.ResponseBody;
import dev.synedge.config.RouteMatch.PathMatch;
import dev.synedge.http.ForwardedMode;
import dev.synedge.http.HeaderEdits;
import dev.synedge.http.HttpLimits;
import dev.synedge.http.Method;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigLoaderTest {

    static final RetryConfig DEFAULT_RETRIES = new RetryConfig(1,
            Set.of(RetryConfig.Condition.CONNECT_FAILURE, RetryConfig.Condition.RESET), Set.of(), null, 20);
    static final OutlierConfig DEFAULT_OUTLIERS = new OutlierConfig(3, 0, Set.of(502, 503, 504),
            Duration.ofSeconds(30), Duration.ofMinutes(5), 50);
    static final HealthCheckConfig DEFAULT_HEALTH_CHECK = new HealthCheckConfig(false, Duration.ofSeconds(5),
            Duration.ofSeconds(1), Duration.ofSeconds(2), "/", null, List.of(new HealthCheckConfig.StatusRange(200, 399)),
            2, 3);

    private static final String FULL = """
            synedge {
              event-loops = 2
              max-connections = 50000
              fastopen.require = true
              listeners = [
                { name = "public", address = "127.0.0.1", port = 8443, fastopen-queue = 1024, backlog = 512,
                  reuse-port = false, mptcp = true, idle-timeout = 30s, header-read-timeout = 5s,
                  max-connections = 20000, max-connections-per-client = 64 }
                { name = "v6", address = "::1", port = 0 }
              ]
              http {
                max-request-line = 4k
                max-header-bytes = 16KiB
                max-header-count = 50
                max-chunk-line = 1k
                max-trailer-bytes = 0
                max-request-body = 1g
                request-body { timeout = 5s, min-rate = 100, max-time = 1m, buffering = 64k }
                via = "edge-1"
                via-on-responses = true
              }
              routes = [
                { name = "api"
                  match { hosts = ["API.Example.com.", "*.api.example.com", "[::1]"], path-prefix = "/v1", methods = ["get", "HEAD"] }
                  cluster = "api"
                  rewrite-prefix = "/"
                  idempotent = true
                  x-forwarded = replace
                  forwarded = append
                  trusted-hops = ["10.0.0.0/8", "::1/128", "::ffff:192.168.0.0/112"]
                  request-headers {
                    add {
                      X-Trace = 1
                      X-Env = "prod"
                    }
                    remove = ["X-Debug"]
                  }
                  response-headers { remove = ["Server"] }
                }
                { name = "health", match.path = "/healthz", cluster = "api" }
                { name = "site", cluster = "web" }
              ]
              clusters {
                api {
                  endpoints = [ "127.0.0.1:9001", { address = "[::1]:9002", weight = 3 } ]
                  load-balancing = least-outstanding
                  fastopen = on
                  mptcp = true
                  response-body = zero-copy
                  max-connections-per-endpoint = 100
                  queue { size = 10, timeout = 2s }
                  pool { max-idle = 8, idle-timeout = 15s, max-requests = 1000 }
                  timeouts { connect = 500ms, response-head = 10s, idle = 20s }
                  fastopen-backoff { failures = 5, initial = 10s, max = 10m }
                  retries { max = 2, on = [connect-failure, 503], per-try-timeout = 3s, budget-percent = 10 }
                  outlier-detection { consecutive-failures = 5, consecutive-errors = 2, error-statuses = [503],
                                      ejection = 10s, max-ejection = 1m, max-ejected-percent = 30 }
                  health-check { enabled = true, interval = 2s, path = "/healthz", host = "api.internal",
                                 expect = ["200", "300-301"], rise = 1, fall = 2 }
                }
                web { endpoints = [ "localhost:9003" ] }
              }
              endpoint-state { max-endpoints = 500, expire-after-access = 10m }
              access-log { enabled = false, format = json, path = "/tmp/synedge-access.log" }
              lifecycle { drain-timeout = 5s, takeover-socket = "/tmp/synedge-takeover.sock" }
              admin { enabled = true, address = "::1", port = 9902, token = "s3cret-Token/x+y==" }
            }
            """;

    @Test
    void fullExampleLoadsIntoTheExpectedRecords() throws Exception {
        ProxyConfig config = ConfigLoader.load(FULL, "full.conf");

        HttpConfig http = new HttpConfig(new HttpLimits(4096, 16384, 50, 1024, 0), 1L << 30, "edge-1", true, true,
                HttpConfig.Trace.REFUSE, new RequestBodyConfig(Duration.ofSeconds(5), 100, Duration.ofMinutes(1), 65536));
        List<ListenerConfig> listeners = List.of(
                new ListenerConfig("public", new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8443),
                        1024, 512, false, true, Duration.ofSeconds(30), Duration.ofSeconds(5), 20000, 64),
                new ListenerConfig("v6", new InetSocketAddress(InetAddress.getByName("::1"), 0),
                        0, 4096, true, false, Duration.ofSeconds(60), Duration.ofSeconds(10), 0, 0));
        HeaderEdits requestEdits = new HeaderEdits(
                List.of(new HeaderEdits.Field("X-Trace", "1"), new HeaderEdits.Field("X-Env", "prod")),
                List.of("x-debug"));
        HeaderEdits responseEdits = new HeaderEdits(List.of(), List.of("server"));
        List<RouteConfig> routes = List.of(
                new RouteConfig("api",
                        new RouteMatch(List.of("api.example.com", "*.api.example.com", "[::1]"),
                                new PathMatch.Prefix("/v1"), EnumSet.of(Method.GET, Method.HEAD)),
                        "api", "/", true, ForwardedMode.REPLACE, ForwardedMode.APPEND,
                        List.of(new Cidr(InetAddress.getByName("10.0.0.0"), 8),
                                new Cidr(InetAddress.getByName("::1"), 128),
                                new Cidr(InetAddress.getByName("192.168.0.0"), 16)),
                        requestEdits, responseEdits),
                new RouteConfig("health", new RouteMatch(List.of(), new PathMatch.Exact("/healthz"), Set.of()),
                        "api", null, false, ForwardedMode.APPEND, ForwardedMode.OFF, List.of(),
                        HeaderEdits.NONE, HeaderEdits.NONE),
                new RouteConfig("site", new RouteMatch(List.of(), new PathMatch.Prefix("/"), Set.of()),
                        "web", null, false, ForwardedMode.APPEND, ForwardedMode.OFF, List.of(),
                        HeaderEdits.NONE, HeaderEdits.NONE));
        ClusterConfig api = new ClusterConfig("api",
                List.of(new EndpointConfig("127.0.0.1:9001", new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9001), 1),
                        new EndpointConfig("[::1]:9002", new InetSocketAddress(InetAddress.getByName("::1"), 9002), 3)),
                LoadBalancing.LEAST_OUTSTANDING, true, true, ResponseBody.ZERO_COPY, 100,
                new PoolConfig(8, Duration.ofSeconds(15), 1000),
                new TimeoutsConfig(Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofSeconds(20)),
                new FastopenBackoffConfig(5, Duration.ofSeconds(10), Duration.ofMinutes(10)),
                new RetryConfig(2, Set.of(RetryConfig.Condition.CONNECT_FAILURE), Set.of(503), Duration.ofSeconds(3), 10),
                new OutlierConfig(5, 2, Set.of(503), Duration.ofSeconds(10), Duration.ofMinutes(1), 30),
                new HealthCheckConfig(true, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(2),
                        "/healthz", "api.internal", List.of(new HealthCheckConfig.StatusRange(200, 200),
                        new HealthCheckConfig.StatusRange(300, 301)), 1, 2),
                new QueueConfig(10, Duration.ofSeconds(2)));
        List<EndpointConfig> localhost = Arrays.stream(InetAddress.getAllByName("localhost")).distinct()
                .map(a -> new EndpointConfig("localhost:9003", new InetSocketAddress(a, 9003), 1)).toList();
        ClusterConfig web = new ClusterConfig("web", localhost, LoadBalancing.ROUND_ROBIN, false, false,
                ResponseBody.AUTO, 1024, new PoolConfig(64, Duration.ofSeconds(60), 0),
                new TimeoutsConfig(Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(60)),
                new FastopenBackoffConfig(3, Duration.ofSeconds(30), Duration.ofMinutes(30)), DEFAULT_RETRIES,
                DEFAULT_OUTLIERS, DEFAULT_HEALTH_CHECK, new QueueConfig(1024, Duration.ofSeconds(5)));
        ProxyConfig expected = new ProxyConfig(2, true, listeners, http, routes, Map.of("api", api, "web", web),
                new EndpointStateConfig(500, Duration.ofMinutes(10)),
                new AccessLogConfig(false, AccessLogConfig.Format.JSON, Path.of("/tmp/synedge-access.log")),
                new LifecycleConfig(Duration.ofSeconds(5), Path.of("/tmp/synedge-takeover.sock")),
                new AdminConfig(true, new InetSocketAddress(InetAddress.getByName("::1"), 9902),
                        new Secret("s3cret-Token/x+y==")), 50000);

        assertThat(config).isEqualTo(expected);
        assertThat(config.clusters().keySet()).containsExactly("api", "web");
    }

    @Test
    void referenceAloneLoadsAndMatchesTheCodeDefaults() throws Exception {
        ProxyConfig config = ConfigLoader.load("", "empty.conf");

        assertThat(config.eventLoops()).isZero();
        assertThat(config.fastopenRequired()).isFalse();
        assertThat(config.listeners()).containsExactly(new ListenerConfig("main",
                new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 8080), 0, 4096, true, false,
                Duration.ofSeconds(60), Duration.ofSeconds(10), 0, 0));
        assertThat(config.maxConnections()).isEqualTo(ProxyConfig.MAX_CONNECTIONS_AUTO);
        assertThat(config.http()).isEqualTo(new HttpConfig(HttpLimits.DEFAULTS, 100L << 20, "synedge", false, true,
                HttpConfig.Trace.REFUSE, new RequestBodyConfig(Duration.ofSeconds(20), 1024, Duration.ofMinutes(10), 0)));
        assertThat(config.routes()).isEmpty();
        assertThat(config.clusters()).isEmpty();
        assertThat(config.endpointState()).isEqualTo(new EndpointStateConfig(10_000, Duration.ofHours(1)));
        assertThat(config.accessLog()).isEqualTo(new AccessLogConfig(true, AccessLogConfig.Format.COMBINED, null));
        assertThat(config.admin()).isEqualTo(new AdminConfig(false,
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9901), null));
    }

    @Test
    void aBadAdminTokenIsReportedWithoutQuotingIt() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load("synedge.admin.token = \"open sesame\"\n", "bad.conf"));

        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.toString()).startsWith("bad.conf:1: synedge.admin.token: ")
                    .contains("character 5 of 11").doesNotContain("open").doesNotContain("sesame");
        });
    }

    @Test
    void theExampleInConfLoads() throws Exception {
        String root = System.getenv("SYNEDGE_ROOT");
        Path file = (root != null ? Path.of(root) : Path.of("..")).resolve("conf/synedge.conf");

        ProxyConfig config = ConfigLoader.load(file);

        ListenerConfig listener = config.listeners().getFirst();
        assertThat(listener.address()).isEqualTo(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 8080));
        assertThat(listener.fastopenQueue()).isPositive();
        assertThat(config.routes()).singleElement().satisfies(route -> {
            assertThat(route.cluster()).isEqualTo("demo-origin");
            assertThat(route.match().path()).isEqualTo(new PathMatch.Prefix("/"));
        });
        ClusterConfig origin = config.clusters().get("demo-origin");
        assertThat(origin.fastopen()).isTrue();
        assertThat(origin.endpoints()).containsExactly(new EndpointConfig("127.0.0.1:9000",
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9000), 1));
    }

    /** One bad setting each: the problem names the file, the line and the key. */
    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                Arguments.of("listeners = [ { name = a, port = 70000 } ]", "port = 70000",
                        "synedge.listeners[0].port", "between 0 and 65535"),
                Arguments.of("listeners = [ { name = a, port = \"http\" } ]", "port = \"http\"",
                        "synedge.listeners[0].port", "expected a whole number"),
                Arguments.of("listeners = [ { name = a, idle-timeout = -5s } ]", "idle-timeout",
                        "synedge.listeners[0].idle-timeout", "must be positive"),
                Arguments.of("listeners = [ { name = a, header-read-timeout = 0s } ]", "header-read-timeout",
                        "synedge.listeners[0].header-read-timeout", "must be positive"),
                Arguments.of("listeners = [ { name = a, header-read-timeout = soon } ]", "header-read-timeout",
                        "synedge.listeners[0].header-read-timeout", "expected a duration"),
                Arguments.of("listeners = []", "listeners = []", "synedge.listeners", "at least one listener"),
                Arguments.of("listeners = null", "listeners = null", "synedge.listeners", "at least one listener"),
                Arguments.of("listeners = { name = a }", "listeners", "synedge.listeners", "expected a list"),
                Arguments.of("listeners = [ { name = a, port = 1 }, { name = a, port = 2 } ]", "name = a, port = 2",
                        "synedge.listeners[1].name", "duplicate listener name 'a'"),
                Arguments.of("listeners = [ { name = a, port = 81 }, { name = b, port = 81 } ]", "name = b",
                        "synedge.listeners[1].port", "as listener 'a' does"),
                Arguments.of("listeners = [ { name = \"has space\" } ]", "has space",
                        "synedge.listeners[0].name", "not a valid name"),
                Arguments.of("listeners = [ { port = 81 } ]", "port = 81",
                        "synedge.listeners[0].name", "is required"),
                Arguments.of("listners = []", "listners", "synedge.listners", "did you mean 'listeners'"),
                Arguments.of("http.max-header-byte = 1k", "max-header-byte", "synedge.http.max-header-byte",
                        "did you mean 'max-header-bytes'"),
                Arguments.of("http.via = \"two words\"", "two words", "synedge.http.via", "not a valid Via pseudonym"),
                Arguments.of("http.max-header-count = 0", "max-header-count", "synedge.http.max-header-count",
                        "between 1 and"),
                Arguments.of("http.max-request-body = -1", "max-request-body", "synedge.http.max-request-body",
                        "expected a size in bytes"),
                Arguments.of("http.max-request-body = huge", "huge", "synedge.http.max-request-body",
                        "expected a size in bytes"),
                Arguments.of("clusters.c { endpoints = [ \"127.0.0.1:1\" ], load-balancing = random }", "random",
                        "synedge.clusters.c.load-balancing", "allowed: round-robin, least-outstanding"),
                Arguments.of("clusters.c { endpoints = [ \"127.0.0.1:1\" ], response-body = sendfile }", "sendfile",
                        "synedge.clusters.c.response-body", "allowed: auto, copy, zero-copy, splice"),
                Arguments.of("clusters.c { endpoints = [] }", "endpoints = []", "synedge.clusters.c.endpoints",
                        "at least one endpoint"),
                Arguments.of("clusters.c { endpoints = [ { address = \"127.0.0.1:1\", weight = 0 } ] }", "weight = 0",
                        "synedge.clusters.c.endpoints[0].weight", "between 1 and"),
                Arguments.of("clusters.c { endpoints = [ \"127.0.0.1\" ] }", "127.0.0.1", "synedge.clusters.c.endpoints[0]",
                        "has no port"),
                Arguments.of("clusters.c { endpoints = [ \"127.0.0.1:0\" ] }", "127.0.0.1:0",
                        "synedge.clusters.c.endpoints[0]", "port must be between 1 and 65535"),
                Arguments.of("clusters.c { endpoints = [ \"::1:80\" ] }", "::1:80", "synedge.clusters.c.endpoints[0]",
                        "in brackets"),
                Arguments.of("clusters.c { endpoints = [ \"127.0.0.1:1\", \"127.0.0.1:1\" ] }", "endpoints",
                        "synedge.clusters.c.endpoints[1]", "already in the cluster"),
                Arguments.of("clusters.c { endpoints = [ \"127.0.0.1:1\" ], timeouts.conect = 1s }", "conect",
                        "synedge.clusters.c.timeouts.conect", "did you mean 'connect'"),
                Arguments.of("clusters.c { endpoints = [ \"127.0.0.1:1\" ], fastopen-backoff { initial = 1m, max = 10s } }",
                        "max = 10s", "synedge.clusters.c.fastopen-backoff.max", "at least initial"),
                Arguments.of("clusters.c { endpoints = [ \"127.0.0.1:1\" ], fastopen = maybe }", "maybe",
                        "synedge.clusters.c.fastopen", "expected true or false"),
                Arguments.of("routes = [ { name = r, cluster = nowhere } ]", "cluster = nowhere",
                        "synedge.routes[0].cluster", "no cluster named 'nowhere'"),
                Arguments.of("routes = [ { cluster = c } ]\nclusters.c.endpoints = [ \"127.0.0.1:1\" ]", "cluster = c",
                        "synedge.routes[0].name", "is required"),
                Arguments.of("routes = [ { name = r, cluster = c, clustr = c } ]\nclusters.c.endpoints = [ \"127.0.0.1:1\" ]",
                        "clustr", "synedge.routes[0].clustr", "did you mean 'cluster'"),
                Arguments.of("routes = [ { name = r, cluster = c }, { name = r, cluster = c } ]\n"
                                + "clusters.c.endpoints = [ \"127.0.0.1:1\" ]", "routes",
                        "synedge.routes[1].name", "duplicate route name 'r'"),
                Arguments.of("routes = [ { name = r, cluster = c, x-forwarded = maybe } ]\n"
                                + "clusters.c.endpoints = [ \"127.0.0.1:1\" ]", "maybe",
                        "synedge.routes[0].x-forwarded", "allowed: append, replace, off"),
                Arguments.of("routes = [ { name = r, cluster = c, trusted-hops = [ \"10.0.0.1/8\" ] } ]\n"
                                + "clusters.c.endpoints = [ \"127.0.0.1:1\" ]", "10.0.0.1/8",
                        "synedge.routes[0].trusted-hops[0]", "did you mean 10.0.0.0/8?"),
                Arguments.of("routes = [ { name = r, cluster = c, trusted-hops = [ \"10.0.0.0/33\" ] } ]\n"
                                + "clusters.c.endpoints = [ \"127.0.0.1:1\" ]", "10.0.0.0/33",
                        "synedge.routes[0].trusted-hops[0]", "exceeds 32"),
                Arguments.of("routes = [ { name = r, cluster = c, trusted-hops = [ \"gateway\" ] } ]\n"
                                + "clusters.c.endpoints = [ \"127.0.0.1:1\" ]", "gateway",
                        "synedge.routes[0].trusted-hops[0]", "not an IP address"),
                Arguments.of("routes = [ { name = r, cluster = c, match.methods = [ FETCH ] } ]\n"
                                + "clusters.c.endpoints = [ \"127.0.0.1:1\" ]", "FETCH",
                        "synedge.routes[0].match.methods", "unknown method 'FETCH'; allowed: GET, HEAD"),
                Arguments.of("routes = [ { name = r, cluster = c, match.path-prefix = api } ]\n"
                                + "clusters.c.endpoints = [ \"127.0.0.1:1\" ]", "path-prefix",
                        "synedge.routes[0].match.path-prefix", "must start with '/'"),
                Arguments.of("routes = [ { name = r, cluster = c, match { path-prefix = \"/a\", path = \"/b\" } } ]\n"
                                + "clusters.c.endpoints = [ \"127.0.0.1:1\" ]", "path-prefix",
                        "synedge.routes[0].match.path", "not both"),
                Arguments.of("routes = [ { name = r, cluster = c, match.path = \"/a?b=1\" } ]\n"
                                + "clusters.c.endpoints = [ \"127.0.0.1:1\" ]", "/a?b=1",
                        "synedge.routes[0].match.path", "without the query"),
                Arguments.of("routes = [ { name = r, cluster = c, match.hosts = [ \"example.com:8080\" ] } ]\n"
                                + "clusters.c.endpoints = [ \"127.0.0.1:1\" ]", "example.com:8080",
                        "synedge.routes[0].match.hosts[0]", "ports are not matched"),
                Arguments.of("routes = [ { name = r, cluster = c, match.hosts = [ \"a.*.com\" ] } ]\n"
                                + "clusters.c.endpoints = [ \"127.0.0.1:1\" ]", "a.*.com",
                        "synedge.routes[0].match.hosts[0]", "leading '*.'"),
                Arguments.of("routes = [ { name = r, cluster = c, request-headers.add { Content-Length = 5 } } ]\n"
                                + "clusters.c.endpoints = [ \"127.0.0.1:1\" ]", "Content-Length",
                        "synedge.routes[0].request-headers.add.Content-Length", "managed by the proxy"),
                Arguments.of("routes = [ { name = r, cluster = c, response-headers.remove = [ \"Bad Name\" ] } ]\n"
                                + "clusters.c.endpoints = [ \"127.0.0.1:1\" ]", "Bad Name",
                        "synedge.routes[0].response-headers.remove", "not a valid header field name"),
                Arguments.of("routes = [ { name = r, cluster = c, rewrite-prefix = \"x\" } ]\n"
                                + "clusters.c.endpoints = [ \"127.0.0.1:1\" ]", "rewrite-prefix",
                        "synedge.routes[0].rewrite-prefix", "must start with '/'"),
                Arguments.of("access-log.format = xml", "xml", "synedge.access-log.format",
                        "allowed: combined, json"),
                Arguments.of("endpoint-state.max-endpoints = 0", "max-endpoints",
                        "synedge.endpoint-state.max-endpoints", "between 1 and"),
                Arguments.of("event-loops = -1", "event-loops", "synedge.event-loops", "between 0 and"),
                Arguments.of("admin.port = 99999", "port", "synedge.admin.port", "between 0 and 65535"),
                Arguments.of("admin.enabled = sometimes", "sometimes", "synedge.admin.enabled", "expected true or false"),
                Arguments.of("admin.token = \"\"", "token", "synedge.admin.token", "use null for no token"),
                Arguments.of("admin.tokn = x", "tokn", "synedge.admin.tokn", "did you mean 'token'"),
                Arguments.of("max-connections = lots", "lots", "synedge.max-connections",
                        "expected auto or a whole number"),
                Arguments.of("max-connections = -5", "max-connections", "synedge.max-connections", "between 0 and"),
                Arguments.of("listeners = [ { name = a, max-connections-per-client = -1 } ]", "per-client",
                        "synedge.listeners[0].max-connections-per-client", "between 0 and"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("invalidSettings")
    void eachProblemNamesFileLineAndKey(String body, String marker, String key, String message) {
        String text = "synedge {\n" + body + "\n}\n";

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(text, "bad.conf"));

        assertThat(e).as("expected a ConfigException").isNotNull();
        assertThat(e.problems()).anySatisfy(problem -> {
            assertThat(problem.key()).isEqualTo(key);
            assertThat(problem.message()).contains(message);
            assertThat(problem.source()).isEqualTo("bad.conf");
            assertThat(problem.line()).isEqualTo(lineOf(text, marker));
            assertThat(problem.toString()).startsWith("bad.conf:" + lineOf(text, marker) + ": " + key + ": ");
        });
        assertThat(e.getMessage()).contains("bad.conf:" + lineOf(text, marker) + ": " + key);
    }

    @Test
    void everyProblemIsReportedNotOnlyTheFirst() {
        String text = """
                synedge {
                  listeners = [ { name = main, port = 99999 } ]
                  http.via = "a b"
                  routes = [ { name = r, cluster = missing } ]
                  clusters.c { endpoints = [ "127.0.0.1:1" ], load-balancing = fastest }
                  acess-log.enabled = false
                }
                """;

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(text, "many.conf"));

        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactly(
                "synedge.listeners[0].port", "synedge.http.via", "synedge.routes[0].cluster",
                "synedge.clusters.c.load-balancing", "synedge.acess-log");
        assertThat(e.problems()).extracting(ConfigProblem::line).containsExactly(2, 3, 4, 5, 6);
        assertThat(e.problems().getLast().message()).contains("did you mean 'access-log'");
        assertThat(e.getMessage()).startsWith("5 configuration problems:");
    }

    @Test
    void aTopLevelTypoIsReported() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load("synedg { event-loops = 1 }", "top.conf"));

        assertThat(e.problems()).singleElement().hasToString(
                "top.conf:1: synedg: unknown key 'synedg' (did you mean 'synedge'?)");
    }

    @Test
    void aConflictWithABuiltInDefaultSaysSo() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load("synedge.http.max-request-line = 64k", "limits.conf"));

        ConfigProblem problem = e.problems().getFirst();
        assertThat(problem.fromReference()).isTrue();
        assertThat(problem.source()).isEqualTo("reference.conf");
        assertThat(problem.line()).isPositive();
        assertThat(problem.key()).isEqualTo("synedge.http.max-header-bytes");
        assertThat(problem.toString()).startsWith("reference.conf:" + problem.line() + " (built-in default): ");
    }

    @Test
    void hostNamesResolveWhenLoaded() throws Exception {
        ProxyConfig config = ConfigLoader.load("""
                synedge.clusters.c.endpoints = [ "localhost:9000", "LOCALHOST.:9001" ]
                """, "names.conf");

        List<InetAddress> localhost = Arrays.stream(InetAddress.getAllByName("localhost")).distinct().toList();
        assertThat(config.clusters().get("c").endpoints())
                .extracting(EndpointConfig::address)
                .containsExactlyElementsOf(Stream.concat(
                        localhost.stream().map(a -> new InetSocketAddress(a, 9000)),
                        localhost.stream().map(a -> new InetSocketAddress(a, 9001))).toList())
                .allSatisfy(address -> assertThat(address.isUnresolved()).isFalse());
    }

    @Test
    void anUnresolvableNameNamesFileLineAndKey() {
        String text = """
                synedge.clusters.c {
                  endpoints = [
                    "127.0.0.1:9000",
                    { address = "no-such-host.invalid:80", weight = 2 }
                  ]
                }
                """;

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(text, "dns.conf"));

        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.toString()).startsWith("dns.conf:4: synedge.clusters.c.endpoints[1].address: ");
            assertThat(problem.message()).contains("cannot resolve 'no-such-host.invalid'");
        });
    }

    @Test
    void problemsInAFileNameThePath(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("site.conf");
        Files.writeString(file, """
                # a comment
                synedge {
                  listeners = [ { name = "main", port = -1 } ]
                }
                """);

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file + ":3: synedge.listeners[0].port: must be between 0 and 65535, got -1");
    }

    @Test
    void aSyntaxErrorNamesFileAndLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("broken.conf");
        Files.writeString(file, "synedge {\n  event-loops = 1\n  http {\n}\n");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));

        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.source()).isEqualTo(file.toString());
            assertThat(problem.line()).isPositive();
        });
    }

    @Test
    void aMissingFileIsAProblemNotACrash(@TempDir Path dir) {
        Path file = dir.resolve("absent.conf");

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file + ": configuration file does not exist");
    }

    @Test
    void defaultsBlocksApplyToEveryElement() throws Exception {
        ProxyConfig config = ConfigLoader.load("""
                synedge {
                  defaults.listener.idle-timeout = 5s
                  defaults.cluster.timeouts.connect = 250ms
                  defaults.endpoint.weight = 4
                  listeners = [ { name = a, port = 1 }, { name = b, port = 2, idle-timeout = 7s } ]
                  clusters.c.endpoints = [ "127.0.0.1:1", { address = "127.0.0.1:2", weight = 1 } ]
                }
                """, "defaults.conf");

        assertThat(config.listeners()).extracting(ListenerConfig::idleTimeout)
                .containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(7));
        ClusterConfig cluster = config.clusters().get("c");
        assertThat(cluster.timeouts().connect()).isEqualTo(Duration.ofMillis(250));
        assertThat(cluster.endpoints()).extracting(EndpointConfig::weight).containsExactly(4, 1);
    }

    @Test
    void listAppendKeepsTheDefaultListener() throws Exception {
        ProxyConfig config = ConfigLoader.load("synedge.listeners += { name = admin, port = 9901 }", "append.conf");

        assertThat(config.listeners()).extracting(ListenerConfig::name).containsExactly("main", "admin");
    }

    private static int lineOf(String text, String marker) {
        int index = text.indexOf(marker);
        if (index < 0) {
            throw new IllegalArgumentException("marker not in text: " + marker);
        }
        return (int) text.substring(0, index).chars().filter(c -> c == '\n').count() + 1;
    }
}
