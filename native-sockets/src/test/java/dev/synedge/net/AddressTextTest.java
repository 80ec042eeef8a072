package dev.synedge.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressTextTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0.0.0.0         | 8080 | 0.0.0.0:8080",
            "127.0.0.1       | 9000 | 127.0.0.1:9000",
            "::1             | 8080 | [::1]:8080",
            "::              | 80   | [::]:80",
            "2001:db8::7     | 443  | [2001:db8::7]:443",
            "1:0:0:0:0:0:0:0 | 1    | [1::]:1",
    })
    void socketAddressesAreHostColonPortWithIpv6Bracketed(String ip, int port, String expected) throws Exception {
        assertThat(AddressText.of(new InetSocketAddress(InetAddress.getByName(ip), port))).isEqualTo(expected);
    }

    /** RFC 5952 §4: the examples it gives for each rule. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2001:0db8:0000:0000:0000:0000:0000:0001 | 2001:db8::1",
            "2001:db8:0:0:0:0:2:1                    | 2001:db8::2:1",
            "2001:db8:0:1:1:1:1:1                    | 2001:db8:0:1:1:1:1:1",
            "2001:0:0:1:0:0:0:1                      | 2001:0:0:1::1",
            "2001:db8:0:0:1:0:0:1                    | 2001:db8::1:0:0:1",
            "2001:DB8:AAAA:BBBB:CCCC:DDDD:EEEE:0001  | 2001:db8:aaaa:bbbb:cccc:dddd:eeee:1",
            "0:0:0:0:0:0:0:0                         | ::",
            "fe80:0:0:0:0:0:0:0                      | fe80::",
    })
    void ipv6FollowsRfc5952(String written, String expected) throws Exception {
        assertThat(AddressText.of(InetAddress.getByName(written))).isEqualTo(expected);
    }

    @Test
    void aNumericScopeIsKept() throws Exception {
        byte[] raw = InetAddress.getByName("fe80::1").getAddress();
        assertThat(AddressText.of(Inet6Address.getByAddress(null, raw, 7))).isEqualTo("fe80::1%7");
    }

    @Test
    void anUnresolvedNameIsWrittenAsGiven() {
        assertThat(AddressText.of(InetSocketAddress.createUnresolved("origin.example", 80))).isEqualTo("origin.example:80");
    }

    /** Whatever the zero groups, the text reads back as the same address and has no zero group a :: could hold. */
    @Test
    void randomAddressesReadBackAsThemselves() throws Exception {
        Random random = new Random(5952);
        for (int n = 0; n < 20_000; n++) {
            byte[] raw = new byte[16];
            for (int g = 0; g < 8; g++) {
                int kind = random.nextInt(3);
                int value = kind == 0 ? 0 : kind == 1 ? random.nextInt(16) : random.nextInt(65536);
                raw[2 * g] = (byte) (value >> 8);
                raw[2 * g + 1] = (byte) value;
            }
            InetAddress address = InetAddress.getByAddress(raw);
            if (!(address instanceof Inet6Address)) {
                continue;
            }
            String text = AddressText.of(address);
            assertThat(InetAddress.getByName(text)).as(HexFormat.of().formatHex(raw)).isEqualTo(address);
            assertThat(text).doesNotContain(":::").doesNotMatch(".*(^|:)0+[0-9a-f].*")
                    .satisfiesAnyOf(t -> assertThat(t).doesNotContain("::"),
                            t -> assertThat(t.indexOf("::")).isEqualTo(t.lastIndexOf("::")));
            String longest = longestZeroRun(raw);
            if (longest != null) {
                assertThat(text).as("the longest run of zeros is the one compressed").contains(longest);
            }
        }
    }

    /** The text around the :: that RFC 5952 picks, e.g. {@code 1::2}, or null when no run of two zero groups exists. */
    private static String longestZeroRun(byte[] raw) {
        int best = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && raw[2 * j] == 0 && raw[2 * j + 1] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                best = i;
                bestLength = j - i;
            }
        }
        if (best < 0) {
            return null;
        }
        String before = best == 0 ? "" : Integer.toHexString(group(raw, best - 1));
        String after = best + bestLength == 8 ? "" : Integer.toHexString(group(raw, best + bestLength));
        return before + "::" + after;
    }

    private static int group(byte[] raw, int g) {
        return (raw[2 * g] & 0xff) << 8 | raw[2 * g + 1] & 0xff;
    }
}
