package dev.synedge.exchange;

import dev.synedge.body.BodyPolicy;
import dev.synedge.body.MappedWindow;
import dev.synedge.net.LinuxSocket;
import dev.synedge.net.NativeException;
import dev.synedge.net.ZeroCopyReceiver;
import dev.synedge.upstream.UpstreamSocket;
import io.netty.buffer.ByteBuf;

/**
 * Body data mapped from the upstream socket's receive queue ({@code TCP_ZEROCOPY_RECEIVE})
 * into the socket's {@link MappedWindow}, and written to the client from the mapping. A page
 * goes back to the window when the client's write of it completes; a window full of pages the
 * client has not taken stops reading until some come back.
 *
 * <p>ByteBuf ownership: each receive's pages are wrapped in a buffer this pump owns while it
 * relays them; their retained slices go to the client channel, and the pages go back to the
 * window when the last is released.
 */
final class MappedPump implements BodyPump {

    /**
     * Room given to zero-copy receive for the bytes it will not map (partial pages where the
     * sender's segments meet), copied in the same call. Small, because when no more than this
     * is queued the kernel copies it all instead of mapping.
     */
    private static final int STRAGGLER_COPY = 8 * 1024;

    private final Exchange exchange;
    private final ResponseRelay relay;
    private final ClientOutput output;
    private final LoopContext loop;
    private final MappedWindow window;
    private boolean waitingForWindow;
    private Runnable windowSpace;

    MappedPump(Exchange exchange, ResponseRelay relay, ClientOutput output, LoopContext loop, MappedWindow window) {
        this.exchange = exchange;
        this.relay = relay;
        this.output = output;
        this.loop = loop;
        this.window = window;
    }

    /**
     * One zero-copy receive: relays the mapped pages (slicing data out of them around the
     * framing the decoder reads in place), then the bytes the kernel would not map, which come
     * next in the stream: those it copied into the relay's input in the same call, then those
     * left to read by copy.
     */
    @Override
    public boolean pump() throws NativeException {
        relay.ensureInput();
        ByteBuf input = relay.input();
        int room = Math.min(input.writableBytes(), STRAGGLER_COPY);
        ZeroCopyReceiver.Receipt receipt = window.receive(BodyPolicy.MAX_MAPPING,
                UpstreamSocket.address(input) + input.writerIndex(), room);
        if (receipt.windowFull()) {
            waitForWindow();
            return false;
        }
        if (receipt.eof()) {
            exchange.upstreamEof();
            return false;
        }
        if (receipt.isEmpty()) {
            return false;
        }
        relay.upstreamActive();
        loop.zeroCopyProbe().record(receipt.mappedBytes(), receipt.copied() + receipt.copyBytes());
        input.writerIndex(input.writerIndex() + receipt.copied());
        if (receipt.mappedBytes() > 0) {
            ByteBuf pages = window.wrap(receipt.mapped(), input.alloc());
            relay.upstreamQueued(receipt.copied() + Math.max(receipt.copyBytes(), receipt.queued()));
            try {
                relay.relayBody(pages, true);
                if (!exchange.done() && pages.isReadable()) {
                    relay.keepUnread(pages);
                }
            } finally {
                relay.upstreamQueued(0);
                pages.release();
            }
        }
        if (!exchange.done() && relay.input().isReadable()) {
            relay.relayBody(relay.input(), false);
        }
        int copy = receipt.copyBytes();
        while (copy > 0 && !exchange.done()) {
            int n = relay.readInto(copy);
            if (n == LinuxSocket.EOF) {
                exchange.upstreamEof();
                return false;
            }
            if (n == LinuxSocket.WOULD_BLOCK) {
                return false;
            }
            copy -= n;
            relay.relayBody(relay.input(), false);
        }
        // Asking again when nothing is left costs an empty TCP_ZEROCOPY_RECEIVE per mapping.
        return !exchange.done() && receipt.moreQueued();
    }

    private void waitForWindow() {
        waitingForWindow = true;
        relay.waitingForClient();
        if (windowSpace == null) {
            // runs inside the client channel's flush, where the pages were released: read in a task of its own
            windowSpace = () -> loop.loop().execute(this::windowHasSpace);
        }
        window.onSpace(windowSpace);
    }

    private void windowHasSpace() {
        if (exchange.done() || !waitingForWindow) {
            return;
        }
        waitingForWindow = false;
        // the upstream was not read while the window was full: its silence counts from now
        relay.upstreamActive();
        UpstreamSocket upstream = exchange.upstream();
        if (output.writable() && upstream != null && upstream.isOpen()) {
            relay.upstreamReadable();
        }
    }

    @Override
    public boolean drivesInput() {
        return false;
    }

    @Override
    public boolean waiting() {
        return waitingForWindow;
    }

    @Override
    public void close() {
        window.onSpace(null);
        window.drain();
    }
}
