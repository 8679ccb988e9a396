package dev.familiar.grandpa.runtime.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.runtime.profile.MlaHeads;
import org.junit.jupiter.api.Test;

class ComputeBuffersTest {
    static final MlaHeads GLM51 = new MlaHeads(64, 512, 192, 64, 256);

    /** ik_llama.cpp's rounds over GLM-5.1's 64 heads: their f32 keys and values are 1,792 MiB at 16k cells. */
    @Test
    void ikDecompressesAsManyHeadsAtOnceAsKeepARoundUnderAmb() {
        assertThat(ComputeBuffers.headsAtOnce(GLM51, 16_384, 256)).isEqualTo(8); // 8 rounds of 224 MiB
        assertThat(ComputeBuffers.headsAtOnce(GLM51, 65_536, 512)).isEqualTo(4); // 16 rounds of 448 MiB
        assertThat(ComputeBuffers.headsAtOnce(GLM51, 131_072, 256)).isEqualTo(1); // 64 rounds: the least it can
        assertThat(ComputeBuffers.headsAtOnce(GLM51, 1_024, 256)).isEqualTo(64); // 112 MiB: all at once
        assertThat(ComputeBuffers.headsAtOnce(GLM51, 65_536, 0)).isEqualTo(64); // -amb 0: no limit
        // 1 head's worth over the limit: no divisor of 64 below 64 gets under it, so one head a round
        assertThat(ComputeBuffers.headsAtOnce(GLM51, 262_144, 256)).isEqualTo(1);
    }
}
