package dev.synedge.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;

/**
 * Addresses as operators write them, for every log line, console line and error message:
 * {@code 0.0.0.0:8080}, {@code [::1]:8080}, {@code 127.0.0.1:9000}. The JDK's own forms do
 * not serve: {@link InetSocketAddress#toString()} gives {@code /0.0.0.0:8080} (an empty host
 * name before the slash), and {@link Inet6Address#getHostAddress()} gives
 * {@code 0:0:0:0:0:0:0:1}, which is neither what {@code ss}, curl or nginx print nor
 * readable beside a port. IPv6 follows RFC 5952: lower-case hex, no leading zeros, the
 * longest run of two or more zero groups (the first of equal runs) as {@code ::}.
 */
public final class AddressText {

    private AddressText() {}

    /** {@code host:port}, the host bracketed when it is an IPv6 literal; an unresolved name as given. */
    public static String of(InetSocketAddress address) {
        String host = address.isUnresolved() ? address.getHostString() : of(address.getAddress());
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** The IP address alone: {@code 192.0.2.7}, {@code 2001:db8::7}, {@code fe80::1%eth0}. */
    public static String of(InetAddress address) {
        if (!(address instanceof Inet6Address v6)) {
            return address.getHostAddress();
        }
        byte[] raw = v6.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (raw[2 * i] & 0xff) << 8 | raw[2 * i + 1] & 0xff;
        }
        int runStart = -1;
        int runLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > runLength) {
                runStart = i;
                runLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder(41);
        for (int i = 0; i < 8; i++) {
            if (i == runStart) {
                text.append("::");
                i += runLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        NetworkInterface scope = v6.getScopedInterface();
        if (scope != null) {
            text.append('%').append(scope.getName());
        } else if (v6.getScopeId() != 0) {
            text.append('%').append(v6.getScopeId());
        }
        return text.toString();
    }
}
