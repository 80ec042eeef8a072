package dev.synedge.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.config.OutlierConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Passive outlier detection as a function of reports and time: ejection, the cap, the probe, doubling. */
class ClusterHealthTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final OutlierConfig CONFIG = new OutlierConfig(3, 2, Set.of(502, 503, 504),
            Duration.ofSeconds(10), Duration.ofSeconds(35), 50);

    private static ClusterHealth cluster(int endpoints, OutlierConfig config) {
        List<EndpointHealth> states = new ArrayList<>();
        for (int i = 0; i < endpoints; i++) {
            states.add(new EndpointHealth("e" + i));
        }
        return new ClusterHealth("c", config, states, new Object());
    }

    private static void fail(ClusterHealth health, int index, int times, long now) {
        for (int i = 0; i < times; i++) {
            health.failed(index, "refused", false, now);
        }
    }

    @Test
    void failuresInARowEjectForTheEjectionAndASuccessBreaksTheRun() {
        ClusterHealth health = cluster(4, CONFIG);
        fail(health, 0, 2, 0);
        health.succeeded(0);
        fail(health, 0, 2, 0);
        assertThat(health.available(0, 0)).as("the run was broken by a success").isTrue();

        fail(health, 0, 1, SECOND);

        assertThat(health.available(0, SECOND)).isFalse();
        assertThat(health.available(0, 10 * SECOND)).as("still ejected").isFalse();
        assertThat(health.status(0).ejections()).isEqualTo(1);
    }

    @Test
    void whenTheEjectionRunsOutOneExchangeProbesAndItsOutcomeDecides() {
        ClusterHealth health = cluster(4, CONFIG);
        fail(health, 1, 3, 0);
        long end = 10 * SECOND;

        assertThat(health.available(1, end)).as("the probe").isTrue();
        assertThat(health.available(1, end)).as("others wait for the probe").isFalse();
        health.failed(1, "refused", false, end);
        assertThat(health.available(1, end + 19 * SECOND)).as("ejected twice as long").isFalse();
        assertThat(health.available(1, end + 20 * SECOND)).as("the second probe").isTrue();
        health.failed(1, "refused", false, end + 20 * SECOND);
        long third = end + 20 * SECOND;
        assertThat(health.available(1, third + 35 * SECOND - 1)).as("capped at max-ejection").isFalse();
        assertThat(health.available(1, third + 35 * SECOND)).isTrue();

        health.succeeded(1);

        assertThat(health.available(1, third + 35 * SECOND)).isTrue();
        assertThat(health.status(1).ejected()).isFalse();
    }

    @Test
    void aSuccessOfAnExchangeFromBeforeTheEjectionDoesNotLiftIt() {
        ClusterHealth health = cluster(4, CONFIG);
        fail(health, 2, 3, 0);

        health.succeeded(2);

        assertThat(health.available(2, SECOND)).isFalse();
    }

    @Test
    void aProbeThatNeverReportsIsGivenUpAfterAnEjection() {
        ClusterHealth health = cluster(4, CONFIG);
        fail(health, 0, 3, 0);
        assertThat(health.available(0, 10 * SECOND)).isTrue();

        assertThat(health.available(0, 19 * SECOND)).isFalse();
        assertThat(health.available(0, 20 * SECOND)).as("another probe").isTrue();
    }

    @Test
    void atMostTheShareMayBeEjectedAndNeverAll() {
        ClusterHealth four = cluster(4, CONFIG);
        fail(four, 0, 3, 0);
        fail(four, 1, 3, 0);
        fail(four, 2, 3, 0);
        assertThat(List.of(four.available(0, 0), four.available(1, 0), four.available(2, 0)))
                .as("half of four").containsExactly(false, false, true);

        ClusterHealth two = cluster(2, new OutlierConfig(3, 0, Set.of(), Duration.ofSeconds(10),
                Duration.ofSeconds(10), 100));
        fail(two, 0, 3, 0);
        fail(two, 1, 3, 0);
        assertThat(two.available(0, 0)).isFalse();
        assertThat(two.available(1, 0)).as("never all").isTrue();

        ClusterHealth one = cluster(1, CONFIG);
        fail(one, 0, 10, 0);
        assertThat(one.available(0, 0)).as("a lone endpoint").isTrue();
    }

    @Test
    void errorStatusesInARowEjectOnlyWhenCounted() {
        ClusterHealth health = cluster(4, CONFIG);
        health.answered(0, 503);
        health.answered(0, 500);
        assertThat(health.available(0, 0)).as("500 is not an error status here: it breaks the run").isTrue();
        health.answered(0, 502);
        health.answered(0, 504);
        assertThat(health.available(0, System.nanoTime())).isFalse();

        ClusterHealth off = cluster(4, new OutlierConfig(3, 0, Set.of(503), Duration.ofSeconds(10),
                Duration.ofSeconds(10), 50));
        for (int i = 0; i < 10; i++) {
            off.answered(0, 503);
        }
        assertThat(off.available(0, 0)).isTrue();
    }

    @Test
    void activeChecksDecideBesideOutliers() {
        EndpointHealth checked = new EndpointHealth("checked");
        ClusterHealth health = new ClusterHealth("c", CONFIG, List.of(checked, new EndpointHealth("other")),
                new Object());
        checked.healthy = false;

        assertThat(health.available(0, 0)).isFalse();
        assertThat(health.status(0).healthy()).isFalse();
        assertThat(health.available(1, 0)).isTrue();
    }
}
