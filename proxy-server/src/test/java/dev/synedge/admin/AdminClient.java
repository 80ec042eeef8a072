package dev.synedge.admin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The JDK's HTTP client (HTTP/1.1), against the admin API as a tool would call it, and through the proxy. */
final class AdminClient {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private AdminClient() {}

    static HttpResponse<String> get(String url, String... headers) throws IOException, InterruptedException {
        return send("GET", url, headers);
    }

    static HttpResponse<String> post(String url, String... headers) throws IOException, InterruptedException {
        return send("POST", url, headers);
    }

    static HttpResponse<String> send(String method, String url, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
