package dev.synedge.body;

/**
 * Response body bytes of one cluster on one event loop, by the path they took, and what the
 * fast paths hold right now. Only body data counts (no heads, chunk framing or trailers).
 * Written by its loop only; read elsewhere through {@link #snapshot()} run on that loop.
 */
public final class BodyCounters {

    private long copied;
    private long mapped;
    private long spliced;
    private long mappedHeld;
    private long pipeHeld;

    /** Body bytes read into buffers and written from there. */
    public void copied(long bytes) {
        copied += bytes;
    }

    /** Body bytes written to the client from mapped pages. */
    public void mapped(long bytes) {
        mapped += bytes;
    }

    /** Body bytes moved through a pipe (counted as they leave the upstream socket). */
    public void spliced(long bytes) {
        spliced += bytes;
    }

    void mappedHeld(long delta) {
        mappedHeld += delta;
    }

    void pipeHeld(long delta) {
        pipeHeld += delta;
    }

    public Snapshot snapshot() {
        return new Snapshot(copied, mapped, spliced, mappedHeld, pipeHeld);
    }

    /**
     * Totals at one moment; {@link #plus} merges loops.
     *
     * @param copied     body bytes copied
     * @param mapped     body bytes written from mapped pages
     * @param spliced    body bytes spliced
     * @param mappedHeld bytes of mapped pages not yet given back (client writes in flight)
     * @param pipeHeld   bytes taken from upstream sockets into pipes and not yet out of them
     */
    public record Snapshot(long copied, long mapped, long spliced, long mappedHeld, long pipeHeld) {

        public static final Snapshot ZERO = new Snapshot(0, 0, 0, 0, 0);

        public Snapshot plus(Snapshot o) {
            return new Snapshot(copied + o.copied, mapped + o.mapped, spliced + o.spliced,
                    mappedHeld + o.mappedHeld, pipeHeld + o.pipeHeld);
        }

        /** Body bytes over all paths. */
        public long total() {
            return copied + mapped + spliced;
        }
    }
}
