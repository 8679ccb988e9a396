package dev.familiar.grandpa.runtime.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.familiar.grandpa.runtime.gguf.GgmlType;
import dev.familiar.grandpa.runtime.gguf.GgufReader;
import dev.familiar.grandpa.runtime.testing.ShapedModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's numbers (shared/context/000_16079ca09d90f9ae.txt), from headers shaped like its models. */
class ModelProfilerTest {
    static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void glm51ProfilesTo4088MibOfExpertsPerLayerAndMlaKvOf46MibPer1kTokens() {
        var profile = ModelProfiler.profile(GgufReader.readModel(ShapedModels.glm51(dir, 8, false)));

        assertThat(profile.layers()).hasSize(79);
        assertThat(profile.denseLayers()).isEqualTo(3);
        assertThat(profile.nextnLayers()).isEqualTo(1);
        assertThat(profile.expertLayers()).hasSize(75);
        var layer = profile.expertLayers().getFirst();
        assertThat(layer.index()).isEqualTo(3);
        assertThat(layer.gateBytes()).isEqualTo(1225 * MIB);
        assertThat(layer.upBytes()).isEqualTo(1225 * MIB);
        assertThat(layer.downBytes()).isEqualTo(1638 * MIB);
        assertThat(layer.expertBytes()).isEqualTo(4088 * MIB);
        assertThat(profile.attention()).isEqualTo("MLA");
        // the heads' widths from mainline's *_mla keys: 64 heads of 192 + 64 (rope) / 256 over a latent of 512
        assertThat(profile.mla()).isEqualTo(new MlaHeads(64, 512, 192, 64, 256));
        assertThat(profile.mla().decompressedWidth()).isEqualTo(28_672); // attn_kv_b's rows, as ik_llama.cpp logs them
        assertThat(profile.kvLayers()).isEqualTo(78);
        // a prompt token against a cached one, per layer: each head's decompressed key (192 + 64) and value (256)
        assertThat(profile.headWidths()).isEqualTo(64 * (192 + 64 + 256));
        assertThat(profile.headKeyLength()).isEqualTo(192 + 64);
        long kv = profile.kvBytesPerToken(GgmlType.Q8_0) * 65536;
        assertThat(Math.round((double) kv / MIB)).isEqualTo(2984); // 2983.5 MiB, as llama.cpp logs it
        assertThat(profile.kvBytesPerToken(GgmlType.Q8_0) * 1024 / (double) MIB).isCloseTo(46.6, org.assertj.core.data.Offset.offset(0.1));
    }

    @Test
    void qwen35ProfilesTo3712MibPerLayerAndHybridKvOf16MibPer1kTokens() {
        var profile = ModelProfiler.profile(GgufReader.readModel(ShapedModels.qwen35(dir, 1)));

        assertThat(profile.expertLayers()).hasSize(60);
        assertThat(profile.expertLayers()).allMatch(l -> l.expertBytes() == 3712 * MIB);
        assertThat(profile.expertLayers().stream().limit(15).mapToLong(LayerProfile::expertBytes).sum())
                .isEqualTo(55680 * MIB);
        assertThat(profile.attention()).isEqualTo("hybrid GQA");
        assertThat(profile.mla()).isEqualTo(MlaHeads.NONE);
        assertThat(profile.kvLayers()).isEqualTo(15);
        assertThat(profile.headWidths()).isEqualTo(32 * (256 + 256)); // per full-attention layer (15 of the 60)
        assertThat(profile.headKeyLength()).isEqualTo(256);
        assertThat(profile.kvBytesPerToken(GgmlType.Q8_0) * 262144 / MIB).isEqualTo(4080);
        assertThat(profile.kvBytesPerToken(GgmlType.Q8_0) * 1024 / (double) MIB).isCloseTo(15.9, org.assertj.core.data.Offset.offset(0.1));
    }
}
