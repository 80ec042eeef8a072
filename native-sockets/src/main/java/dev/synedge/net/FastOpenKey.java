package dev.synedge.net;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A TCP Fast Open cookie key: a 16-byte primary and, during rotation, a 16-byte backup whose
 * cookies the listener still accepts (counted in {@code TCPFastOpenPassiveAltKey}). Cookies
 * are SipHash(key, source, destination), so every instance behind one address must share it.
 *
 * <p>Two encodings: the raw bytes of the {@code TCP_FASTOPEN_KEY} socket option (16 or 32)
 * and the sysctl text of {@code net.ipv4.tcp_fastopen_key},
 * {@code %08x-%08x-%08x-%08x[,backup]}, where each field is one little-endian 32-bit word of
 * the raw key.
 */
public final class FastOpenKey {

    public static final int LENGTH = 16;

    private final byte[] primary;
    private final byte[] backup;

    private FastOpenKey(byte[] primary, byte[] backup) {
        this.primary = primary;
        this.backup = backup;
    }

    public static FastOpenKey of(byte[] primary) {
        return new FastOpenKey(checked(primary), null);
    }

    public static FastOpenKey of(byte[] primary, byte[] backup) {
        return new FastOpenKey(checked(primary), checked(backup));
    }

    /** A fresh random primary key. */
    public static FastOpenKey random(SecureRandom random) {
        byte[] key = new byte[LENGTH];
        random.nextBytes(key);
        return new FastOpenKey(key, null);
    }

    /** From the socket option's bytes: 16 (primary) or 32 (primary then backup). */
    public static FastOpenKey fromBytes(byte[] raw) {
        return switch (raw.length) {
            case LENGTH -> of(raw.clone());
            case 2 * LENGTH -> of(Arrays.copyOf(raw, LENGTH), Arrays.copyOfRange(raw, LENGTH, 2 * LENGTH));
            default -> throw new IllegalArgumentException("a Fast Open key has 16 or 32 bytes, not " + raw.length);
        };
    }

    /**
     * Parses the sysctl format, e.g. {@code 00000001-00000002-00000003-00000004} or two such
     * keys separated by a comma (primary, backup).
     */
    public static FastOpenKey parse(String text) {
        String[] keys = text.trim().split(",", -1);
        if (keys.length > 2) {
            throw new IllegalArgumentException("at most two keys (primary,backup): " + text);
        }
        byte[] primary = parseOne(keys[0], text);
        return keys.length == 1 ? new FastOpenKey(primary, null) : new FastOpenKey(primary, parseOne(keys[1], text));
    }

    private static byte[] parseOne(String key, String whole) {
        String[] words = key.trim().split("-", -1);
        if (words.length != 4) {
            throw new IllegalArgumentException("a key is four 8-digit hex words joined by '-': " + whole);
        }
        byte[] raw = new byte[LENGTH];
        for (int i = 0; i < 4; i++) {
            if (words[i].length() != 8) {
                throw new IllegalArgumentException("each key word has 8 hex digits: '" + words[i] + "' in " + whole);
            }
            int word;
            try {
                word = Integer.parseUnsignedInt(words[i], 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not hex: '" + words[i] + "' in " + whole, e);
            }
            for (int b = 0; b < 4; b++) {
                raw[4 * i + b] = (byte) (word >>> (8 * b));
            }
        }
        return raw;
    }

    private static byte[] checked(byte[] key) {
        if (key == null || key.length != LENGTH) {
            throw new IllegalArgumentException("a Fast Open key has 16 bytes");
        }
        return key.clone();
    }

    public byte[] primary() {
        return primary.clone();
    }

    public Optional<byte[]> backup() {
        return Optional.ofNullable(backup).map(byte[]::clone);
    }

    /** This key's primary as the new backup under {@code newPrimary}: one rotation step. */
    public FastOpenKey rotatedTo(byte[] newPrimary) {
        return new FastOpenKey(checked(newPrimary), primary);
    }

    /** The socket option's bytes: 16, or 32 with a backup. */
    public byte[] toBytes() {
        if (backup == null) {
            return primary.clone();
        }
        byte[] raw = Arrays.copyOf(primary, 2 * LENGTH);
        System.arraycopy(backup, 0, raw, LENGTH, LENGTH);
        return raw;
    }

    /** The sysctl text format. */
    public String format() {
        return backup == null ? formatOne(primary) : formatOne(primary) + "," + formatOne(backup);
    }

    private static String formatOne(byte[] raw) {
        StringBuilder out = new StringBuilder(35);
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < 4; i++) {
            int word = (raw[4 * i] & 0xFF) | (raw[4 * i + 1] & 0xFF) << 8
                    | (raw[4 * i + 2] & 0xFF) << 16 | (raw[4 * i + 3] & 0xFF) << 24;
            if (i > 0) {
                out.append('-');
            }
            out.append(hex.toHexDigits(word));
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FastOpenKey other && Arrays.equals(primary, other.primary)
                && Arrays.equals(backup, other.backup);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(primary) + Arrays.hashCode(backup);
    }

    /** Never prints key material: a key is a secret. */
    @Override
    public String toString() {
        return backup == null ? "FastOpenKey[primary]" : "FastOpenKey[primary, backup]";
    }
}
