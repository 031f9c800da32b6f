package dev.autoint.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The scoring chunk follows the L2 size: the largest power of two in [32, 256] whose workspace fits. */
class ChunkSizeTest {

    @Test
    void chunkFitsTheL2Cache() {
        long seedBytesPerSample = 12_128; // the seed model's inference workspace per sample
        assertThat(Network.chunkFor(seedBytesPerSample, 2L << 20)).isEqualTo(128); // Sapphire Rapids, 2 MiB
        assertThat(Network.chunkFor(seedBytesPerSample, 1L << 20)).isEqualTo(64); // Zen 4, 1 MiB
        assertThat(Network.chunkFor(seedBytesPerSample, 512L << 10)).isEqualTo(32); // never below 32
        assertThat(Network.chunkFor(1_000, 2L << 20)).isEqualTo(256); // never above 256
        assertThat(Network.chunkFor(seedBytesPerSample, 0)).isEqualTo(Network.DEFAULT_CHUNK); // size unknown
    }
}
