package dev.autoint.data.table;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.data.LabelRule;
import dev.autoint.data.SplitSpec;
import dev.autoint.data.SplitSpec.Split;
import dev.autoint.data.TestDatasets;
import dev.autoint.data.table.FieldDef.Transform;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The generic reader on MovieLens-100K's u.data (tab-separated, no header); skipped without the data. */
class DelimitedReaderRealDataTest {

    @Test
    void readsUData() throws Exception {
        Path dir = TestDatasets.ml100k();
        Schema schema = new Schema(List.of(
                FieldDef.categorical("user", "user"),
                FieldDef.categorical("item", "item"),
                FieldDef.categorical("month", "ts").withTransform(Transform.UTC_MONTH)),
                "rating", LabelRule.atLeast(4), "ts", "user");
        DelimitedFormat tsv = DelimitedFormat.tsv().withColumnNames(List.of("user", "item", "rating", "ts"));
        long t0 = System.nanoTime();
        RawTable all = DelimitedReader.read(dir.resolve("u.data"), schema, tsv);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(all.size()).isEqualTo(100_000);
        Split s = SplitSpec.globalTemporal(0.8, 0).apply(all.size(), null, all.timestamps());
        TableEncoder full = TableEncoder.fit(all);
        assertThat(full.vocabulary("user").size()).isEqualTo(944);
        assertThat(full.vocabulary("item").size()).isEqualTo(1683);
        TableEncoder enc = TableEncoder.fit(all.select(s.train()));
        EncodedDataset test = enc.encode(all.select(s.test()));
        assertThat(test.size()).isEqualTo(20_000);
        assertThat(enc.vocabulary("user").oovCount()).isPositive();
        System.out.println("u.data via DelimitedReader: " + all.size() + " rows in " + ms + " ms (first read, cold JIT)");
    }
}
