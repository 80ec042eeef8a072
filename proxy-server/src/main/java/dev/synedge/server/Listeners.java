package dev.synedge.server;

import dev.synedge.config.ListenerConfig;
import dev.synedge.exchange.ClientInitializer;
import dev.synedge.exchange.LoopContext;
import dev.synedge.listener.AcceptGate;
import dev.synedge.listener.AcceptLimits;
import dev.synedge.listener.BoundListener;
import dev.synedge.listener.ListenerBinder;
import dev.synedge.net.AddressText;
import dev.synedge.net.NativeException;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's listeners as bound now, each with the {@link ClientInitializer} its connections
 * see it through: bound at start, changed by reloads, closed to stop accepting. Changes are
 * made one reload at a time (the caller serializes them); readers on other threads see a
 * consistent list.
 */
final class Listeners {

    private static final Logger log = LoggerFactory.getLogger(Listeners.class);

    private record Entry(BoundListener bound, ClientInitializer initializer) {}

    private final Map<EventLoop, LoopContext> loops;
    private final AcceptLimits limits;
    private volatile List<Entry> entries = List.of();

    Listeners(Map<EventLoop, LoopContext> loops, AcceptLimits limits) {
        this.loops = loops;
        this.limits = limits;
    }

    /**
     * Binds {@code configs} in order; on a failure, closes what it bound and throws. A listener
     * named in {@code inherited} (listening sockets of the process this one takes over from)
     * starts on those sockets when they fit its settings; it takes them out of the map.
     */
    void bindAll(List<ListenerConfig> configs, Map<String, List<Integer>> inherited)
            throws IOException, InterruptedException {
        List<Entry> bound = new ArrayList<>();
        try {
            for (ListenerConfig config : configs) {
                List<Integer> fds = inherited.get(config.name());
                bound.add(fds != null && fits(config, fds) ? adopt(config, inherited.remove(config.name()))
                        : bind(config));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            bound.forEach(entry -> close(entry.bound()));
            throw e;
        }
        entries = List.copyOf(bound);
    }

    private Entry bind(ListenerConfig config) throws IOException, InterruptedException {
        ClientInitializer initializer = new ClientInitializer(loops, config);
        AcceptGate gate = limits.gate(config);
        BoundListener bound = ListenerBinder.bind(config, new ArrayList<>(loops.keySet()), initializer, gate);
        log.info("listener {} on {} ({} socket(s), fastopen-queue {}{})", config.name(),
                AddressText.of(bound.address()), bound.channels().size(), config.fastopenQueue(),
                config.mptcp() ? ", MPTCP" : "");
        return new Entry(bound, initializer);
    }

    private static boolean fits(ListenerConfig config, List<Integer> fds) throws IOException {
        try {
            for (int fd : fds) {
                if (!ListenerBinder.canAdopt(config, fd)) {
                    log.info("listener {}: the previous process's sockets do not fit its settings; binding anew",
                            config.name());
                    return false;
                }
            }
        } catch (NativeException e) {
            throw new IOException("listener " + config.name() + ": inherited socket: " + e.getMessage(), e);
        }
        return !fds.isEmpty();
    }

    private Entry adopt(ListenerConfig config, List<Integer> fds) throws IOException, InterruptedException {
        ClientInitializer initializer = new ClientInitializer(loops, config);
        AcceptGate gate = limits.gate(config);
        BoundListener bound = ListenerBinder.adopt(config, fds, new ArrayList<>(loops.keySet()), initializer, gate);
        log.info("listener {} on {} ({} socket(s) taken over, {} in all, fastopen-queue {}{})", config.name(),
                AddressText.of(bound.address()), fds.size(), bound.channels().size(), config.fastopenQueue(),
                config.mptcp() ? ", MPTCP" : "");
        return new Entry(bound, initializer);
    }

    List<BoundListener> bound() {
        return entries.stream().map(Entry::bound).toList();
    }

    /**
     * Makes the listeners those of {@code next}, by name: new ones are bound, removed ones stop
     * accepting and their connections drain, changed ones keep their sockets when their
     * address, protocol and spreading stay (the other settings apply in place, to their
     * connections too), else are bound anew before the old sockets close. Everything new is
     * bound before anything old changes: when a bind fails, nothing changed, and it throws.
     * Returns one line per change made.
     */
    List<String> apply(List<ListenerConfig> next) throws IOException, InterruptedException {
        Map<String, Entry> old = new LinkedHashMap<>();
        entries.forEach(entry -> old.put(entry.bound().name(), entry));
        Map<String, Entry> fresh = new LinkedHashMap<>();
        try {
            for (ListenerConfig config : next) {
                Entry current = old.get(config.name());
                if (current == null || !ListenerBinder.keepsSockets(current.bound(), config)) {
                    fresh.put(config.name(), bind(config));
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            fresh.values().forEach(entry -> close(entry.bound()));
            throw e;
        }
        List<String> changes = new ArrayList<>();
        List<Entry> result = new ArrayList<>();
        for (ListenerConfig config : next) {
            Entry current = old.remove(config.name());
            Entry bound = fresh.get(config.name());
            if (bound != null) {
                result.add(bound);
                if (current == null) {
                    changes.add("listener " + config.name() + " added on " + AddressText.of(bound.bound().address()));
                } else {
                    retire(current);
                    changes.add("listener " + config.name() + " moved to " + AddressText.of(bound.bound().address())
                            + "; its connections on " + AddressText.of(current.bound().address()) + " drain");
                }
            } else if (!current.bound().config().equals(config)) {
                BoundListener retuned = ListenerBinder.retune(current.bound(), config);
                current.initializer().use(config);
                result.add(new Entry(retuned, current.initializer()));
                changes.add("listener " + config.name() + " settings changed in place");
            } else {
                result.add(current);
            }
        }
        for (Entry removed : old.values()) {
            retire(removed);
            changes.add("listener " + removed.bound().name() + " removed; its connections drain");
        }
        entries = List.copyOf(result);
        return changes;
    }

    private static void retire(Entry entry) {
        close(entry.bound());
        entry.initializer().retire();
    }

    /** Stops accepting on every listener; the connections they accepted stay. */
    void stopAccepting() {
        entries.forEach(entry -> close(entry.bound()));
    }

    private static void close(BoundListener bound) {
        bound.channels().forEach(channel -> channel.close().syncUninterruptibly());
    }
}
