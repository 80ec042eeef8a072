package dev.synedge.routing;

import dev.synedge.config.Cidr;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The client addresses whose forwarding fields (X-Forwarded-*, Forwarded) a route believes: a
 * set of IPv4 and IPv6 ranges, searched linearly (lists of trusted hops are short).
 *
 * <p>IPv4 clients are one address however the listener saw them: an IPv6 socket on a
 * dual-stack listener reports an IPv4 client as v4-mapped {@code ::ffff:a.b.c.d}, and both
 * forms match the IPv4 ranges (which {@link Cidr} also builds from ranges written v4-mapped).
 * IPv6 ranges match only true IPv6 addresses, so {@code ::/0} trusts every IPv6 client and no
 * IPv4 client; write {@code 0.0.0.0/0} as well to trust everyone.
 *
 * <p>Immutable and shared by all event loops; checks allocate nothing (see {@link #trusts}).
 */
public final class TrustedHops {

    /** Trusts nobody. */
    public static final TrustedHops NONE = new TrustedHops(new int[0], new int[0], new long[0], new long[0],
            new long[0], new long[0], List.of());

    private final int[] v4Network;
    private final int[] v4Mask;
    private final long[] v6NetworkHigh;
    private final long[] v6NetworkLow;
    private final long[] v6MaskHigh;
    private final long[] v6MaskLow;
    private final List<Cidr> ranges;

    private TrustedHops(int[] v4Network, int[] v4Mask, long[] v6NetworkHigh, long[] v6NetworkLow,
                        long[] v6MaskHigh, long[] v6MaskLow, List<Cidr> ranges) {
        this.v4Network = v4Network;
        this.v4Mask = v4Mask;
        this.v6NetworkHigh = v6NetworkHigh;
        this.v6NetworkLow = v6NetworkLow;
        this.v6MaskHigh = v6MaskHigh;
        this.v6MaskLow = v6MaskLow;
        this.ranges = ranges;
    }

    /** The set of the given ranges; {@link #NONE} when empty. */
    public static TrustedHops of(List<Cidr> ranges) {
        if (ranges.isEmpty()) {
            return NONE;
        }
        List<Cidr> v4 = new ArrayList<>();
        List<Cidr> v6 = new ArrayList<>();
        for (Cidr range : ranges) {
            (range.isIpv4() ? v4 : v6).add(range);
        }
        int[] v4Network = new int[v4.size()];
        int[] v4Mask = new int[v4.size()];
        for (int i = 0; i < v4.size(); i++) {
            v4Mask[i] = v4Mask(v4.get(i).prefixLength());
            v4Network[i] = ipv4(v4.get(i).address().getAddress()) & v4Mask[i];
        }
        long[] networkHigh = new long[v6.size()];
        long[] networkLow = new long[v6.size()];
        long[] maskHigh = new long[v6.size()];
        long[] maskLow = new long[v6.size()];
        for (int i = 0; i < v6.size(); i++) {
            int prefix = v6.get(i).prefixLength();
            maskHigh[i] = prefix >= 64 ? -1L : prefix == 0 ? 0L : -1L << (64 - prefix);
            maskLow[i] = prefix <= 64 ? 0L : prefix == 128 ? -1L : -1L << (128 - prefix);
            byte[] bytes = v6.get(i).address().getAddress();
            networkHigh[i] = Scratch.longAt(bytes, 0) & maskHigh[i];
            networkLow[i] = Scratch.longAt(bytes, 8) & maskLow[i];
        }
        return new TrustedHops(v4Network, v4Mask, networkHigh, networkLow, maskHigh, maskLow, List.copyOf(ranges));
    }

    /** True when no address is trusted. */
    public boolean isEmpty() {
        return v4Network.length == 0 && v6NetworkHigh.length == 0;
    }

    /** The ranges, as configured. */
    public List<Cidr> ranges() {
        return ranges;
    }

    /**
     * True when {@code address} is in one of the ranges. Costs nothing when the set is empty,
     * the usual case. Allocates nothing: an IPv4 address's 4-byte copy is optimized away by the
     * JIT, and an IPv6 address's bits are read once per address object and thread (a client's
     * address object lives as long as its connection) and kept in a small per-thread table.
     */
    public boolean trusts(InetAddress address) {
        if (isEmpty()) {
            return false;
        }
        if (address instanceof Inet4Address) {
            return trustsIpv4(ipv4(address.getAddress()));
        }
        if (address instanceof Inet6Address) {
            Scratch scratch = Scratch.get();
            int slot = scratch.slot(address);
            return trustsIpv6(scratch.high(slot), scratch.low(slot));
        }
        return false;
    }

    /** True when the IPv4 address {@code address} (network byte order as an int) is trusted. */
    public boolean trustsIpv4(int address) {
        int[] network = v4Network;
        int[] mask = v4Mask;
        for (int i = 0; i < network.length; i++) {
            if ((address & mask[i]) == network[i]) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the IPv6 address given as its high and low 64 bits is trusted; a v4-mapped
     * address is checked against the IPv4 ranges.
     */
    public boolean trustsIpv6(long high, long low) {
        if (high == 0 && (low >>> 32) == 0xffffL) {
            return trustsIpv4((int) low);
        }
        long[] networkHigh = v6NetworkHigh;
        long[] networkLow = v6NetworkLow;
        for (int i = 0; i < networkHigh.length; i++) {
            if ((high & v6MaskHigh[i]) == networkHigh[i] && (low & v6MaskLow[i]) == networkLow[i]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "TrustedHops" + ranges;
    }

    private static int v4Mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    private static int ipv4(byte[] bytes) {
        return (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
    }
}
