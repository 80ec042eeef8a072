package dev.synedge.net;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A decoded {@code struct tcp_info} (x86_64). The kernel fills as much of the struct as it
 * knows and reports that size; fields an older kernel did not return are empty, never zero.
 * Fields in the part every Linux since 2.6 returns (the first 104 bytes) are plain values.
 *
 * @param size                    bytes the kernel returned
 * @param state                   connection state
 * @param options                 raw {@code tcpi_options} bits; see {@link #optionSet()}
 * @param sendWindowScale         {@code tcpi_snd_wscale}
 * @param receiveWindowScale      {@code tcpi_rcv_wscale}
 * @param deliveryRateAppLimited  {@code tcpi_delivery_rate_app_limited}
 * @param fastOpenClientFail      why a client's Fast Open did not happen (5.5+; UNSPEC before)
 * @param rtoMicros               retransmission timeout
 * @param sendMss                 {@code tcpi_snd_mss}
 * @param receiveMss              {@code tcpi_rcv_mss}
 * @param rttMicros               smoothed round-trip time
 * @param rttVarianceMicros       round-trip time variance
 * @param sendCongestionWindow    {@code tcpi_snd_cwnd}, in segments
 * @param totalRetransmits        {@code tcpi_total_retrans}
 * @param pacingRate              bytes per second (3.15+)
 * @param bytesAcked              bytes the peer acknowledged (4.1+)
 * @param bytesReceived           bytes received (4.1+)
 * @param segmentsOut             segments sent (4.2+)
 * @param segmentsIn              segments received (4.2+)
 * @param minRttMicros            minimum round-trip time seen (4.6+)
 * @param deliveryRate            bytes per second (4.9+)
 * @param bytesSent               bytes sent, retransmissions included (4.19+)
 * @param sendWindow              peer's advertised receive window, bytes (5.4+)
 * @param receiveWindow           our advertised receive window, bytes (6.2+)
 */
public record TcpInfo(
        int size,
        TcpState state,
        int options,
        int sendWindowScale,
        int receiveWindowScale,
        boolean deliveryRateAppLimited,
        FastOpenClientFail fastOpenClientFail,
        long rtoMicros,
        long sendMss,
        long receiveMss,
        long rttMicros,
        long rttVarianceMicros,
        long sendCongestionWindow,
        long totalRetransmits,
        OptionalLong pacingRate,
        OptionalLong bytesAcked,
        OptionalLong bytesReceived,
        OptionalLong segmentsOut,
        OptionalLong segmentsIn,
        OptionalLong minRttMicros,
        OptionalLong deliveryRate,
        OptionalLong bytesSent,
        OptionalLong sendWindow,
        OptionalLong receiveWindow) {

    static final int TCP_INFO = 11;
    /** Larger than any kernel's struct, so the returned length is always the kernel's size. */
    static final int REQUEST_SIZE = 512;
    /** The part of the struct every supported kernel returns. */
    static final int BASE_SIZE = 104;

    /** {@code tcpi_options} bits. */
    public enum Option {
        TIMESTAMPS(0x1),
        SACK(0x2),
        WSCALE(0x4),
        ECN(0x8),
        ECN_SEEN(0x10),
        /** Client: its SYN data was acknowledged. Server: the SYN carried data (accepted socket). */
        SYN_DATA(0x20),
        USEC_TS(0x40),
        /** The socket was created by a Fast Open SYN (kernel 6.16+; never set on older kernels). */
        TFO_CHILD(0x80);

        public final int bit;

        Option(int bit) {
            this.bit = bit;
        }
    }

    /** {@code tcpi_fastopen_client_fail}: why the client's SYN carried no (acked) data. */
    public enum FastOpenClientFail {
        /** No failure recorded (also what kernels before 5.5 always report). */
        UNSPEC,
        /** No cookie was cached for the destination, so the SYN only asked for one. */
        COOKIE_UNAVAILABLE,
        /** The SYN carried data but the server did not acknowledge it. */
        DATA_NOT_ACKED,
        /** The SYN with data was retransmitted (possible middlebox or blackhole). */
        SYN_RETRANSMITTED;

        static FastOpenClientFail of(int code) {
            return values()[code & 3];
        }
    }

    /** Reads {@code TCP_INFO} of any TCP or MPTCP socket fd. */
    public static TcpInfo read(int fd) throws NativeException {
        Libc.Scratch s = Libc.Scratch.get();
        s.len.set(JAVA_INT_UNALIGNED, 0, REQUEST_SIZE);
        SocketOptions.check(Libc.getsockoptCritical(fd, Libc.SOL_TCP, TCP_INFO, s.buf, s.len),
                "getsockopt", "TCP_INFO");
        return decode(s.buf, s.len.get(JAVA_INT_UNALIGNED, 0));
    }

    /**
     * Only {@code tcpi_options} of a socket, from an 8-byte {@code TCP_INFO} read (the kernel
     * copies no more than asked): the cheap way to learn, per accepted connection, whether its
     * SYN carried data ({@link Option#SYN_DATA}).
     */
    public static int options(int fd) throws NativeException {
        Libc.Scratch s = Libc.Scratch.get();
        s.len.set(JAVA_INT_UNALIGNED, 0, 8);
        SocketOptions.check(Libc.getsockoptCritical(fd, Libc.SOL_TCP, TCP_INFO, s.buf, s.len),
                "getsockopt", "TCP_INFO");
        return Byte.toUnsignedInt(s.buf.get(JAVA_BYTE, 5));
    }

    /** Decodes {@code size} bytes of a tcp_info at the start of {@code raw}. */
    public static TcpInfo decode(MemorySegment raw, int size) {
        if (size < BASE_SIZE) {
            throw new IllegalArgumentException("tcp_info of " + size + " bytes is shorter than any kernel's");
        }
        int flags = Byte.toUnsignedInt(raw.get(JAVA_BYTE, 7));
        int scales = Byte.toUnsignedInt(raw.get(JAVA_BYTE, 6));
        return new TcpInfo(
                size,
                TcpState.of(Byte.toUnsignedInt(raw.get(JAVA_BYTE, 0))),
                Byte.toUnsignedInt(raw.get(JAVA_BYTE, 5)),
                scales & 0xF,
                scales >>> 4,
                (flags & 1) != 0,
                FastOpenClientFail.of(flags >>> 1),
                u32(raw, 8),
                u32(raw, 16),
                u32(raw, 20),
                u32(raw, 68),
                u32(raw, 72),
                u32(raw, 80),
                u32(raw, 100),
                u64(raw, size, 104),
                u64(raw, size, 120),
                u64(raw, size, 128),
                u32(raw, size, 136),
                u32(raw, size, 140),
                u32(raw, size, 148),
                u64(raw, size, 160),
                u64(raw, size, 200),
                u32(raw, size, 228),
                u32(raw, size, 232));
    }

    private static long u32(MemorySegment raw, long offset) {
        return Integer.toUnsignedLong(raw.get(JAVA_INT_UNALIGNED, offset));
    }

    private static OptionalLong u32(MemorySegment raw, int size, long offset) {
        return offset + 4 <= size ? OptionalLong.of(u32(raw, offset)) : OptionalLong.empty();
    }

    private static OptionalLong u64(MemorySegment raw, int size, long offset) {
        return offset + 8 <= size ? OptionalLong.of(raw.get(JAVA_LONG_UNALIGNED, offset)) : OptionalLong.empty();
    }

    public boolean has(Option option) {
        return (options & option.bit) != 0;
    }

    /** Client: the SYN's data was acked. Accepted socket: the client's SYN carried data. */
    public boolean synData() {
        return has(Option.SYN_DATA);
    }

    /** The accepted socket was created by a Fast Open SYN (kernel 6.16+). */
    public boolean tfoChild() {
        return has(Option.TFO_CHILD);
    }

    public Set<Option> optionSet() {
        EnumSet<Option> set = EnumSet.noneOf(Option.class);
        for (Option option : Option.values()) {
            if (has(option)) {
                set.add(option);
            }
        }
        return set;
    }
}
