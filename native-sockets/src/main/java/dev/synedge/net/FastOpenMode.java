package dev.synedge.net;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The value of {@code net.ipv4.tcp_fastopen}, decoded: a bitmap of what the kernel allows
 * (Documentation/networking/ip-sysctl) plus, in the upper 16 bits, the queue length used by
 * {@link Flag#ALL_LISTENERS_QUEUE_FROM_VALUE}.
 */
public record FastOpenMode(int value) {

    /** One bit of the sysctl. */
    public enum Flag {
        CLIENT(0x1, "clients may send data in the SYN (TCP_FASTOPEN_CONNECT, MSG_FASTOPEN)"),
        SERVER(0x2, "listeners with TCP_FASTOPEN set accept data in the SYN"),
        CLIENT_NO_COOKIE(0x4, "clients send SYN data without a cookie, on every connection"),
        SERVER_NO_COOKIE_CHECK(0x100, "listeners accept SYN data without validating the cookie"),
        SERVER_NO_COOKIE_OPTION(0x200, "listeners accept SYN data carrying no cookie option at all"),
        ALL_LISTENERS_QUEUE_BACKLOG(0x400, "every listener has Fast Open, queue length = its backlog"),
        ALL_LISTENERS_QUEUE_FROM_VALUE(0x800, "every listener has Fast Open, queue length = value >> 16"),
        ALWAYS_CREATE_CHILD(0x1000, "always create Fast Open child sockets (kernel testing only)");

        public final int bit;
        public final String meaning;

        Flag(int bit, String meaning) {
            this.bit = bit;
            this.meaning = meaning;
        }
    }

    private static final int KNOWN_BITS;

    static {
        int known = 0;
        for (Flag flag : Flag.values()) {
            known |= flag.bit;
        }
        KNOWN_BITS = known;
    }

    public static FastOpenMode parse(String sysctlText) {
        return new FastOpenMode(Integer.decode(sysctlText.trim()));
    }

    public boolean has(Flag flag) {
        return (value & flag.bit) != 0;
    }

    public Set<Flag> flags() {
        EnumSet<Flag> set = EnumSet.noneOf(Flag.class);
        for (Flag flag : Flag.values()) {
            if (has(flag)) {
                set.add(flag);
            }
        }
        return set;
    }

    public boolean clientEnabled() {
        return has(Flag.CLIENT);
    }

    public boolean serverEnabled() {
        return has(Flag.SERVER);
    }

    /** The upper 16 bits: the queue length for {@link Flag#ALL_LISTENERS_QUEUE_FROM_VALUE}. */
    public int queueLengthFromValue() {
        return value >>> 16;
    }

    /** Bits below 16 that no documented flag explains. */
    public int unknownBits() {
        return value & 0xFFFF & ~KNOWN_BITS;
    }

    /** One line per set flag: {@code 0x2 SERVER: listeners with ... accept data in the SYN}. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Flag flag : flags()) {
            String line = String.format("0x%x %s: %s", flag.bit, flag.name(), flag.meaning);
            if (flag == Flag.ALL_LISTENERS_QUEUE_FROM_VALUE) {
                line += " (" + queueLengthFromValue() + ")";
            }
            lines.add(line);
        }
        if (unknownBits() != 0) {
            lines.add(String.format("0x%x: bits this decoder does not know", unknownBits()));
        }
        return lines;
    }
}
