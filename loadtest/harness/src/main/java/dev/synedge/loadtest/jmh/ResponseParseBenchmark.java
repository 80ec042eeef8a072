package dev.synedge.loadtest.jmh;

import dev.synedge.loadtest.http.MalformedResponseException;
import dev.synedge.loadtest.http.ReadBuffer;
import dev.synedge.loadtest.http.ResponseParser;
import dev.synedge.origin.BodyPattern;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The load generator's cost per response, parsing in place from its read buffer: a small
 * nginx-style response ({@code hello}), and a 64 KiB body with and without the origin's
 * {@code X-Body-Checksum} (CRC32C over every byte). Shows what the generator spends of its
 * core before the kernel's share.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ResponseParseBenchmark {

    @Param({"hello", "64k", "64k-checksum"})
    public String response;

    private ReadBuffer buffer;
    private ResponseParser parser;
    private int length;

    @Setup(Level.Trial)
    public void prepare() {
        int body = response.equals("hello") ? 5 : 65536;
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n"
                + "Date: Sat, 22 Nov 2025 04:00:00 GMT\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: " + body + "\r\nConnection: keep-alive\r\n");
        if (response.endsWith("checksum")) {
            head.append(String.format("X-Body-Checksum: %08x\r\n", BodyPattern.crc32c(body)));
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        length = headBytes.length + body;
        buffer = new ReadBuffer(length);
        MemorySegment.copy(MemorySegment.ofArray(headBytes), 0, buffer.segment(), 0, headBytes.length);
        for (int i = 0; i < body; i++) {
            buffer.segment().set(java.lang.foreign.ValueLayout.JAVA_BYTE, headBytes.length + i, BodyPattern.byteAt(i));
        }
        parser = new ResponseParser(true);
    }

    @TearDown(Level.Trial)
    public void release() {
        buffer.close();
    }

    /** One whole response, already in the buffer, framed and checked. */
    @Benchmark
    public long parse() throws MalformedResponseException {
        parser.reset(false);
        parser.feed(buffer, 0, length);
        if (!parser.complete() || !parser.checksumMatches()) {
            throw new IllegalStateException("benchmark response did not parse");
        }
        return parser.bodyBytes();
    }
}
