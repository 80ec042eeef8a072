package dev.synedge.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The pure decoders: the Fast Open sysctl, key text, netstat counters, tcp_info sizes. */
class DecodersTest {

    @ParameterizedTest
    @EnumSource(FastOpenMode.Flag.class)
    void everyDocumentedBitDecodesAloneWithItsMeaning(FastOpenMode.Flag flag) {
        FastOpenMode mode = FastOpenMode.parse(Integer.toString(flag.bit));
        assertThat(mode.flags()).containsExactly(flag);
        assertThat(mode.unknownBits()).isZero();
        assertThat(mode.describe()).hasSize(1);
        assertThat(mode.describe().get(0)).startsWith(String.format("0x%x %s: ", flag.bit, flag.name()))
                .contains(flag.meaning);
    }

    @Test
    void combinationsAndTheQueueLengthInTheUpperBits() {
        assertThat(FastOpenMode.parse("3").flags()).containsExactly(FastOpenMode.Flag.CLIENT, FastOpenMode.Flag.SERVER);
        assertThat(FastOpenMode.parse("3").clientEnabled()).isTrue();
        assertThat(FastOpenMode.parse("3").serverEnabled()).isTrue();
        assertThat(FastOpenMode.parse("1").serverEnabled()).isFalse();
        assertThat(FastOpenMode.parse("0").flags()).isEmpty();
        assertThat(FastOpenMode.parse("0").describe()).isEmpty();

        FastOpenMode all = FastOpenMode.parse(Integer.toString(0x1F07));
        assertThat(all.flags()).isEqualTo(EnumSet.allOf(FastOpenMode.Flag.class));

        int value = (256 << 16) | 0x800 | 0x2;
        FastOpenMode fromValue = FastOpenMode.parse(Integer.toString(value));
        assertThat(fromValue.flags()).isEqualTo(Set.of(FastOpenMode.Flag.SERVER, FastOpenMode.Flag.ALL_LISTENERS_QUEUE_FROM_VALUE));
        assertThat(fromValue.queueLengthFromValue()).isEqualTo(256);
        assertThat(fromValue.describe()).anyMatch(line -> line.startsWith("0x800 ") && line.endsWith("(256)"));

        FastOpenMode backlog = FastOpenMode.parse("0x403");
        assertThat(backlog.has(FastOpenMode.Flag.ALL_LISTENERS_QUEUE_BACKLOG)).isTrue();
        assertThat(backlog.queueLengthFromValue()).isZero();

        FastOpenMode unknown = FastOpenMode.parse(Integer.toString(0x8 | 0x2));
        assertThat(unknown.unknownBits()).isEqualTo(0x8);
        assertThat(unknown.describe()).last().asString().startsWith("0x8: bits this decoder does not know");
    }

    @Test
    void keyTextIsLittleEndianWordsAndRoundTrips() {
        byte[] raw = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
        FastOpenKey key = FastOpenKey.of(raw);
        assertThat(key.format()).isEqualTo("03020100-07060504-0b0a0908-0f0e0d0c");
        assertThat(FastOpenKey.parse(key.format())).isEqualTo(key);

        byte[] backup = HexFormat.of().parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
        FastOpenKey pair = FastOpenKey.of(raw, backup);
        assertThat(pair.format()).isEqualTo("03020100-07060504-0b0a0908-0f0e0d0c,f3f2f1f0-f7f6f5f4-fbfaf9f8-fffefdfc");
        assertThat(FastOpenKey.parse(pair.format())).isEqualTo(pair);
        assertThat(FastOpenKey.fromBytes(pair.toBytes())).isEqualTo(pair);
        assertThat(pair.toBytes()).hasSize(32);
        assertThat(FastOpenKey.of(backup).rotatedTo(raw)).isEqualTo(pair);
    }

    @Test
    void malformedKeyTextIsRejectedWithTheReason() {
        assertThatThrownBy(() -> FastOpenKey.parse("01-02")).hasMessageContaining("four 8-digit hex words");
        assertThatThrownBy(() -> FastOpenKey.parse("0000000g-00000000-00000000-00000000")).hasMessageContaining("not hex");
        assertThatThrownBy(() -> FastOpenKey.parse("0-00000000-00000000-00000000")).hasMessageContaining("8 hex digits");
        String one = "00000000-00000000-00000000-00000000";
        assertThatThrownBy(() -> FastOpenKey.parse(one + "," + one + "," + one)).hasMessageContaining("at most two");
        assertThatThrownBy(() -> FastOpenKey.fromBytes(new byte[20])).hasMessageContaining("16 or 32 bytes");
    }

    @Test
    void netstatParsingAndDeltas() {
        String text = """
                TcpExt: SyncookiesSent TCPFastOpenActive TCPFastOpenPassive
                TcpExt: 0 5 7
                IpExt: InNoRoutes
                IpExt: 0
                """;
        TcpExtCounters before = TcpExtCounters.parse(text);
        assertThat(before.get("TCPFastOpenActive")).isEqualTo(5);
        assertThat(before.has("TCPFastOpenBlackhole")).isFalse();
        assertThat(before.get("TCPFastOpenBlackhole")).isZero();
        TcpExtCounters after = TcpExtCounters.parse(text.replace("0 5 7", "0 6 10"));
        assertThat(after.minus(before).get("TCPFastOpenActive")).isEqualTo(1);
        assertThat(after.minus(before).get("TCPFastOpenPassive")).isEqualTo(3);
        assertThat(after.values()).doesNotContainKey("InNoRoutes");
    }

    @Test
    void theLiveNetstatHasEveryFastOpenCounter() {
        TcpExtCounters live = TcpExtCounters.read();
        assertThat(TcpExtCounters.FAST_OPEN).allSatisfy(name -> assertThat(live.has(name)).as(name).isTrue());
    }

    @Test
    void tcpInfoFieldsBeyondWhatTheKernelReturnedAreAbsent() {
        MemorySegment raw = Arena.ofAuto().allocate(512);
        raw.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
        raw.set(ValueLayout.JAVA_BYTE, 5, (byte) 0xA7);
        raw.set(ValueLayout.JAVA_BYTE, 6, (byte) 0x97);
        raw.set(ValueLayout.JAVA_BYTE, 7, (byte) 0b101);
        raw.set(ValueLayout.JAVA_INT_UNALIGNED, 68, 1234);
        raw.set(ValueLayout.JAVA_LONG_UNALIGNED, 104, 99L);
        raw.set(ValueLayout.JAVA_LONG_UNALIGNED, 200, 4096L);
        raw.set(ValueLayout.JAVA_INT_UNALIGNED, 228, 65535);
        raw.set(ValueLayout.JAVA_INT_UNALIGNED, 232, 131072);

        TcpInfo oldest = TcpInfo.decode(raw, 104);
        assertThat(oldest.state()).isEqualTo(TcpState.ESTABLISHED);
        assertThat(oldest.rttMicros()).isEqualTo(1234);
        assertThat(oldest.sendWindowScale()).isEqualTo(7);
        assertThat(oldest.receiveWindowScale()).isEqualTo(9);
        assertThat(oldest.deliveryRateAppLimited()).isTrue();
        assertThat(oldest.fastOpenClientFail()).isEqualTo(TcpInfo.FastOpenClientFail.DATA_NOT_ACKED);
        assertThat(oldest.optionSet()).containsExactlyInAnyOrder(TcpInfo.Option.TIMESTAMPS, TcpInfo.Option.SACK,
                TcpInfo.Option.WSCALE, TcpInfo.Option.SYN_DATA, TcpInfo.Option.TFO_CHILD);
        assertThat(oldest.synData()).isTrue();
        assertThat(oldest.tfoChild()).isTrue();
        assertThat(oldest.pacingRate()).isEmpty();
        assertThat(oldest.bytesSent()).isEmpty();

        TcpInfo linux54 = TcpInfo.decode(raw, 232);
        assertThat(linux54.pacingRate()).hasValue(99);
        assertThat(linux54.bytesSent()).hasValue(4096);
        assertThat(linux54.sendWindow()).hasValue(65535);
        assertThat(linux54.receiveWindow()).as("6.2+ only").isEmpty();
        assertThat(TcpInfo.decode(raw, 240).receiveWindow()).hasValue(131072);

        assertThatThrownBy(() -> TcpInfo.decode(raw, 100)).hasMessageContaining("shorter than any kernel");
    }

    @Test
    void errnoNames() {
        assertThat(Errno.name(Errno.ECONNREFUSED)).isEqualTo("ECONNREFUSED");
        assertThat(Errno.name(Errno.EINPROGRESS)).isEqualTo("EINPROGRESS");
        assertThat(Errno.name(Errno.EOPNOTSUPP)).isEqualTo("EOPNOTSUPP");
        assertThat(Errno.name(4095)).isEqualTo("errno 4095");
        assertThat(Errno.name(-3)).isEqualTo("errno -3");
    }
}
