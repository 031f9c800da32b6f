package dev.autoint.data.table;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldKind;
import dev.autoint.data.DataFormatException;
import dev.autoint.data.LabelRule;
import dev.autoint.data.SplitSpec;
import dev.autoint.data.SplitSpec.Split;
import dev.autoint.data.table.FieldDef.Transform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DelimitedReaderTest {

    @TempDir
    Path dir;

    static final Schema SCHEMA = new Schema(List.of(
            FieldDef.categorical("user", "user_id"),
            FieldDef.categorical("title_year", "title").withTransform(Transform.YEAR_FROM_TITLE),
            FieldDef.multi("genres", "genres", "|"),
            FieldDef.numeric("age", "age", Transform.MIN_MAX),
            FieldDef.categorical("month", "ts").withTransform(Transform.UTC_MONTH),
            FieldDef.categorical("gender_x_age", "gender", "age")),
            "rating", LabelRule.atLeast(4), "ts", "user_id");

    static final String CSV = """
            user_id,title,genres,age,gender,rating,ts
            u1,"Toy Story (1995)",Animation|Comedy,25,F,5,978300760
            u2,"Heat, The ""Movie"" (1995)",Action|Crime|Thriller,NA,M,3,978302109
            u1,"Multi
            line (1980)",,35,F,4,978301968
            u3,No year,Drama,45,,1,1000000000
            """;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void readsQuotedMultiNumericMissingAndLabels() throws IOException {
        RawTable t = DelimitedReader.read(write("a.csv", CSV), SCHEMA, DelimitedFormat.csv().withMissingValues(Set.of("NA")));
        assertThat(t.size()).isEqualTo(4);
        assertThat(t.labels()).containsExactly(1f, 0f, 1f, 0f);
        assertThat(t.value(0, 0)).isEqualTo("u1");
        assertThat(t.value(0, 1)).isEqualTo("1995");
        assertThat(t.value(2, 1)).isEqualTo("1980"); // quoted field across lines
        assertThat(t.value(3, 1)).isNull(); // no year: missing
        assertThat(t.values(1, 2)).containsExactly("Action", "Crime", "Thriller");
        assertThat(t.values(2, 2)).isEmpty();
        assertThat(t.number(1, 3)).isNaN();
        assertThat(t.value(0, 4)).isEqualTo("12");
        assertThat(t.value(0, 5)).isEqualTo("F\u00d725");
        assertThat(t.value(3, 5)).isNull();
        assertThat(t.timestamps()).containsExactly(978300760L, 978302109L, 978301968L, 1000000000L);
        assertThat(t.users()).containsExactly(0, 1, 0, 2);

        TableEncoder enc = TableEncoder.fit(t);
        EncodedDataset ds = enc.encode(t);
        assertThat(ds.size()).isEqualTo(4);
        assertThat(ds.fields().get(2).kind()).isEqualTo(FieldKind.MULTI_CATEGORICAL);
        assertThat(enc.vocabulary("user").values()).containsExactly("<<UNK>>", "u1", "u2", "u3");
        assertThat(ds.value(0, 3)).isEqualTo(0f); // 25 is the min
        assertThat(ds.value(3, 3)).isEqualTo(1f); // 45 is the max
        assertThat(ds.value(1, 3)).isEqualTo(0f); // missing
        assertThat(ds.id(3, 1)).isZero();
        assertThat(enc.vocabulary("title_year").oovCount()).isZero();
    }

    @Test
    void fitsOnTrainOnlyAndSavesLoads() throws IOException {
        RawTable t = DelimitedReader.read(write("a.csv", CSV), SCHEMA, DelimitedFormat.csv().withMissingValues(Set.of("NA")));
        Split s = SplitSpec.globalTemporal(0.5, 0).apply(t.size(), null, t.timestamps());
        TableEncoder enc = TableEncoder.fit(t.select(s.train()));
        assertThat(enc.vocabulary("user").size()).isEqualTo(2); // only u1 in the two earliest rows
        EncodedDataset test = enc.encode(t.select(s.test()));
        assertThat(test.size()).isEqualTo(2);
        assertThat(enc.vocabulary("user").oovCount()).isEqualTo(2);
        Path f = dir.resolve("enc");
        enc.save(f);
        TableEncoder back = TableEncoder.load(f);
        assertThat(back.fieldSpecs()).isEqualTo(enc.fieldSpecs());
        assertThat(back.scaler("age")).isEqualTo(enc.scaler("age"));
        assertThat(back.encode(t).idColumn(0)).isEqualTo(enc.encode(t).idColumn(0));
    }

    @Test
    void headerlessTabSeparatedWithColumnNames() throws IOException {
        Schema s = Schema.of(List.of(FieldDef.categorical("a", "x")), "y", LabelRule.identity());
        RawTable t = DelimitedReader.read(write("b.tsv", "p\t1\nq\t0\n\np\t0.5\n"), s,
                DelimitedFormat.tsv().withColumnNames(List.of("x", "y")));
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.labels()).containsExactly(1f, 0f, 0.5f);
        Schema byIndex = Schema.of(List.of(FieldDef.categorical("a", "1")), "2", LabelRule.identity());
        assertThat(DelimitedReader.read(write("c.tsv", "p\t1\n"), byIndex, DelimitedFormat.tsv().withColumnNames(null)).size())
                .isEqualTo(1);
    }

    @Test
    void badInputNamesFileLineColumnAndText() throws IOException {
        DelimitedFormat f = DelimitedFormat.csv();
        String head = "user_id,title,genres,age,gender,rating,ts\n";
        assertThatThrownBy(() -> DelimitedReader.read(write("e1.csv", head + "u1,T (1995),A,25,F,five,1\n"), SCHEMA, f))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("e1.csv").hasMessageContaining("line 2").hasMessageContaining("column 6")
                .hasMessageContaining("label is not a number").hasMessageContaining("\"five\"");
        assertThatThrownBy(() -> DelimitedReader.read(write("e2.csv", head + "u1,T,A,25,F,5\n"), SCHEMA, f))
                .hasMessageContaining("line 2").hasMessageContaining("expected 7 fields").hasMessageContaining("found 6");
        assertThatThrownBy(() -> DelimitedReader.read(write("e3.csv", head + "u1,T,A,old,F,5,1\n"), SCHEMA, f))
                .hasMessageContaining("column 4").hasMessageContaining("'age'");
        assertThatThrownBy(() -> DelimitedReader.read(write("e4.csv", head + "u1,\"T,A,25,F,5,1\n"), SCHEMA, f))
                .hasMessageContaining("line 2").hasMessageContaining("unterminated quoted field");
        assertThatThrownBy(() -> DelimitedReader.read(write("e5.csv", head + "u1,T\"x,A,25,F,5,1\n"), SCHEMA, f))
                .hasMessageContaining("column 2").hasMessageContaining("quote inside an unquoted field");
        assertThatThrownBy(() -> DelimitedReader.read(write("e6.csv", head + "u1,\"T\"x,A,25,F,5,1\n"), SCHEMA, f))
                .hasMessageContaining("column 2").hasMessageContaining("after a closing quote");
        assertThatThrownBy(() -> DelimitedReader.read(write("e7.csv", head + "u1,T,A,25,F,5,soon\n"), SCHEMA, f))
                .hasMessageContaining("column 7").hasMessageContaining("timestamp is not an integer");
        assertThatThrownBy(() -> DelimitedReader.read(write("e8.csv", "user_id,title\n"), SCHEMA, f))
                .hasMessageContaining("e8.csv").hasMessageContaining("column 'genres'");
        assertThatThrownBy(() -> DelimitedReader.read(write("e9.csv", ""), SCHEMA, f))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("e9.csv").hasMessageContaining("file is empty");
        assertThatThrownBy(() -> DelimitedReader.read(write("e10.csv", head), SCHEMA, f))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("no data rows");
        assertThatThrownBy(() -> DelimitedReader.read(dir.resolve("missing.csv"), SCHEMA, f))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("missing.csv").hasMessageContaining("file not found");
        String longText = "x".repeat(200);
        assertThatThrownBy(() -> DelimitedReader.read(write("e11.csv", head + "u1,T,A,25,F," + longText + ",1\n"), SCHEMA, f))
                .satisfies(e -> assertThat(((DataFormatException) e).text()).hasSize(63).endsWith("..."));
    }

    @Test
    void undecodableBytesInUtf8() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("user_id,title,genres,age,gender,rating,ts\nu1,Caf".getBytes(StandardCharsets.US_ASCII));
        b.write(0xE9); // ISO-8859-1 e-acute: invalid as UTF-8 here
        b.writeBytes(" (1990),A,25,F,5,1\n".getBytes(StandardCharsets.US_ASCII));
        Path p = dir.resolve("latin1.csv");
        Files.write(p, b.toByteArray());
        assertThatThrownBy(() -> DelimitedReader.read(p, SCHEMA, DelimitedFormat.csv()))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("latin1.csv").hasMessageContaining("line 2").hasMessageContaining("column 2")
                .hasMessageContaining("undecodable bytes for UTF-8");
        RawTable t = DelimitedReader.read(p, SCHEMA, DelimitedFormat.csv().withCharset(StandardCharsets.ISO_8859_1));
        assertThat(t.size()).isEqualTo(1);
    }

    @Test
    void skipsBadLinesWhenAsked() throws IOException {
        String text = "user_id,title,genres,age,gender,rating,ts\n"
                + "u1,T,A,25,F,5,1\nu2,T,A,25,F,x,2\nshort\nu3,T,A,25,F,2,3\n";
        RawTable t = DelimitedReader.read(write("s.csv", text), SCHEMA, DelimitedFormat.csv().withSkipBadLines(true));
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.skippedLines()).isEqualTo(2);
    }

    @Test
    void everyRowTheLabelRuleDropsIsCountedByReason() throws IOException {
        // Criteo-like: a 0/1 click label, a thresholds rule, some labels missing, in the gap, or unreadable.
        Schema s = Schema.fromJson("{\"fields\":[{\"name\":\"c\",\"kind\":\"CATEGORICAL\",\"columns\":[\"c1\"]}],"
                + "\"labelColumn\":\"click\",\"labelRule\":{\"positiveAtLeast\":1,\"negativeBelow\":0.5},"
                + "\"missingValues\":[\"-1\"]}");
        String text = "click,c1\n1,a\n0,b\n0,c\n,d\n-1,e\n0.7,f\nNaN,g\nclick!,h\nshort\n1,i\n";
        RawTable t = DelimitedReader.read(write("clicks.csv", text), s, s.format().withSkipBadLines(true));
        assertThat(t.size()).isEqualTo(4);
        assertThat(t.positives()).isEqualTo(2);
        assertThat(t.negatives()).isEqualTo(2);
        RawTable.ReadCounts c = t.readCounts();
        assertThat(c).isEqualTo(new RawTable.ReadCounts(4, 1, 2, 2, 1));
        assertThat(c.rowsRead()).isEqualTo(10);
        assertThat(t.droppedByLabel()).isEqualTo(3);
        assertThat(t.skippedLines()).isEqualTo(3);
        assertThat(c.summary()).isEqualTo("10 rows read, 3 dropped by the label rule (1 in the gap between thresholds, 2 missing),"
                + " 3 bad lines skipped (2 with an unreadable label)");
        assertThat(t.select(new int[] {0}).readCounts()).isEqualTo(c); // the file's counts, whatever the selection

        // Without skipping, a NaN or unparsable label is an error naming line and column, not a silent drop.
        assertThatThrownBy(() -> DelimitedReader.read(write("nan.csv", "click,c1\n1,a\nNaN,g\n"), s, s.format()))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("line 3").hasMessageContaining("column 1")
                .hasMessageContaining("label is not finite");
        RawTable missingOnly = DelimitedReader.read(write("m.csv", "click,c1\n1,a\n,b\n"), s, s.format());
        assertThat(missingOnly.readCounts()).isEqualTo(new RawTable.ReadCounts(1, 0, 1, 0, 0));
    }

    @Test
    void aLabelRuleThatLeavesOneClassIsDetectable() throws IOException {
        Schema s = Schema.of(List.of(FieldDef.categorical("c", "c1")), "click", LabelRule.atLeast(0)); // everything positive
        RawTable t = DelimitedReader.read(write("one.csv", "click,c1\n1,a\n0,b\n0,c\n"), s, DelimitedFormat.csv());
        assertThat(t.positives()).isEqualTo(3);
        assertThat(t.negatives()).isZero();
    }

    @Test
    void headerlessTabSeparatedFileWithMissingTokensDescribedBySchemaJson() throws IOException {
        Schema s = Schema.fromJson("""
                {"fields": [
                   {"name": "user", "kind": "CATEGORICAL", "columns": ["user"]},
                   {"name": "tags", "kind": "MULTI_CATEGORICAL", "columns": ["tags"], "separator": ","},
                   {"name": "price", "kind": "NUMERIC", "columns": ["price"]}],
                 "labelColumn": "click", "labelRule": {"passThrough": true},
                 "delimiter": "tab", "header": false, "columnNames": ["click", "user", "tags", "price"],
                 "missingValues": ["", "NA", "\\\\N", "-1"]}
                """);
        // A BOM at the start of a headerless file belongs to no cell.
        String text = "\uFEFF1\tu1\ta,b\t9.5\n0\t\\N\tNA\t-1\n1\tu2\ta,-1,c\tNA\n0\t-1\t\t2\n";
        RawTable t = DelimitedReader.read(write("clicks.tsv", text), s, s.format());
        assertThat(t.size()).isEqualTo(4);
        assertThat(t.labels()).containsExactly(1f, 0f, 1f, 0f);
        assertThat(t.value(0, 0)).isEqualTo("u1");
        assertThat(t.value(1, 0)).isNull();
        assertThat(t.value(3, 0)).isNull();
        assertThat(t.values(0, 1)).containsExactly("a", "b");
        assertThat(t.values(1, 1)).isEmpty();
        assertThat(t.values(2, 1)).containsExactly("a", "c");
        assertThat(t.number(0, 2)).isEqualTo(9.5);
        assertThat(t.number(1, 2)).isNaN();
        assertThat(t.number(2, 2)).isNaN();
        assertThat(t.number(3, 2)).isEqualTo(2.0);
        EncodedDataset ds = TableEncoder.fit(t).encode(t);
        assertThat(ds.size()).isEqualTo(4);
        // "columnNames" must list every column: a line with another count is a bad line.
        assertThatThrownBy(() -> DelimitedReader.read(write("wide.tsv", "1\tu1\ta\t1\textra\n"), s, s.format()))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("expected 4 fields");
    }

    @Test
    void schemaJsonRoundTripAndValidation() {
        String json = SCHEMA.toJson();
        assertThat(Schema.fromJson(json)).isEqualTo(SCHEMA);
        assertThatThrownBy(() -> Schema.fromJson("{\"fields\":[{\"name\":\"a\",\"kind\":\"NUMERIC\",\"columns\":[\"x\"],"
                + "\"transform\":\"UTC_YEAR\"}],\"labelColumn\":\"y\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field 'a'").hasMessageContaining("UTC_YEAR");
        assertThatThrownBy(() -> Schema.fromJson("{\"fields\":[{\"name\":\"a\",\"kind\":\"CATEGORICAL\",\"columns\":[\"x\"]},"
                + "{\"name\":\"a\",\"kind\":\"CATEGORICAL\",\"columns\":[\"z\"]}],\"labelColumn\":\"y\"}"))
                .hasMessageContaining("duplicate field name 'a'");
        assertThatThrownBy(() -> Schema.fromJson("{\"fields\":[{\"name\":\"a\",\"columns\":[\"x\"]}],\"labelColumn\":\"y\"}"))
                .hasMessageContaining("'kind' is required");
        assertThatThrownBy(() -> Schema.fromJson("{\"fields\":[{\"name\":\"a\",\"kind\":\"CATEGORICAL\",\"columns\":[\"x\"]}]}"))
                .hasMessageContaining("labelColumn");
        assertThatThrownBy(() -> Schema.fromJson("{\"fields\":[],\"labelColumn\":\"y\",\"bogus\":1}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FieldDef.multi("g", "genres", "")).hasMessageContaining("separator");
        Schema parsed = Schema.fromJson("{\"fields\":[{\"name\":\"g\",\"kind\":\"MULTI_CATEGORICAL\",\"columns\":[\"genres\"],"
                + "\"minCount\":2}],\"labelColumn\":\"y\",\"labelRule\":{\"positiveAtLeast\":4,\"negativeBelow\":3}}");
        assertThat(parsed.fields().get(0).separator()).isEqualTo("|");
        assertThat(parsed.fields().get(0).minCount()).isEqualTo(2);
        assertThat(parsed.labelRule().apply(3)).isNaN();
    }
}
