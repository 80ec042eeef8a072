package dev.synedge.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synedge.exchange.Timeouts.Expired;
import dev.synedge.exchange.Timeouts.Expiry;
import dev.synedge.exchange.Timeouts.State;
import dev.synedge.exchange.Timeouts.Wait;
import dev.synedge.exchange.Timeouts.WatchRequestBody;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rule of an exchange's timer, as a function of its state and the time. */
class TimeoutsTest {

    private static final long UPSTREAM_IDLE = TimeUnit.SECONDS.toNanos(60);
    private static final long CLIENT_IDLE = TimeUnit.SECONDS.toNanos(30);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private static State responding(Phase phase, long lastUpstreamActivity) {
        return new State(phase, true, false, false, false, 0, lastUpstreamActivity);
    }

    private static State clientBlocked(long since, long lastUpstreamActivity) {
        return new State(Phase.RESPONSE_BODY, true, false, false, true, since, lastUpstreamActivity);
    }

    private static State awaiting(boolean sent, boolean waiting, boolean progressed) {
        return new State(Phase.AWAITING_RESPONSE, sent, waiting, progressed, false, 0, 0);
    }

    private static Timeouts.Verdict check(State state, long now) {
        return Timeouts.check(state, UPSTREAM_IDLE, CLIENT_IDLE, now);
    }

    @ParameterizedTest
    @EnumSource(value = Phase.class, names = {"RESPONSE_HEAD", "RESPONSE_BODY"})
    void aSilentUpstreamIsLookedAtAgainWhenItsIdleTimeoutWouldEnd(Phase phase) {
        long now = 1000 * SECOND;

        assertThat(check(responding(phase, now - 20 * SECOND), now)).isEqualTo(new Wait(40 * SECOND));
    }

    @ParameterizedTest
    @EnumSource(value = Phase.class, names = {"RESPONSE_HEAD", "RESPONSE_BODY"})
    void anUpstreamSilentForItsIdleTimeoutExpires(Phase phase) {
        long now = 1000 * SECOND;

        assertThat(check(responding(phase, now - UPSTREAM_IDLE), now)).isEqualTo(new Expired(Expiry.UPSTREAM_IDLE));
        assertThat(check(responding(phase, now - UPSTREAM_IDLE - 1), now))
                .isEqualTo(new Expired(Expiry.UPSTREAM_IDLE));
    }

    @Test
    void waitingForTheClientIsNoUpstreamSilence() {
        long now = 1000 * SECOND;

        // the upstream has been silent far longer than its idle timeout, because nothing was read
        assertThat(check(clientBlocked(now - 10 * SECOND, now - 500 * SECOND), now)).isEqualTo(new Wait(20 * SECOND));
    }

    @Test
    void aBlockedClientIsLookedAtAgainNoLaterThanAnUpstreamIdleTimeout() {
        long now = 1000 * SECOND;

        assertThat(Timeouts.check(clientBlocked(now, now), SECOND, CLIENT_IDLE, now)).isEqualTo(new Wait(SECOND));
    }

    @Test
    void aClientThatTakesNothingForItsIdleTimeoutExpires() {
        long now = 1000 * SECOND;

        assertThat(check(clientBlocked(now - CLIENT_IDLE, now), now)).isEqualTo(new Expired(Expiry.CLIENT_IDLE));
    }

    @Test
    void noResponseByteAfterTheWholeRequestIsAResponseHeadTimeout() {
        assertThat(check(awaiting(true, false, false), 0)).isEqualTo(new Expired(Expiry.RESPONSE_HEAD));
    }

    @Test
    void aRequestBodyTheUpstreamKeepsTakingIsWatchedAgain() {
        assertThat(check(awaiting(false, true, true), 0)).isEqualTo(WatchRequestBody.INSTANCE);
    }

    @Test
    void aRequestBodyWaitingForTheClientIsWatchedAgain() {
        // nothing queued: the client is slow, and its connection's own timer watches that
        assertThat(check(awaiting(false, false, false), 0)).isEqualTo(WatchRequestBody.INSTANCE);
    }

    @Test
    void anUpstreamThatTakesNoneOfTheQueuedBodyExpires() {
        assertThat(check(awaiting(false, true, false), 0)).isEqualTo(new Expired(Expiry.REQUEST_BODY));
    }

    @Test
    void aHandshakeThatDidNotCompleteIsAConnectTimeout() {
        State connecting = new State(Phase.CONNECTING, false, true, false, false, 0, 0);

        assertThat(check(connecting, 0)).isEqualTo(new Expired(Expiry.CONNECT));
    }

    @Test
    void aFastOpenSynThatCarriedTheWholeRequestButGotNoSynAckIsAConnectTimeout() {
        State sentInSyn = new State(Phase.CONNECTING, true, false, false, false, 0, 0);

        assertThat(check(sentInSyn, 0)).isEqualTo(new Expired(Expiry.CONNECT));
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MAX_VALUE - 5, Long.MIN_VALUE + 5, -1, 0})
    void deadlinesHoldAcrossNanoTimeOverflow(long now) {
        assertThat(check(responding(Phase.RESPONSE_BODY, now - 20 * SECOND), now)).isEqualTo(new Wait(40 * SECOND));
        assertThat(check(responding(Phase.RESPONSE_BODY, now - UPSTREAM_IDLE), now))
                .isEqualTo(new Expired(Expiry.UPSTREAM_IDLE));
        assertThat(check(clientBlocked(now - 10 * SECOND, now), now)).isEqualTo(new Wait(20 * SECOND));
    }

    @ParameterizedTest
    @EnumSource(value = Phase.class, names = {"ROUTING", "TUNNEL", "DONE"})
    void phasesWithoutATimerAreRefused(Phase phase) {
        assertThatThrownBy(() -> check(responding(phase, 0), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(phase.name());
    }
}
