package dev.synedge.config;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * An address range, {@code 10.0.0.0/8} or {@code 2001:db8::/32}. A range written as v4-mapped
 * IPv6 ({@code ::ffff:10.0.0.0/104}) is stored as the IPv4 range it denotes
 * ({@code 10.0.0.0/8}), so that one IPv4 client matches it however the listener saw the client.
 *
 * @param address      the network address, its host bits zero
 * @param prefixLength 0..32 for IPv4, 0..128 for IPv6
 */
public record Cidr(InetAddress address, int prefixLength) {

    public Cidr {
        Objects.requireNonNull(address, "address");
        int bits = address.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " outside 0.." + bits);
        }
    }

    /**
     * Parses {@code address[/prefix]} without any name lookup; a bare address is a single host
     * (/32 or /128).
     *
     * @throws IllegalArgumentException saying what is wrong, in words fit for a config error
     */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String literal = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
        if (bytes == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or address/prefix range");
        }
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String length = text.substring(slash + 1);
            if (length.isEmpty() || length.length() > 3 || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("'" + text + "' has no valid prefix length after '/'");
            }
            prefix = Integer.parseInt(length);
            if (prefix > bits) {
                throw new IllegalArgumentException("'" + text + "': prefix length " + prefix + " exceeds " + bits);
            }
        }
        byte[] network = bytes.clone();
        for (int bit = prefix; bit < bits; bit++) {
            network[bit >>> 3] &= (byte) ~(0x80 >>> (bit & 7));
        }
        if (!Arrays.equals(network, bytes)) {
            throw new IllegalArgumentException("'" + text + "' has host bits set; did you mean "
                    + NetUtil.bytesToIpAddress(network) + "/" + prefix + "?");
        }
        if (bytes.length == 16 && isV4Mapped(bytes)) {
            // Host bits are zero, and ffff sits in bits 80..95, so the prefix here is >= 96.
            byte[] v4 = Arrays.copyOfRange(bytes, 12, 16);
            return new Cidr(toAddress(v4), prefix - 96);
        }
        return new Cidr(toAddress(bytes), prefix);
    }

    @Override
    public String toString() {
        String text = NetUtil.toAddressString(address);
        return text + "/" + prefixLength;
    }

    /** True for an IPv4 range. */
    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    static boolean isV4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    private static InetAddress toAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
