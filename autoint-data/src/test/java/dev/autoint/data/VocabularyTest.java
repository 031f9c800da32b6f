package dev.autoint.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VocabularyTest {

    /** a: 3, b: 2, c: 2, d: 1, plus a missing value and UNK, which are ignored. */
    private static Map<String, Long> sample() {
        Map<String, Long> c = new HashMap<>();
        for (String v : new String[] {"b", "a", "c", "a", "b", "d", "a", "c"}) c.merge(v, 1L, Long::sum);
        c.put(null, 4L);
        c.put(Vocabulary.UNK, 5L);
        return c;
    }

    private static Vocabulary fit(Map<String, Long> counts, int minCount, int maxSize) {
        return Vocabulary.fit("genre", counts, 0, minCount, maxSize);
    }

    @Test
    void ordersByDescendingCountThenValue() {
        Vocabulary v = fit(sample(), 1, 0);
        assertThat(v.values()).containsExactly(Vocabulary.UNK, "a", "b", "c", "d");
        assertThat(v.size()).isEqualTo(5);
        assertThat(v.id("a")).isEqualTo(1);
        assertThat(v.id("c")).isEqualTo(3);
        assertThat(v.count(1)).isEqualTo(3);
        assertThat(v.count(0)).isZero();
        assertThat(v.oovCount()).isZero();
    }

    @Test
    void unseenMapsToZeroAndIsCounted() {
        Vocabulary v = fit(sample(), 1, 0);
        assertThat(v.id("zzz")).isZero();
        assertThat(v.id("yyy")).isZero();
        assertThat(v.id(null)).isZero();
        assertThat(v.id(Vocabulary.UNK)).isZero();
        assertThat(v.oovCount()).isEqualTo(3);
        assertThat(v.find("zzz")).isEqualTo(-1);
        assertThat(v.oovCount()).isEqualTo(3);
        v.resetOovCount();
        assertThat(v.oovCount()).isZero();
    }

    @Test
    void minCountAndMaxSize() {
        Vocabulary v = fit(sample(), 2, 0);
        assertThat(v.values()).containsExactly(Vocabulary.UNK, "a", "b", "c");
        assertThat(v.count(0)).isEqualTo(1); // "d" cut off
        Vocabulary w = fit(sample(), 1, 2);
        assertThat(w.values()).containsExactly(Vocabulary.UNK, "a", "b");
        assertThat(w.count(0)).isEqualTo(3);
        assertThatThrownBy(() -> fit(sample(), 0, 0)).hasMessageContaining("minCount");
        assertThatThrownBy(() -> fit(sample(), 1, -1)).hasMessageContaining("maxSize");
    }

    @Test
    void valuesCutOffElsewhereJoinIdZeroAsIfCountedHere() {
        // a: 3, b: 2, c: 2, d: 1; with minCount 2, "d" is cut off where the counts are summed.
        Map<String, Long> pre = Map.of("a", 3L, "b", 2L, "c", 2L);
        assertThat(Vocabulary.fit("genre", pre, 1, 2, 0).toJson()).isEqualTo(fit(sample(), 2, 0).toJson());
        assertThat(Vocabulary.fit("genre", pre, 1, 2, 2).toJson()).isEqualTo(fit(sample(), 2, 2).toJson());
        assertThatThrownBy(() -> Vocabulary.fit("genre", pre, -1, 2, 0)).hasMessageContaining("cutOff must be >= 0");
        assertThatThrownBy(() -> Vocabulary.fit("genre", Map.of("a", -1L), 0, 1, 0)).hasMessageContaining("count of \"a\"");
        assertThatThrownBy(() -> Vocabulary.fit(" ", pre, 0, 1, 0)).hasMessageContaining("name");
    }

    @Test
    void savesAtomicallyAndLoads(@TempDir Path dir) throws IOException {
        Vocabulary v = fit(sample(), 1, 3);
        Path file = dir.resolve("sub/genre.json");
        v.save(file);
        v.save(file); // overwrite
        try (Stream<Path> s = Files.list(file.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("genre.json");
        }
        Vocabulary w = Vocabulary.load(file);
        assertThat(w.values()).isEqualTo(v.values());
        assertThat(w.name()).isEqualTo("genre");
        assertThat(w.maxSize()).isEqualTo(3);
        assertThat(w.count(1)).isEqualTo(3);
        Files.writeString(dir.resolve("bad.json"), "{\"name\":\"x\",\"values\":[\"a\"],\"counts\":[1]}");
        assertThatThrownBy(() -> Vocabulary.load(dir.resolve("bad.json")))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("bad.json").hasMessageContaining("<<UNK>>");
    }

    @Test
    void labelRules() {
        assertThat(LabelRule.atLeast(4).apply(4)).isEqualTo(1f);
        assertThat(LabelRule.atLeast(4).apply(3)).isEqualTo(0f);
        LabelRule p = LabelRule.paper();
        assertThat(p.apply(4)).isEqualTo(1f);
        assertThat(p.apply(3.5)).isEqualTo(1f);
        assertThat(p.apply(3)).isNaN();
        assertThat(p.apply(2)).isEqualTo(0f);
        assertThat(LabelRule.identity().apply(0.25)).isEqualTo(0.25f);
        assertThat(LabelRule.identity().apply(2)).isNaN();
        assertThatThrownBy(() -> new LabelRule(3, 4, false)).isInstanceOf(IllegalArgumentException.class);
    }
}
