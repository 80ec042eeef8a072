package dev.synedge.exchange;

import dev.synedge.http.BodyDecoder;
import dev.synedge.http.HttpLimits;
import dev.synedge.http.RequestHead;
import dev.synedge.http.RequestHeadParser;
import dev.synedge.http.ResponseHead;
import dev.synedge.http.ResponseHeadParser;

/**
 * What a client connection parses its exchanges with: the request and response heads, their
 * parsers and the two body decoders, built for one set of limits. A connection holds one only
 * from a request's first byte until it is idle again, then gives it back to its loop's
 * {@link ParseStates}: keep-alive connections are idle most of their life, and each state is
 * about 1.7 KiB of heads and field arrays.
 */
final class ParseState {

    final RequestHead request = new RequestHead();
    final ResponseHead response = new ResponseHead();
    private HttpLimits limits;
    private RequestHeadParser requestParser;
    private ResponseHeadParser responseParser;
    private BodyDecoder requestBody;
    private BodyDecoder responseBody;

    ParseState(HttpLimits limits) {
        use(limits);
    }

    /** After a reload: new parsers and decoders when the limits changed; the heads stay. */
    void use(HttpLimits next) {
        if (next.equals(limits)) {
            return;
        }
        limits = next;
        requestParser = new RequestHeadParser(next);
        responseParser = new ResponseHeadParser(next);
        requestBody = new BodyDecoder(next);
        responseBody = new BodyDecoder(next);
    }

    RequestHeadParser requestParser() {
        return requestParser;
    }

    ResponseHeadParser responseParser() {
        return responseParser;
    }

    BodyDecoder requestBody() {
        return requestBody;
    }

    BodyDecoder responseBody() {
        return responseBody;
    }
}
