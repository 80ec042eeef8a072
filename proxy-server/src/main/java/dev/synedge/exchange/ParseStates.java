package dev.synedge.exchange;

import dev.synedge.http.HttpLimits;
import java.util.ArrayDeque;

/**
 * One event loop's idle {@link ParseState}s, for its connections to take when a request
 * starts and give back when they are idle. A state given back must be out of every exchange's
 * reach: only ended exchanges may still refer to it, and they read nothing once ended.
 * Loop-confined.
 */
final class ParseStates {

    /** The most idle states kept; beyond that they go to the garbage collector. */
    static final int KEPT = 256;

    private final ArrayDeque<ParseState> idle = new ArrayDeque<>();

    /** An idle state set up for {@code limits}, or a new one. */
    ParseState take(HttpLimits limits) {
        ParseState state = idle.pollFirst();
        if (state == null) {
            return new ParseState(limits);
        }
        state.use(limits);
        return state;
    }

    void give(ParseState state) {
        if (idle.size() < KEPT) {
            idle.addFirst(state);
        }
    }

    int idle() {
        return idle.size();
    }
}
