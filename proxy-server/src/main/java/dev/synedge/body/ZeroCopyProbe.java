package dev.synedge.body;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether zero-copy receive maps anything on this host, judged from the first response bodies
 * received that way. The kernel maps only pages that arrived as whole order-0 pages: on real
 * NICs that takes header-split hardware, on loopback {@code net.core.high_order_alloc_disable=1};
 * elsewhere every byte comes back as "read it by copy", which costs a getsockopt per read for
 * nothing. Once {@link #SAMPLE} bytes went through zero-copy receive without a single mapped
 * page, the host is judged unable to map: said once in the log, and {@code response-body = auto}
 * stops trying. One page mapped settles it the other way.
 *
 * <p>Shared by the event loops of one server; the atomics are touched only until the verdict.
 */
public final class ZeroCopyProbe {

    private static final Logger log = LoggerFactory.getLogger(ZeroCopyProbe.class);
    /** Bytes received through zero-copy receive before a host that mapped none of them is judged. */
    public static final long SAMPLE = 4L << 20;

    private static final int UNKNOWN = 0;
    private static final int MAPS = 1;
    private static final int MAPS_NOTHING = 2;

    private final AtomicLong unmapped = new AtomicLong();
    private final AtomicInteger verdict = new AtomicInteger(UNKNOWN);

    /** False once this host was seen to map nothing. */
    public boolean worthTrying() {
        return verdict.get() != MAPS_NOTHING;
    }

    /** Whether the host was seen to map pages (false while still unknown). */
    public boolean maps() {
        return verdict.get() == MAPS;
    }

    /** What one zero-copy receive gave: bytes mapped, bytes the kernel left to copy. */
    public void record(long mappedBytes, long copyBytes) {
        if (verdict.get() != UNKNOWN) {
            return;
        }
        if (mappedBytes > 0) {
            if (verdict.compareAndSet(UNKNOWN, MAPS)) {
                log.info("zero-copy receive maps response body pages on this host");
            }
            return;
        }
        long total = unmapped.addAndGet(copyBytes);
        if (total >= SAMPLE && verdict.compareAndSet(UNKNOWN, MAPS_NOTHING)) {
            log.warn("zero-copy receive mapped none of the first {} bytes of response bodies on this host"
                    + " (pages map only when they arrive as whole order-0 pages: header-split NICs, or on"
                    + " loopback net.core.high_order_alloc_disable=1; and never page-cache pages, which a"
                    + " same-host origin's sendfile sends); response-body = auto copies instead",
                    total);
        }
    }
}
