package dev.synedge.loadtest.http;

import java.util.List;

/**
 * One kind of request in a scenario's mix, and what its response must look like.
 *
 * @param method        request method, e.g. {@code GET}
 * @param path          origin-form target, e.g. {@code /64k.bin?tag=a}
 * @param bodyBytes     request body length (the origin's body pattern); 0 for none
 * @param headers       extra header lines, {@code Name: value}, sent in order after Host
 * @param weight        relative share of the mix (at least 1)
 * @param expectStatus  the status a correct response has
 * @param expectLength  the body length a correct response has, or -1 to take its framing's word
 */
public record RequestSpec(String method, String path, long bodyBytes, List<String> headers, int weight,
        int expectStatus, long expectLength) {

    public RequestSpec {
        if (method == null || method.isEmpty() || !method.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new IllegalArgumentException("bad method '" + method + "'");
        }
        if (path == null || !path.startsWith("/") || !path.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new IllegalArgumentException("path must start with / and hold no spaces or controls: '" + path + "'");
        }
        if (bodyBytes < 0) {
            throw new IllegalArgumentException("body size must be 0 or more, got " + bodyBytes);
        }
        headers = List.copyOf(headers);
        for (String header : headers) {
            int colon = header.indexOf(':');
            if (colon <= 0 || header.indexOf('\r') >= 0 || header.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("header must be 'Name: value' on one line, got '" + header + "'");
            }
        }
        if (weight < 1) {
            throw new IllegalArgumentException("weight must be at least 1, got " + weight);
        }
        if (expectStatus < 100 || expectStatus > 599) {
            throw new IllegalArgumentException("expected status must be 100 to 599, got " + expectStatus);
        }
        if (expectLength < -1) {
            throw new IllegalArgumentException("expected length must be -1 (any) or more, got " + expectLength);
        }
    }

    /** {@code GET path}, expecting 200 with whatever length the response announces. */
    public static RequestSpec get(String path) {
        return new RequestSpec("GET", path, 0, List.of(), 1, 200, -1);
    }

    public RequestSpec withExpectLength(long length) {
        return new RequestSpec(method, path, bodyBytes, headers, weight, expectStatus, length);
    }

    public RequestSpec withWeight(int newWeight) {
        return new RequestSpec(method, path, bodyBytes, headers, newWeight, expectStatus, expectLength);
    }

    /** Short label for reports: {@code GET /64k.bin}. */
    public String label() {
        return method + " " + path;
    }
}
