package dev.synedge.loadtest.proc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Clock ticks per second ({@code sysconf(_SC_CLK_TCK)}), the unit of CPU times in
 * {@code /proc/PID/stat}: read from this process's auxiliary vector ({@code AT_CLKTCK}).
 */
final class ClockTicks {

    private static final long AT_CLKTCK = 17;
    private static final long PER_SECOND = read();

    private ClockTicks() {}

    static long perSecond() {
        return PER_SECOND;
    }

    private static long read() {
        try {
            ByteBuffer auxv = ByteBuffer.wrap(Files.readAllBytes(Path.of("/proc/self/auxv")))
                    .order(ByteOrder.nativeOrder());
            while (auxv.remaining() >= 16) {
                long type = auxv.getLong();
                long value = auxv.getLong();
                if (type == AT_CLKTCK && value > 0) {
                    return value;
                }
            }
        } catch (IOException e) {
            // Fall through to the value every x86_64 Linux uses (USER_HZ).
        }
        return 100;
    }
}
