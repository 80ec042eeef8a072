package dev.synedge.exchange;

import dev.synedge.config.ListenerConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import java.util.Map;

/**
 * Gives every accepted client connection its {@link ClientConnection}, bound to the context of
 * the loop that accepted it. One per listener, shared by its sockets.
 */
@ChannelHandler.Sharable
public final class ClientInitializer extends ChannelInitializer<Channel> {

    private final Map<EventLoop, LoopContext> loops;
    private final ListenerConfig listener;

    public ClientInitializer(Map<EventLoop, LoopContext> loops, ListenerConfig listener) {
        this.loops = Map.copyOf(loops);
        this.listener = listener;
    }

    @Override
    protected void initChannel(Channel channel) {
        LoopContext loop = loops.get(channel.eventLoop());
        if (listener.mptcp()) {
            loop.mptcpClientAccepted(listener, channel);
        }
        channel.pipeline().addLast(new ClientConnection(loop, listener));
    }
}
