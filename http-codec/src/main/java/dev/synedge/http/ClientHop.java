package dev.synedge.http;

import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The client side of one downstream connection as the forwarded head reports it: its address,
 * pre-encoded for X-Forwarded-For and for Forwarded's {@code for=} (IPv6 quoted and bracketed,
 * RFC 7239 §6), the protocol it spoke to the listener, and whether it is a trusted hop (the
 * caller decides from its configuration; values from untrusted clients are never forwarded,
 * RFC 7239 §8.1). Built once per connection; immutable.
 */
public final class ClientHop {

    private static final byte[] HTTP = Ascii.bytes("http");
    private static final byte[] HTTPS = Ascii.bytes("https");
    private static final byte[] UNKNOWN = Ascii.bytes("unknown");

    final byte[] address;
    final byte[] forwardedFor;
    final byte[] proto;
    final boolean trusted;

    private ClientHop(byte[] address, byte[] forwardedFor, boolean tls, boolean trusted) {
        this.address = address;
        this.forwardedFor = forwardedFor;
        this.proto = tls ? HTTPS : HTTP;
        this.trusted = trusted;
    }

    /** A client at {@code address}; {@code tls} if it spoke HTTPS to the listener. */
    public static ClientHop of(InetAddress address, boolean tls, boolean trusted) {
        // NetUtil gives the RFC 5952 form for IPv6 (compressed, lower case, no scope)
        String text = NetUtil.toAddressString(address);
        int scope = text.indexOf('%');
        if (scope >= 0) {
            text = text.substring(0, scope);
        }
        byte[] bytes = Ascii.bytes(text);
        byte[] forwarded = address instanceof Inet6Address ? Ascii.bytes("\"[" + text + "]\"") : bytes;
        return new ClientHop(bytes, forwarded, tls, trusted);
    }

    /** A client whose address is not known (e.g. a Unix socket): {@code for=unknown}. */
    public static ClientHop unknown(boolean tls, boolean trusted) {
        return new ClientHop(UNKNOWN, UNKNOWN, tls, trusted);
    }

    public boolean trusted() {
        return trusted;
    }

    @Override
    public String toString() {
        return new String(address, java.nio.charset.StandardCharsets.ISO_8859_1) + " "
                + new String(proto, java.nio.charset.StandardCharsets.ISO_8859_1) + (trusted ? " trusted" : "");
    }
}
