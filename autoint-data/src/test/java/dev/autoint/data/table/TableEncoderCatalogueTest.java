package dev.autoint.data.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.data.Catalogue;
import dev.autoint.data.FeatureEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A table encoder's catalogue, users and recommendation contexts, and their round trip through a directory. */
class TableEncoderCatalogueTest {

    static final String CSV = """
            ts,user,item,tags,price,hour,clicked
            100,u1,b,x|y,10,9,1
            200,u1,a,y,20,10,0
            300,u2,b,z,30,11,1
            400,u2,c,,40,12,0
            500,u1,a,y,25,13,1
            """;

    static Schema schema() {
        return Schema.fromJson("""
                {"fields": [
                  {"name": "user", "kind": "CATEGORICAL", "columns": ["user"]},
                  {"name": "item", "kind": "CATEGORICAL", "columns": ["item"]},
                  {"name": "tags", "kind": "MULTI_CATEGORICAL", "columns": ["tags"]},
                  {"name": "price", "kind": "NUMERIC", "columns": ["price"], "transform": "MIN_MAX"},
                  {"name": "hour", "kind": "NUMERIC", "columns": ["hour"], "transform": "MIN_MAX"}],
                 "labelColumn": "clicked", "labelRule": {"positiveAtLeast": 1, "negativeBelow": 1},
                 "timestampColumn": "ts", "userColumn": "user",
                 "items": {"keyField": "item", "fields": ["tags", "price"], "tagsField": "tags"}}
                """);
    }

    static TableEncoder fit(Path dir) throws Exception {
        Path f = dir.resolve("log.csv");
        Files.writeString(f, CSV);
        return TableEncoder.fit(DelimitedReader.read(f, schema(), schema().format()));
    }

    @Test
    void itemsAndUsersComeFromTheirLatestTrainingRows(@TempDir Path dir) throws Exception {
        TableEncoder enc = fit(dir);
        Catalogue cat = enc.catalogue();
        assertThat(cat.items()).extracting(Catalogue.Item::key).containsExactly("a", "b", "c"); // dense ids in key order
        assertThat(cat.items()).extracting(Catalogue.Item::id).containsExactly(1, 2, 3);
        assertThat(cat.item(2).tags()).containsExactly("z"); // b's latest row is ts 300
        assertThat(cat.item(3).tags()).isEmpty();
        assertThat(cat.itemFields()).containsExactly(false, true, true, true, false); // the key field joins the item fields
        assertThat(enc.users().all()).extracting(u -> u.key()).containsExactly("u1", "u2");
        assertThat(enc.users().get(1).profile()).containsEntry("user", "u1").containsEntry("hour", "13");
        // row item ids, with distinct negative ids for keys unseen in training
        Path other = dir.resolve("other.csv");
        Files.writeString(other, "ts,user,item,tags,price,hour,clicked\n600,u3,zz,x,1,1,0\n700,u1,a,x,1,1,1\n800,u9,zz,x,1,1,0\n");
        RawTable t = DelimitedReader.read(other, schema(), schema().format());
        assertThat(enc.itemIds(t)).containsExactly(-1, 1, -1);
        assertThat(enc.userIds(t)).containsExactly(-1, 1, -2);
    }

    @Test
    void anEncoderBuiltFromFittedPartsAndTheLatestRowsEqualsTheFittedOne(@TempDir Path dir) throws Exception {
        TableEncoder fitted = fit(dir);
        Map<String, dev.autoint.data.Vocabulary> vocab = new java.util.HashMap<>();
        for (String f : List.of("user", "item", "tags")) vocab.put(f, fitted.vocabulary(f));
        Map<String, double[]> ranges = Map.of("price", new double[] {fitted.scaler("price").min(), fitted.scaler("price").max()},
                "hour", new double[] {fitted.scaler("hour").min(), fitted.scaler("hour").max()});
        // The latest rows of items a, b, c and users u1, u2 (ts 300, 400, 500), in training order.
        Path latest = dir.resolve("latest.csv");
        Files.writeString(latest, "ts,user,item,tags,price,hour,clicked\n300,u2,b,z,30,11,1\n400,u2,c,,40,12,0\n500,u1,a,y,25,13,1\n");
        TableEncoder built = TableEncoder.of(schema(), vocab, ranges, DelimitedReader.read(latest, schema(), schema().format()));
        fitted.save(dir.resolve("fitted"));
        built.save(dir.resolve("built"));
        for (String file : List.of(FeatureEncoder.FILE, TableEncoder.CATALOGUE_FILE, TableEncoder.ROWS_FILE)) {
            assertThat(Files.readAllBytes(dir.resolve("built").resolve(file))).as(file)
                    .isEqualTo(Files.readAllBytes(dir.resolve("fitted").resolve(file)));
        }
        RawTable latestRows = DelimitedReader.read(latest, schema(), schema().format());
        assertThatThrownBy(() -> TableEncoder.of(schema(), Map.of(), ranges, latestRows))
                .hasMessageContaining("no vocabulary for the field 'user'");
        assertThatThrownBy(() -> TableEncoder.of(schema(), vocab, Map.of("price", new double[] {0, 1}), latestRows))
                .hasMessageContaining("ranges: no range for the numeric field 'hour'");
        assertThatThrownBy(() -> TableEncoder.of(schema(), vocab, Map.of("price", new double[] {0, 1}, "hour", new double[] {2, 1}),
                latestRows)).hasMessageContaining("ranges: field 'hour'").hasMessageContaining("min <= max");
        assertThatThrownBy(() -> TableEncoder.of(schema(), vocab, Map.of("price", new double[] {0}, "hour", new double[] {0, 1}),
                latestRows)).hasMessageContaining("the range of field 'price' has 1 numbers");
    }

    @Test
    void contextsOverrideFieldsClipNumbersAndWarnAboutUnseenValues(@TempDir Path dir) throws Exception {
        TableEncoder enc = fit(dir);
        List<String> warnings = new ArrayList<>();
        EncodedDataset row = enc.contextRow(1, Map.of(), warnings);
        assertThat(warnings).isEmpty();
        assertThat(row.value(0, 4)).isEqualTo(1f); // hour 13 = the training maximum
        EncodedDataset c = enc.catalogue().candidates(row, 0, new int[] {3, 1});
        assertThat(c.id(0, 1)).isEqualTo(enc.vocabulary("item").id("c"));
        assertThat(c.id(1, 1)).isEqualTo(enc.vocabulary("item").id("a"));
        assertThat(c.id(0, 0)).isEqualTo(c.id(1, 0)).isEqualTo(enc.vocabulary("user").id("u1"));

        EncodedDataset late = enc.contextRow(1, Map.of("hour", "30"), warnings);
        assertThat(late.value(0, 4)).isEqualTo(1f);
        assertThat(warnings).singleElement().asString().contains("hour").contains("outside the training range [9, 13]");
        warnings.clear();
        EncodedDataset stranger = enc.contextRow(1, Map.of("user", "u77"), warnings);
        assertThat(stranger.id(0, 0)).isZero();
        assertThat(warnings).singleElement().asString().contains("u77").contains("<<UNK>>");
        assertThatThrownBy(() -> enc.contextRow(1, Map.of("price", "3"), new ArrayList<>())).hasMessageContaining("describes the item");
        assertThatThrownBy(() -> enc.contextRow(1, Map.of("colour", "red"), new ArrayList<>())).hasMessageContaining("colour");
        assertThatThrownBy(() -> enc.contextRow(1, Map.of("hour", "late"), new ArrayList<>())).hasMessageContaining("not a number");
        assertThatThrownBy(() -> enc.contextRow(42, Map.of(), new ArrayList<>())).hasMessageContaining("no user 42");
    }

    @Test
    void savesAndLoadsEverythingScoringNeeds(@TempDir Path dir) throws Exception {
        TableEncoder enc = fit(dir);
        Path saved = dir.resolve("enc");
        enc.save(saved);
        FeatureEncoder back = FeatureEncoder.load(saved);
        assertThat(back).isInstanceOf(TableEncoder.class);
        assertThat(back.fieldSpecs()).isEqualTo(enc.fieldSpecs());
        assertThat(back.catalogue().items()).isEqualTo(enc.catalogue().items());
        assertThat(back.users().all()).isEqualTo(enc.users().all());
        assertThat(((TableEncoder) back).scaler("price")).isEqualTo(enc.scaler("price"));
        EncodedDataset a = enc.catalogue().candidates(enc.contextRow(2, Map.of(), new ArrayList<>()), 0, enc.catalogue().itemIds());
        EncodedDataset b = back.catalogue().candidates(back.contextRow(2, Map.of(), new ArrayList<>()), 0, back.catalogue().itemIds());
        for (int f = 0; f < a.numFields(); f++) {
            switch (a.fields().get(f).kind()) {
                case CATEGORICAL -> assertThat(b.idColumn(f)).isEqualTo(a.idColumn(f));
                case MULTI_CATEGORICAL -> assertThat(b.multiIdColumn(f)).isEqualTo(a.multiIdColumn(f));
                case NUMERIC -> assertThat(b.valueColumn(f)).isEqualTo(a.valueColumn(f));
            }
        }
    }

    @Test
    void integerKeysAreTheirOwnIds(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("n.csv");
        Files.writeString(f, "ts,user,item,tags,price,hour,clicked\n1,7,42,x,1,1,1\n2,9,5,y,2,2,0\n");
        TableEncoder enc = TableEncoder.fit(DelimitedReader.read(f, schema(), schema().format()));
        assertThat(enc.catalogue().itemIds()).containsExactly(5, 42);
        assertThat(enc.users().idOf("9")).isEqualTo(9);
    }
}
