package dev.synedge.listener;

import dev.synedge.config.ListenerConfig;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A listener as bound: its configuration, its address (with the real port), its sockets and the
 * gate that admits their connections.
 */
public record BoundListener(ListenerConfig config, InetSocketAddress address, List<Channel> channels,
                            AcceptGate gate) {

    public BoundListener {
        channels = List.copyOf(channels);
    }

    public String name() {
        return config.name();
    }
}
