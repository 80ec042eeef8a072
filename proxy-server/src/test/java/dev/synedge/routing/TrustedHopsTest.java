package dev.synedge.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.config.Cidr;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TrustedHopsTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                // ranges, address, trusted
                Arguments.of("10.0.0.0/8", "10.1.2.3", true),
                Arguments.of("10.0.0.0/8", "10.255.255.255", true),
                Arguments.of("10.0.0.0/8", "11.0.0.0", false),
                Arguments.of("10.0.0.0/8", "9.255.255.255", false),
                Arguments.of("192.168.1.7/32", "192.168.1.7", true),
                Arguments.of("192.168.1.7/32", "192.168.1.6", false),
                Arguments.of("192.168.1.7", "192.168.1.7", true),
                Arguments.of("172.16.0.0/12", "172.31.255.255", true),
                Arguments.of("172.16.0.0/12", "172.32.0.0", false),
                Arguments.of("0.0.0.0/0", "203.0.113.9", true),
                Arguments.of("0.0.0.0/0", "255.255.255.255", true),
                Arguments.of("0.0.0.0/0", "2001:db8::1", false),
                Arguments.of("::1/128", "::1", true),
                Arguments.of("::1/128", "::2", false),
                Arguments.of("::1", "::1", true),
                Arguments.of("::/0", "2001:db8::1", true),
                Arguments.of("::/0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true),
                Arguments.of("::/0", "10.0.0.1", false),
                Arguments.of("2001:db8::/32", "2001:db8:ffff:ffff::1", true),
                Arguments.of("2001:db8::/32", "2001:db9::1", false),
                Arguments.of("2001:db8:0:1::/64", "2001:db8:0:1:ffff:ffff:ffff:ffff", true),
                Arguments.of("2001:db8:0:1::/64", "2001:db8:0:2::", false),
                Arguments.of("2001:db8:0:1:8000::/65", "2001:db8:0:1:8000::1", true),
                Arguments.of("2001:db8:0:1:8000::/65", "2001:db8:0:1:7fff::1", false),
                Arguments.of("2001:db8::ff00/120", "2001:db8::ffab", true),
                Arguments.of("2001:db8::ff00/120", "2001:db8::feab", false),
                Arguments.of("::ffff:192.168.0.0/112", "192.168.44.1", true),
                Arguments.of("::ffff:192.168.0.0/112", "192.169.0.1", false),
                Arguments.of("10.0.0.0/8, ::1", "::1", true),
                Arguments.of("10.0.0.0/8, ::1", "10.9.9.9", true),
                Arguments.of("10.0.0.0/8, ::1", "127.0.0.1", false));
    }

    @ParameterizedTest(name = "[{0}] trusts {1}: {2}")
    @MethodSource("cases")
    void trusts(String ranges, String address, boolean trusted) throws UnknownHostException {
        TrustedHops hops = hops(ranges);

        assertThat(hops.trusts(InetAddress.getByName(address))).isEqualTo(trusted);
    }

    @Test
    void anIpv4ClientSeenAsV4MappedIpv6MatchesIpv4Ranges() throws UnknownHostException {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 10;
        mapped[13] = 1;
        mapped[14] = 2;
        mapped[15] = 3;
        InetAddress dualStackView = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(dualStackView).isInstanceOf(Inet6Address.class);

        assertThat(hops("10.0.0.0/8").trusts(dualStackView)).isTrue();
        assertThat(hops("::ffff:10.0.0.0/104").trusts(dualStackView)).isTrue();
        assertThat(hops("::ffff:10.0.0.0/104").trusts(InetAddress.getByName("10.200.0.1"))).isTrue();
        assertThat(hops("11.0.0.0/8").trusts(dualStackView)).isFalse();
        assertThat(hops("::/0").trusts(dualStackView)).as("IPv6 ranges never take IPv4 clients").isFalse();
        assertThat(hops("10.0.0.0/8").trustsIpv6(0, 0xffff_0a01_0203L)).isTrue();
    }

    @Test
    void primitiveFormsAgreeWithInetAddress() throws UnknownHostException {
        TrustedHops hops = hops("10.0.0.0/8, 2001:db8::/32");

        assertThat(hops.trustsIpv4(0x0a000001)).isTrue();
        assertThat(hops.trustsIpv4(0x0b000001)).isFalse();
        assertThat(hops.trustsIpv6(0x20010db8_00000000L, 1)).isTrue();
        assertThat(hops.trustsIpv6(0x20010db9_00000000L, 1)).isFalse();
        assertThat(hops.trusts(Inet4Address.getByName("10.0.0.1"))).isTrue();
    }

    @Test
    void manyIpv6AddressObjectsOnOneThreadGetTheirOwnAnswers() throws UnknownHostException {
        TrustedHops hops = hops("2001:db8::/33");
        java.util.List<InetAddress> addresses = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            addresses.add(InetAddress.getByName("2001:db8:" + Integer.toHexString(i * 61 % 0x10000) + "::" + i));
        }
        for (int round = 0; round < 3; round++) {
            for (InetAddress address : addresses) {
                boolean expected = (address.getAddress()[4] & 0x80) == 0;
                assertThat(hops.trusts(address)).as(address.toString()).isEqualTo(expected);
            }
        }
    }

    @Test
    void noneTrustsNobody() throws UnknownHostException {
        assertThat(TrustedHops.NONE.isEmpty()).isTrue();
        assertThat(TrustedHops.NONE.trusts(InetAddress.getByName("127.0.0.1"))).isFalse();
        assertThat(TrustedHops.NONE.trusts(InetAddress.getByName("::1"))).isFalse();
        assertThat(TrustedHops.of(java.util.List.of())).isSameAs(TrustedHops.NONE);
    }

    private static TrustedHops hops(String ranges) {
        return TrustedHops.of(Arrays.stream(ranges.split(",")).map(String::trim).map(Cidr::parse).toList());
    }
}
