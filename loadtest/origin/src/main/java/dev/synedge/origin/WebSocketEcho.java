package dev.synedge.origin;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The {@code /ws} endpoint after its handshake: every data frame goes back as it came (same
 * type, same FIN), pings get pongs, a close is answered with the same close and the connection
 * ends. Netty's RFC 6455 frame codecs do the framing.
 */
final class WebSocketEcho extends ChannelInboundHandlerAdapter {

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    static final int MAX_FRAME_PAYLOAD = 16 * 1024 * 1024;

    /** Sec-WebSocket-Accept for a client's key (RFC 6455 §4.2.2). */
    static String accept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    /** Whether a Sec-WebSocket-Key is the base64 of 16 bytes. */
    static boolean validKey(String key) {
        if (key == null || key.length() != 24) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Puts the frame codecs and the echo after {@code afterName}. */
    static void install(ChannelPipeline pipeline, String afterName) {
        WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(MAX_FRAME_PAYLOAD)
                .expectMaskedFrames(true)
                .allowExtensions(false)
                .closeOnProtocolViolation(true)
                .build();
        pipeline.addAfter(afterName, "ws-decoder", new WebSocket13FrameDecoder(config));
        pipeline.addAfter("ws-decoder", "ws-encoder", new WebSocket13FrameEncoder(false));
        pipeline.addAfter("ws-encoder", "ws-echo", new WebSocketEcho());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (msg) {
            case CloseWebSocketFrame close -> ctx.writeAndFlush(close).addListener(ChannelFutureListener.CLOSE);
            case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content()));
            case PongWebSocketFrame pong -> pong.release();
            case WebSocketFrame data -> ctx.writeAndFlush(data);
            case ByteBuf stray -> stray.release();
            default -> ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
