package dev.synedge.body;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.config.ClusterConfig.ResponseBody;
import org.junit.jupiter.api.Test;

/** Which clusters ask their upstreams for page-sized segments, as the host's verdict changes. */
class BodyPolicyTest {

    @Test
    void zeroCopyAsksUntilNothingMapsAndAutoOnceSomethingDid() {
        ZeroCopyProbe unknown = new ZeroCopyProbe();
        ZeroCopyProbe maps = new ZeroCopyProbe();
        maps.record(4096, 0);
        ZeroCopyProbe mapsNothing = new ZeroCopyProbe();
        mapsNothing.record(0, ZeroCopyProbe.SAMPLE);

        assertThat(BodyPolicy.asksForPageSegments(ResponseBody.ZERO_COPY, unknown)).isTrue();
        assertThat(BodyPolicy.asksForPageSegments(ResponseBody.ZERO_COPY, maps)).isTrue();
        assertThat(BodyPolicy.asksForPageSegments(ResponseBody.ZERO_COPY, mapsNothing)).isFalse();
        assertThat(BodyPolicy.asksForPageSegments(ResponseBody.AUTO, unknown)).isFalse();
        assertThat(BodyPolicy.asksForPageSegments(ResponseBody.AUTO, maps)).isTrue();
        assertThat(BodyPolicy.asksForPageSegments(ResponseBody.AUTO, mapsNothing)).isFalse();
        for (ZeroCopyProbe probe : new ZeroCopyProbe[] {unknown, maps, mapsNothing}) {
            assertThat(BodyPolicy.asksForPageSegments(ResponseBody.COPY, probe)).isFalse();
            assertThat(BodyPolicy.asksForPageSegments(ResponseBody.SPLICE, probe)).isFalse();
        }
    }
}
