package dev.synedge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.config.RetryConfig;
import dev.synedge.config.RetryConfig.Condition;
import dev.synedge.exchange.Retries.Failure;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The retry decision as a function of the failure, the request and the policy. */
class RetriesTest {

    private static final RetryConfig ALL = new RetryConfig(2,
            Set.of(Condition.CONNECT_FAILURE, Condition.RESET, Condition.RESPONSE_HEAD_TIMEOUT), Set.of(503), null, 20);

    @ParameterizedTest(name = "{0}, replay-safe {1} -> {2}")
    @CsvSource(textBlock = """
            CONNECT,               true,  true
            CONNECT,               false, true
            RESET,                 true,  true
            RESET,                 false, false
            RESPONSE_HEAD_TIMEOUT, true,  true
            RESPONSE_HEAD_TIMEOUT, false, false
            STATUS,                true,  true
            STATUS,                false, false
            """)
    void onlyAFailureThatReachedNothingRetriesWhateverTheMethod(Failure failure, boolean replaySafe, boolean allowed) {
        assertThat(Retries.allowed(ALL, failure, 503, replaySafe, true, 0, true)).isEqualTo(allowed);
    }

    @Test
    void aRequestNoLongerHeldWholeIsNeverSentAgain() {
        assertThat(Retries.allowed(ALL, Failure.CONNECT, 0, true, false, 0, true)).isFalse();
    }

    @Test
    void triesStopAtTheMaximumAndAtTheBudget() {
        assertThat(Retries.allowed(ALL, Failure.CONNECT, 0, true, true, 1, true)).isTrue();
        assertThat(Retries.allowed(ALL, Failure.CONNECT, 0, true, true, 2, true)).isFalse();
        assertThat(Retries.allowed(ALL, Failure.CONNECT, 0, true, true, 0, false)).isFalse();
    }

    @Test
    void onlyConfiguredConditionsAndStatusesRetry() {
        RetryConfig connectOnly = new RetryConfig(1, Set.of(Condition.CONNECT_FAILURE), Set.of(), null, 20);

        assertThat(Retries.allowed(connectOnly, Failure.RESET, 0, true, true, 0, true)).isFalse();
        assertThat(Retries.allowed(connectOnly, Failure.RESPONSE_HEAD_TIMEOUT, 0, true, true, 0, true)).isFalse();
        assertThat(Retries.allowed(connectOnly, Failure.STATUS, 503, true, true, 0, true)).isFalse();
        assertThat(Retries.allowed(ALL, Failure.STATUS, 502, true, true, 0, true)).isFalse();
        assertThat(Retries.allowed(new RetryConfig(0, ALL.on(), ALL.statuses(), null, 20), Failure.CONNECT, 0, true,
                true, 0, true)).as("max = 0").isFalse();
    }

    @Test
    void theBudgetIsAShareOfTheExchangesInFlightWithThreeAlwaysAllowed() {
        assertThat(Retries.budget(2, 1, 20)).isTrue();
        assertThat(Retries.budget(3, 1, 20)).isFalse();
        assertThat(Retries.budget(19, 100, 20)).isTrue();
        assertThat(Retries.budget(20, 100, 20)).isFalse();
        assertThat(Retries.budget(0, 100, 0)).as("three even with no share").isTrue();
    }
}
