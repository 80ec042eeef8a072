package dev.synedge.origin;

/**
 * One request being served: where it goes, its parameters, what its head said, and the sink
 * its body streams into.
 *
 * @param size the body size for {@link Endpoint#SIZED}, else 0
 */
record Exchange(Endpoint endpoint, long size, ResponseOptions options, Response.RequestFacts facts, BodySink sink) {}
