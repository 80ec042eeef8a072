package dev.synedge.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.config.FastopenBackoffConfig;
import dev.synedge.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The backoff as the event loops share it: outcomes reported at the same moment from many
 * threads change it once per transition, and each change is logged once. FastOpenBackoffTest
 * provokes the same transitions with real Fast Open failures, one at a time.
 */
class EndpointStateTest {

    private static final FastopenBackoffConfig BACKOFF =
            new FastopenBackoffConfig(3, Duration.ofSeconds(1), Duration.ofSeconds(10));
    private static final int THREADS = 8;

    @Test
    void concurrentOutcomesChangeTheBackoffOnceEachAndLogOnceEach() throws Exception {
        EndpointState state = new EndpointState("192.0.2.7:80");
        String endpoint = "endpoint 192.0.2.7:80: Fast Open ";
        try (LogCapture log = LogCapture.of(EndpointState.class.getName())) {
            together(() -> {
                for (int i = 0; i < 100; i++) {
                    state.record(FastOpenOutcome.SYN_RETRANSMITTED, 0, BACKOFF, System.nanoTime());
                }
            });
            assertThat(log.lines()).containsExactly("WARN " + endpoint + "paused for 1s after 3 failures in a row"
                    + " (last: syn-retransmitted); plain SYNs until a probe succeeds");
            assertThat(state.pauseNanos()).as("failures of connections opened before the pause do not lengthen it")
                    .isEqualTo(Duration.ofSeconds(1).toNanos());
            assertThat(state.fastOpenAllowed(System.nanoTime())).isFalse();

            Thread.sleep(1050);
            AtomicInteger probes = new AtomicInteger();
            together(() -> {
                if (state.fastOpenAllowed(System.nanoTime())) {
                    probes.incrementAndGet();
                }
            });
            assertThat(probes).as("one probe when the pause is over").hasValue(1);

            together(() -> state.record(FastOpenOutcome.SYN_DATA_ACKED, 0, BACKOFF, System.nanoTime()));
            assertThat(log.lines()).hasSize(2).last()
                    .isEqualTo("INFO " + endpoint + "allowed again: SYN data acked after a 1s pause");
            assertThat(state.fastOpenAllowed(System.nanoTime())).isTrue();
        }
    }

    @Test
    void aFailedProbeDoublesThePauseAndSaysSo() throws Exception {
        EndpointState state = new EndpointState("[2001:db8::7]:443");
        FastopenBackoffConfig once = new FastopenBackoffConfig(1, Duration.ofMillis(100), Duration.ofSeconds(10));
        try (LogCapture log = LogCapture.of(EndpointState.class.getName())) {
            state.record(FastOpenOutcome.DATA_NOT_ACKED, 0, once, System.nanoTime());
            Thread.sleep(150);
            assertThat(state.fastOpenAllowed(System.nanoTime())).isTrue();
            state.record(FastOpenOutcome.CONNECTION_FAILED, 0, once, System.nanoTime());
            assertThat(log.lines()).containsExactly(
                    "WARN endpoint [2001:db8::7]:443: Fast Open paused for 100ms after a failure (last: data-not-acked);"
                            + " plain SYNs until a probe succeeds",
                    "WARN endpoint [2001:db8::7]:443: Fast Open probe failed (connection-failed); paused again, for 200ms");
        }
    }

    /** Runs {@code work} on {@link #THREADS} threads released at the same moment; returns when all are done. */
    private static void together(Runnable work) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                work.run();
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
    }
}
