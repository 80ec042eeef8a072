package dev.synedge.body;

import dev.synedge.net.NativeException;
import dev.synedge.net.Pipe;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipes of one event loop's splices, kept for reuse: a pipe costs a pipe2 and a
 * F_SETPIPE_SZ, and a loop splices one body per client connection at a time. Only empty pipes
 * come back; one that still holds bytes (a splice cut off) is closed, its bytes with it.
 */
public final class SplicePipes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SplicePipes.class);
    private static final int MAX_IDLE = 32;

    private final int size;
    private final ArrayDeque<Pipe> idle = new ArrayDeque<>();
    private boolean resizeRefused;
    private boolean closed;

    /** {@code size}: the capacity asked of each new pipe (the kernel's default is 64 KiB). */
    public SplicePipes(int size) {
        this.size = size;
    }

    /** An empty pipe, reused or new. */
    public Pipe take() throws NativeException {
        Pipe pipe = idle.pollLast();
        if (pipe != null) {
            return pipe;
        }
        pipe = Pipe.open();
        if (!resizeRefused) {
            try {
                pipe.resize(size);
            } catch (NativeException e) {
                // fs.pipe-max-size or the per-user pipe limits: the default size still works
                resizeRefused = true;
                log.info("pipes for splice keep the default size: {}", e.getMessage());
            }
        }
        return pipe;
    }

    /** Takes a pipe back: kept when empty and there is room, closed otherwise. */
    public void give(Pipe pipe) {
        if (!closed && pipe.buffered() == 0 && idle.size() < MAX_IDLE) {
            idle.addLast(pipe);
        } else {
            pipe.close();
        }
    }

    /** Closes the idle pipes, and from now on every pipe given back. */
    @Override
    public void close() {
        closed = true;
        idle.forEach(Pipe::close);
        idle.clear();
    }
}
