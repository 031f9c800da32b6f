package dev.autoint.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VocabularyTest {

    private static Vocabulary.Counter sample() {
        Vocabulary.Counter c = Vocabulary.counter("genre");
        for (String v : new String[] {"b", "a", "c", "a", "b", "d", "a", "c"}) c.add(v);
        c.add(null);
        c.add(Vocabulary.UNK);
        return c;
    }

    @Test
    void ordersByDescendingCountThenValue() {
        Vocabulary v = sample().fit();
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
        Vocabulary v = sample().fit();
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
        Vocabulary v = sample().fit(2, 0);
        assertThat(v.values()).containsExactly(Vocabulary.UNK, "a", "b", "c");
        assertThat(v.count(0)).isEqualTo(1); // "d" cut off
        Vocabulary w = sample().fit(1, 2);
        assertThat(w.values()).containsExactly(Vocabulary.UNK, "a", "b");
        assertThat(w.count(0)).isEqualTo(3);
        assertThatThrownBy(() -> sample().fit(0, 0)).hasMessageContaining("minCount");
        assertThatThrownBy(() -> sample().fit(1, -1)).hasMessageContaining("maxSize");
    }

    @Test
    void valuesCutOffElsewhereJoinIdZeroAsIfCountedHere() {
        // a: 3, b: 2, c: 2, d: 1; with minCount 2, "d" is cut off where the counts are summed.
        Vocabulary.Counter pre = Vocabulary.counter("genre").add("a", 3).add("b", 2).add("c", 2).addCutOff(1);
        assertThat(pre.fit(2, 0).toJson()).isEqualTo(sample().fit(2, 0).toJson());
        assertThat(pre.fit(2, 2).toJson()).isEqualTo(sample().fit(2, 2).toJson());
        assertThatThrownBy(() -> pre.addCutOff(-1)).hasMessageContaining(">= 0");
    }

    @Test
    void savesAtomicallyAndLoads(@TempDir Path dir) throws IOException {
        Vocabulary v = sample().fit(1, 3);
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
