package dev.synedge.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.origin.Origin;
import dev.synedge.origin.OriginOptions;
import dev.synedge.testing.SynedgeProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code synedge run} as its own process with the admin API on: it serves, and POST /drain ends the process with 0. */
class AdminRunTest {

    @TempDir
    Path dir;

    private Path config(int originPort, String admin) throws Exception {
        Path file = dir.resolve("synedge.conf");
        Files.writeString(file, """
                synedge.event-loops = 1
                synedge.access-log.enabled = false
                synedge.listeners = [ { name = main, address = "127.0.0.1", port = 0 } ]
                synedge.routes = [ { name = r, cluster = up } ]
                synedge.clusters.up.endpoints = [ "127.0.0.1:%d" ]
                synedge.admin { enabled = true, port = 0 }
                %s
                """.formatted(originPort, admin));
        return file;
    }

    @Test
    void postDrainEndsARunProcessWithExit0() throws Exception {
        try (Origin origin = Origin.start(OriginOptions.defaults());
             SynedgeProcess synedge = new SynedgeProcess(List.of(), List.of(), dir, "run",
                     config(origin.port(), "").toString())) {
            Matcher proxy = synedge.await("synedge: listener main on 127\\.0\\.0\\.1:(\\d+)");
            Matcher admin = synedge.await("synedge: admin on 127\\.0\\.0\\.1:(\\d+)");
            String adminUrl = "http://127.0.0.1:" + admin.group(1);
            assertThat(AdminClient.get("http://127.0.0.1:" + proxy.group(1) + "/hello").body()).isEqualTo("hello");
            assertThat(AdminClient.get(adminUrl + "/ready").statusCode()).isEqualTo(200);
            assertThat(new Samples(AdminClient.get(adminUrl + "/metrics").body())
                    .value("synedge_exchanges_total", "route", "r", "status_class", "2xx")).isEqualTo(1);

            HttpResponse<String> drain = AdminClient.post(adminUrl + "/drain");

            assertThat(drain.statusCode()).isEqualTo(202);
            assertThat(synedge.awaitExit()).as("exit code after POST /drain").isZero();
            assertThat(synedge.all()).anySatisfy(line -> assertThat(line).contains("admin: POST /drain from"))
                    .anySatisfy(line -> assertThat(line).contains("drain: every exchange finished"));
        }
    }

    @Test
    void anAdminPortInUseStopsTheStartBeforeAnyListener() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Origin origin = Origin.start(OriginOptions.defaults());
             SynedgeProcess synedge = new SynedgeProcess(List.of(), List.of(), dir, "run",
                     config(origin.port(), "synedge.admin.port = " + taken.getLocalPort()).toString())) {
            assertThat(synedge.awaitExit()).isEqualTo(1);
            assertThat(synedge.all()).anySatisfy(line -> assertThat(line)
                    .contains("synedge: not started: admin listener on 127.0.0.1:" + taken.getLocalPort())
                    .containsIgnoringCase("address already in use"))
                    .noneSatisfy(line -> assertThat(line).contains("synedge: listener main"));
        }
    }
}
