package dev.synedge.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.http.HttpLimits;
import org.junit.jupiter.api.Test;

/** The loop's idle parse states: reuse, limits after a reload, the cap. */
class ParseStatesTest {

    private static final HttpLimits SMALLER = new HttpLimits(4 * 1024, 16 * 1024, 50, 4 * 1024, 16 * 1024);

    @Test
    void aStateGivenBackIsTheNextOneTaken() {
        ParseStates states = new ParseStates();
        ParseState first = states.take(HttpLimits.DEFAULTS);
        ParseState second = states.take(HttpLimits.DEFAULTS);
        assertThat(second).isNotSameAs(first);
        states.give(first);
        assertThat(states.idle()).isEqualTo(1);
        assertThat(states.take(HttpLimits.DEFAULTS)).isSameAs(first);
        assertThat(states.idle()).isZero();
    }

    @Test
    void takenUnderOtherLimitsItKeepsItsHeadsAndGetsNewParsers() {
        ParseStates states = new ParseStates();
        ParseState state = states.take(HttpLimits.DEFAULTS);
        var parser = state.requestParser();
        var request = state.request;
        states.give(state);

        ParseState again = states.take(HttpLimits.DEFAULTS);
        assertThat(again.requestParser()).isSameAs(parser);
        states.give(again);

        ParseState reloaded = states.take(SMALLER);
        assertThat(reloaded).isSameAs(state);
        assertThat(reloaded.request).isSameAs(request);
        assertThat(reloaded.requestParser()).isNotSameAs(parser);
        assertThat(reloaded.responseParser()).isNotNull();
        assertThat(reloaded.requestBody()).isNotSameAs(reloaded.responseBody());
    }

    @Test
    void atMostKeptStatesWaitIdle() {
        ParseStates states = new ParseStates();
        for (int i = 0; i < ParseStates.KEPT + 10; i++) {
            states.give(new ParseState(HttpLimits.DEFAULTS));
        }
        assertThat(states.idle()).isEqualTo(ParseStates.KEPT);
    }
}
