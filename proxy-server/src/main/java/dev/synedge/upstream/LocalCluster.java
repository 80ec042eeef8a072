package dev.synedge.upstream;

import dev.synedge.body.BodyCounters;
import dev.synedge.config.ClusterConfig;
import dev.synedge.config.EndpointConfig;
import dev.synedge.health.ClusterHealth;
import dev.synedge.net.AddressText;
import dev.synedge.net.LinuxSocket;
import dev.synedge.net.NativeException;
import dev.synedge.net.PageSegments;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;

/**
 * One cluster as seen from one event loop: its endpoints, a pool per endpoint, the count of
 * exchanges in flight per endpoint, and the balancer's state. Nothing here is shared with
 * other loops, so nothing here needs a lock.
 */
public final class LocalCluster {

    private final ClusterConfig config;
    private final Endpoint[] endpoints;
    private final UpstreamPool[] pools;
    /** Each endpoint's host:port as configured, the Host sent for requests that name none. */
    private final byte[][] authorities;
    private final int[] outstanding;
    private final Balancer balancer;
    private final BodyCounters bodyCounters;
    private final ClusterCounters counters;
    private final EndpointCounters[] endpointCounters;
    /** Per endpoint: the MSS that makes its segments whole pages, 0 for none; -1 until probed. */
    private final int[] pageSegments;
    private final ClusterHealth health;
    /** No endpoint is available: picks disregard health (see {@link ClusterHealth#panicking}). */
    private boolean panic;
    private final EventLoop loop;
    /** Exchanges waiting for a connection to come free, first come first served. */
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();

    /**
     * {@code bodyCounters}, {@code counters}: this loop's counters for the cluster's name, kept
     * across reloads; {@code health}: the cluster's endpoint health, shared by the loops.
     */
    public LocalCluster(ClusterConfig config, EventLoop loop, BodyCounters bodyCounters, ClusterHealth health,
                        ClusterCounters counters) {
        this.config = config;
        this.loop = loop;
        this.bodyCounters = bodyCounters;
        this.health = health;
        this.counters = counters;
        List<EndpointConfig> configured = config.endpoints();
        this.endpoints = new Endpoint[configured.size()];
        this.pools = new UpstreamPool[configured.size()];
        this.authorities = new byte[configured.size()][];
        this.endpointCounters = new EndpointCounters[configured.size()];
        for (int i = 0; i < endpoints.length; i++) {
            EndpointConfig e = configured.get(i);
            endpoints[i] = new Endpoint(config.name(), e.address(), e.weight(), AddressText.of(e.address()));
            pools[i] = new UpstreamPool(loop, config.pool(), config.maxConnectionsPerEndpoint());
            authorities[i] = e.name().getBytes(StandardCharsets.US_ASCII);
            endpointCounters[i] = counters.endpoint(endpoints[i].name());
        }
        this.outstanding = new int[endpoints.length];
        this.pageSegments = new int[endpoints.length];
        Arrays.fill(pageSegments, -1);
        this.balancer = Balancer.of(config.loadBalancing(), endpoints.length);
    }

    public ClusterConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    public BodyCounters bodyCounters() {
        return bodyCounters;
    }

    public ClusterCounters counters() {
        return counters;
    }

    /** This loop's counters of endpoint {@code index}. */
    public EndpointCounters counters(int index) {
        return endpointCounters[index];
    }

    public int size() {
        return endpoints.length;
    }

    public Endpoint endpoint(int index) {
        return endpoints[index];
    }

    /** The endpoint's {@code host:port} as configured (not resolved), in ASCII; do not modify. */
    public byte[] authority(int index) {
        return authorities[index];
    }

    /**
     * The MSS to advertise on new connections to the endpoint so that its segments are whole
     * pages ({@link PageSegments}), from the path MTU probed on first use; 0 where no page fits
     * (an Ethernet MTU of 1500) or the route cannot be looked up, which then the connect reports.
     */
    public int pageSegment(int index) {
        if (pageSegments[index] < 0) {
            InetSocketAddress address = endpoints[index].address();
            try {
                pageSegments[index] = PageSegments.maxSegmentFor(PageSegments.pathMtu(address),
                        LinuxSocket.familyOf(address), PageSegments.timestampsOn());
            } catch (NativeException e) {
                pageSegments[index] = 0;
            }
        }
        return pageSegments[index];
    }

    public UpstreamPool pool(int index) {
        return pools[index];
    }

    public int outstanding(int index) {
        return outstanding[index];
    }

    /**
     * An endpoint can take an exchange: it has an idle connection or room for a new one, and
     * its health allows (unless no endpoint's does).
     */
    boolean available(int index) {
        UpstreamPool pool = pools[index];
        return (pool.idleConnections() > 0 || pool.mayOpen()) && (panic || health.available(index));
    }

    /** The endpoint for the next exchange, avoiding {@code excluded} (-1 for none); -1 if none. */
    public int pick(int excluded) {
        int index = balancer.pick(this, excluded);
        if (index < 0) {
            panic = true;
            index = balancer.pick(this, excluded);
            panic = false;
            if (index >= 0) {
                health.panicking();
            }
        }
        return index;
    }

    public ClusterHealth health() {
        return health;
    }

    public void exchangeStarted(int index) {
        outstanding[index]++;
    }

    /**
     * An exchange gave its connection back or closed it: room for the exchange that waited
     * longest, which goes on in a task of its own (this runs inside the end of another).
     */
    public void exchangeEnded(int index) {
        outstanding[index]--;
        Runnable next = waiting.pollFirst();
        if (next != null) {
            loop.execute(next);
        }
    }

    /** Every endpoint is at its connection cap: none has an idle connection or room for a new one. */
    public boolean atCapacity() {
        for (UpstreamPool pool : pools) {
            if (pool.idleConnections() > 0 || pool.mayOpen()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Queues {@code resume} to run when a connection comes free; false when the queue is full
     * ({@code queue.size}), and then the caller must not wait.
     */
    public boolean await(Runnable resume) {
        if (waiting.size() >= config.queue().size()) {
            return false;
        }
        waiting.addLast(resume);
        return true;
    }

    /** {@code resume} stops waiting (its exchange timed out or ended). */
    public void leaveQueue(Runnable resume) {
        waiting.remove(resume);
    }

    public void closeIdle() {
        for (UpstreamPool pool : pools) {
            pool.closeIdle();
        }
    }

    /** This cluster's configuration was replaced: see {@link UpstreamPool#retire}. */
    public void retire() {
        for (UpstreamPool pool : pools) {
            pool.retire();
        }
    }
}
