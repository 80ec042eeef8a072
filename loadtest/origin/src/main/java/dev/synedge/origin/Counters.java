package dev.synedge.origin;

import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link OriginStats}; updated from every event loop. */
final class Counters {

    final LongAdder connectionsAccepted = new LongAdder();
    final LongAdder connectionsWithSynData = new LongAdder();
    final LongAdder requests = new LongAdder();
    final LongAdder responses = new LongAdder();
    final LongAdder responseBodyBytes = new LongAdder();
    final LongAdder requestBodyBytes = new LongAdder();
    final LongAdder faults = new LongAdder();
    final LongAdder badRequests = new LongAdder();
    final LongAdder webSocketUpgrades = new LongAdder();

    OriginStats snapshot() {
        return new OriginStats(
                connectionsAccepted.sum(),
                connectionsWithSynData.sum(),
                requests.sum(),
                responses.sum(),
                responseBodyBytes.sum(),
                requestBodyBytes.sum(),
                faults.sum(),
                badRequests.sum(),
                webSocketUpgrades.sum());
    }

    /** Zeroes every counter. Counts made concurrently with the reset may survive it. */
    void reset() {
        connectionsAccepted.reset();
        connectionsWithSynData.reset();
        requests.reset();
        responses.reset();
        responseBodyBytes.reset();
        requestBodyBytes.reset();
        faults.reset();
        badRequests.reset();
        webSocketUpgrades.reset();
    }
}
