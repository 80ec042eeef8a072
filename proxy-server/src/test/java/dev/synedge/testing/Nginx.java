package dev.synedge.testing;

import dev.synedge.testkit.KernelRequirement;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx (Debian's package) as an upstream, in its own temporary prefix, with a Fast Open
 * listener on a loopback port: {@code /hello} answers {@code nginx-hello}.
 */
public final class Nginx implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/sbin/nginx");

    private final Process process;
    private final Path prefix;
    private final int port;

    private Nginx(Process process, Path prefix, int port) {
        this.process = process;
        this.prefix = prefix;
        this.port = port;
    }

    public static Nginx start(String listenAddress, int fastOpenQueue) throws IOException, InterruptedException {
        KernelRequirement.require(Files.isExecutable(BINARY), "nginx", BINARY + " not found; apt-get install nginx-light");
        Path prefix = Files.createTempDirectory("synedge-nginx");
        Files.createDirectories(prefix.resolve("logs"));
        int port = freePort(listenAddress);
        String conf = """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log warn;
                events { worker_connections 256; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  keepalive_requests 100000;
                  server {
                    listen %2$s:%3$d fastopen=%4$d;
                    location = /hello { return 200 "nginx-hello"; }
                    location / { return 404; }
                  }
                }
                """.formatted(prefix, listenAddress, port, fastOpenQueue);
        Path file = prefix.resolve("nginx.conf");
        Files.writeString(file, conf);
        Process process = new ProcessBuilder(BINARY.toString(), "-p", prefix.toString(), "-c", file.toString())
                .redirectErrorStream(true).redirectOutput(prefix.resolve("logs/stdout").toFile()).start();
        Nginx nginx = new Nginx(process, prefix, port);
        nginx.awaitListening(listenAddress);
        return nginx;
    }

    private void awaitListening(String address) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("nginx exited: " + Files.readString(prefix.resolve("logs/stdout"))
                        + Files.readString(prefix.resolve("logs/error.log")));
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(address, port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        close();
        throw new IOException("nginx did not listen on " + address + ":" + port + " within 5 s");
    }

    private static int freePort(String address) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName(address))) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
