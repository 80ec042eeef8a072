package dev.synedge.config;

import io.netty.util.NetUtil;
import java.util.Locale;

/**
 * Checks and normalizes the small languages inside config strings: names, host patterns,
 * host:port, paths, header fields. Each method returns the normalized text or throws
 * {@link IllegalArgumentException} with a message fit for a config error. None looks anything up.
 */
final class Syntax {

    private Syntax() {}

    /** Listener, route and cluster names: they end up in log lines and metric labels. */
    static String name(String text) {
        if (text.isEmpty() || text.length() > 64) {
            throw new IllegalArgumentException("a name has 1 to 64 characters, got '" + text + "'");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = isAlnum(c) || (i > 0 && (c == '-' || c == '_' || c == '.'));
            if (!ok) {
                throw new IllegalArgumentException("'" + text + "' is not a valid name: use letters, digits, "
                        + "'-', '_' and '.', starting with a letter or digit");
            }
        }
        return text;
    }

    /** An RFC 9110 token (field names, the Via pseudonym). */
    static String token(String text, String what) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isTchar(text.charAt(i))) {
                throw new IllegalArgumentException("'" + text + "' is not a valid " + what
                        + " (an HTTP token: letters, digits and !#$%&'*+-.^_`|~)");
            }
        }
        return text;
    }

    /**
     * A Bearer token as RFC 6750 allows it in the Authorization field: letters, digits and
     * {@code -._~+/}, then {@code =} padding. The message never quotes it: it is a secret.
     */
    static String bearerToken(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("must not be empty; use null for no token");
        }
        int end = text.length();
        while (end > 1 && text.charAt(end - 1) == '=') {
            end--;
        }
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (!isAlnum(c) && "-._~+/".indexOf(c) < 0) {
                throw new IllegalArgumentException("a Bearer token has letters, digits and -._~+/ followed by "
                        + "any '=' padding; character " + (i + 1) + " of " + text.length() + " is none of these");
            }
        }
        return text;
    }

    /** A header field value: visible ASCII, spaces and tabs; never CR, LF or NUL. */
    static String fieldValue(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\t' && (c < 0x20 || c > 0x7e)) {
                throw new IllegalArgumentException("header value '" + printable(text)
                        + "' contains a control or non-ASCII character at position " + i);
            }
        }
        return text;
    }

    /**
     * A route host pattern: an exact host, {@code *.suffix}, or an IP literal. Returns it in
     * lower case without a trailing dot; IPv6 literals become {@code [rfc5952-form]}.
     */
    static String hostPattern(String text) {
        String host = text.toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("'" + text + "' has '[' without ']'");
            }
            if (close != host.length() - 1) {
                throw new IllegalArgumentException("'" + text + "': ports are not matched (the port in Host is "
                        + "ignored); write '" + text.substring(0, close + 1) + "'");
            }
            return "[" + ipv6(host.substring(1, close), text) + "]";
        }
        if (host.indexOf(':') >= 0) {
            if (NetUtil.isValidIpV6Address(host)) {
                return "[" + ipv6(host, text) + "]";
            }
            throw new IllegalArgumentException("'" + text + "': ports are not matched (the port in Host is "
                    + "ignored); write '" + text.substring(0, text.indexOf(':')) + "'");
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.startsWith("*.")) {
            return "*." + hostname(host.substring(2), text);
        }
        if (host.indexOf('*') >= 0) {
            throw new IllegalArgumentException("'" + text + "': the only wildcard is a leading '*.' "
                    + "(as in '*.example.com')");
        }
        return hostname(host, text);
    }

    /** {@code host:port} of an endpoint; IPv6 literals in brackets; the port is required. */
    static HostPort hostPort(String text) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("'" + text + "' is not [ipv6]:port");
            }
            host = text.substring(1, close);
            ipv6(host, text);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("'" + text + "' has no port; write host:port, e.g. '"
                        + text + ":80'");
            }
            if (text.indexOf(':') != colon) {
                throw new IllegalArgumentException("'" + text + "': put IPv6 addresses in brackets, "
                        + "e.g. '[::1]:9000'");
            }
            host = hostname(text.substring(0, colon).toLowerCase(Locale.ROOT), text);
            port = text.substring(colon + 1);
        }
        return new HostPort(host, port(port, text));
    }

    /** A listener's bind address: an IP literal (IPv6 with or without brackets) or a hostname. */
    static String bindHost(String text) {
        String host = text;
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host)) {
            return host;
        }
        return hostname(host.toLowerCase(Locale.ROOT), text);
    }

    /** A path for matching or rewriting: starts with '/', visible ASCII, no '?' or '#'. */
    static String path(String text) {
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("'" + printable(text) + "' must start with '/'");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new IllegalArgumentException("'" + printable(text) + "' contains a space, control or "
                        + "non-ASCII character at position " + i + " (percent-encode it as requests do)");
            }
            if (c == '?' || c == '#') {
                throw new IllegalArgumentException("'" + text + "' contains '" + c
                        + "': paths are matched without the query");
            }
        }
        return text;
    }

    /** The parts of {@code host:port}; {@code host} is an IP literal (no brackets) or a hostname. */
    record HostPort(String host, int port) {}

    private static int port(String text, String whole) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + whole + "' has no valid port after ':'");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + whole + "': port must be between 1 and 65535, got " + port);
        }
        return port;
    }

    private static String ipv6(String literal, String whole) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
        if (bytes == null || !NetUtil.isValidIpV6Address(literal)) {
            throw new IllegalArgumentException("'" + whole + "' is not a valid IPv6 address");
        }
        return NetUtil.bytesToIpAddress(bytes).toLowerCase(Locale.ROOT);
    }

    /** RFC 1123 host name (underscores tolerated), lower case, no trailing dot. */
    private static String hostname(String host, String whole) {
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty() || host.length() > 253) {
            throw new IllegalArgumentException("'" + whole + "' is not a valid host name");
        }
        int labelStart = 0;
        for (int i = 0; i <= host.length(); i++) {
            if (i == host.length() || host.charAt(i) == '.') {
                int length = i - labelStart;
                if (length == 0 || length > 63 || host.charAt(labelStart) == '-' || host.charAt(i - 1) == '-') {
                    throw new IllegalArgumentException("'" + whole + "' is not a valid host name");
                }
                labelStart = i + 1;
            } else {
                char c = host.charAt(i);
                if (!isAlnum(c) && c != '-' && c != '_') {
                    throw new IllegalArgumentException("'" + whole + "' is not a valid host name (character '"
                            + printable(String.valueOf(c)) + "')");
                }
            }
        }
        return host;
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean isTchar(char c) {
        return isAlnum(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
