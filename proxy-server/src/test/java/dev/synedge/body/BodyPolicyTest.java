package dev.synedge.body;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synedge.config.ClusterConfig.ResponseBody;
import org.junit.jupiter.api.Test;

/** Which clusters ask their upstreams for page-sized segments. */
class BodyPolicyTest {

    @Test
    void zeroCopyAlwaysAsksAndAutoOnceTheHostMapped() {
        assertThat(BodyPolicy.asksForPageSegments(ResponseBody.ZERO_COPY, false)).isTrue();
        assertThat(BodyPolicy.asksForPageSegments(ResponseBody.ZERO_COPY, true)).isTrue();
        assertThat(BodyPolicy.asksForPageSegments(ResponseBody.AUTO, false)).isFalse();
        assertThat(BodyPolicy.asksForPageSegments(ResponseBody.AUTO, true)).isTrue();
        assertThat(BodyPolicy.asksForPageSegments(ResponseBody.COPY, true)).isFalse();
        assertThat(BodyPolicy.asksForPageSegments(ResponseBody.SPLICE, true)).isFalse();
    }
}
