package dev.synedge.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Test helpers: bytes of messages, and feeding them to a parser in pieces. */
final class Wire {

    private Wire() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String string(ByteBuf buf) {
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    /** A buffer of the given kind holding nothing yet; the caller releases it. */
    static ByteBuf buffer(boolean direct) {
        return direct ? PooledByteBufAllocator.DEFAULT.directBuffer(256) : Unpooled.buffer(256);
    }

    /** Splits of {@code n} bytes: whole, one byte at a time, and some seeded random cuts. */
    static List<int[]> splits(int n, long seed) {
        List<int[]> out = new ArrayList<>();
        out.add(new int[] {n});
        int[] ones = new int[n];
        java.util.Arrays.fill(ones, 1);
        out.add(ones);
        Random random = new Random(seed);
        for (int round = 0; round < 6; round++) {
            List<Integer> pieces = new ArrayList<>();
            int left = n;
            while (left > 0) {
                int piece = Math.min(left, 1 + random.nextInt(Math.max(1, n / 3)));
                pieces.add(piece);
                left -= piece;
            }
            out.add(pieces.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    /**
     * Feeds {@code message} to {@code parse} piece by piece in a cumulative buffer (heap or
     * direct) until it returns something other than NEED_MORE, then describes the outcome with
     * {@code describe} while the buffer is still alive. The description of NEED_MORE after the
     * last piece is "NEED_MORE".
     */
    static String feed(byte[] message, int[] pieces, boolean direct,
                       Function<ByteBuf, ParseResult> parse, BiFunction<ParseResult, ByteBuf, String> describe) {
        ByteBuf buf = buffer(direct);
        try {
            int at = 0;
            ParseResult r = ParseProgress.NEED_MORE;
            for (int piece : pieces) {
                buf.writeBytes(message, at, piece);
                at += piece;
                r = parse.apply(buf);
                if (r != ParseProgress.NEED_MORE) {
                    break;
                }
            }
            return describe.apply(r, buf);
        } finally {
            buf.release();
        }
    }

    /** Everything a request head says, as one string (allocates; tests only). */
    static String describe(RequestHead h) {
        StringBuilder sb = new StringBuilder();
        sb.append(h.method()).append(' ').append(h.targetForm()).append(' ').append(h.target())
                .append(' ').append(h.version()).append(" host=").append(h.host())
                .append(" path=").append(range(h.buffer(), h.pathStart(), h.queryStart()))
                .append(range(h.buffer(), h.queryStart(), h.pathEnd()).isEmpty() ? "" : " query=" + range(h.buffer(), h.queryStart(), h.pathEnd()))
                .append(" body=").append(h.bodyKind()).append('/').append(h.contentLength())
                .append(" keepAlive=").append(h.keepAlive())
                .append(" continue=").append(h.expectContinue())
                .append(" upgrade=").append(h.upgradeRequested())
                .append(" length=").append(h.length())
                .append(" start=").append(h.start() - h.buffer().readerIndex());
        fields(h, sb);
        return sb.toString();
    }

    /** Everything a response head says, as one string (allocates; tests only). */
    static String describe(ResponseHead h) {
        StringBuilder sb = new StringBuilder();
        sb.append(h.version()).append(' ').append(h.status()).append(" reason=")
                .append(range(h.buffer(), h.reasonStart(), h.reasonEnd()))
                .append(" body=").append(h.bodyKind()).append('/').append(h.contentLength())
                .append(" keepAlive=").append(h.keepAlive())
                .append(" interim=").append(h.isInterim())
                .append(" switching=").append(h.isSwitchingProtocols())
                .append(" length=").append(h.length());
        fields(h, sb);
        return sb.toString();
    }

    private static void fields(MessageHead h, StringBuilder sb) {
        for (int i = 0; i < h.fieldCount(); i++) {
            sb.append(" [").append(h.name(i)).append(": ").append(h.value(i)).append(']');
            if (h.isConnectionListed(i)) {
                sb.append("(listed)");
            }
        }
    }

    static String range(ByteBuf buf, int from, int to) {
        return buf.toString(from, to - from, StandardCharsets.ISO_8859_1);
    }
}
