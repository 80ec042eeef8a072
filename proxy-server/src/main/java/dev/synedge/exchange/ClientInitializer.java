package dev.synedge.exchange;

import dev.synedge.config.ListenerConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Gives every accepted client connection its {@link ClientConnection}, bound to the context of
 * the loop that accepted it. One per listener, shared by its sockets, and the listener as its
 * connections see it: its settings, which a reload may change in place ({@link #use}), and
 * whether a reload removed it ({@link #retire}).
 */
@ChannelHandler.Sharable
public final class ClientInitializer extends ChannelInitializer<Channel> {

    private final Map<EventLoop, LoopContext> loops;
    private volatile ListenerConfig config;
    private volatile boolean retired;

    public ClientInitializer(Map<EventLoop, LoopContext> loops, ListenerConfig config) {
        this.loops = Map.copyOf(loops);
        this.config = config;
    }

    @Override
    protected void initChannel(Channel channel) {
        LoopContext loop = loops.get(channel.eventLoop());
        ListenerConfig listener = config;
        if (listener.mptcp()) {
            loop.mptcpClientAccepted(listener, channel);
        }
        channel.pipeline().addLast(new ClientConnection(loop, this));
    }

    public ListenerConfig config() {
        return config;
    }

    /** New settings (timeouts, queue lengths) for this listener's connections, old and new. */
    public void use(ListenerConfig next) {
        config = next;
        forEachConnection(ClientConnection::settingsChanged);
    }

    /**
     * The listener was removed (or replaced by one bound elsewhere): its connections finish
     * their exchange and close, as in a drain. Call once its sockets stopped accepting.
     */
    public void retire() {
        retired = true;
        forEachConnection(ClientConnection::drain);
    }

    private void forEachConnection(Consumer<ClientConnection> action) {
        for (LoopContext context : loops.values()) {
            context.loop().execute(() -> context.eachConnectionOf(this, action));
        }
    }

    boolean retired() {
        return retired;
    }
}
