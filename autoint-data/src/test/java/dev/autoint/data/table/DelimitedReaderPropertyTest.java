package dev.autoint.data.table;

import dev.autoint.data.DataFormatException;
import dev.autoint.data.LabelRule;
import dev.autoint.data.table.FieldDef.Transform;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Random bytes after a valid header give either a valid table or a {@link DataFormatException}. */
class DelimitedReaderPropertyTest {

    static final Schema SCHEMA = new Schema(List.of(
            FieldDef.categorical("a", "a"),
            FieldDef.multi("m", "m", ";"),
            FieldDef.numeric("n", "n", Transform.LOG1P_MIN_MAX),
            FieldDef.categorical("y", "t").withTransform(Transform.UTC_YEAR)),
            "label", LabelRule.atLeast(0.5), "t", "a");

    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<String> texty = Arbitraries.strings().withChars("ab1;,.\"\n\r -9e\u00e9\u20ac").ofMaxLength(60);
        Arbitrary<String> rows = Arbitraries.strings().withChars("x;,0123456789.\"").ofMinLength(0).ofMaxLength(12)
                .list().ofSize(5).map(l -> String.join(",", l) + "\n");
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(80);
        return Arbitraries.oneOf(texty.map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                rows.map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8)), raw);
    }

    @Property(tries = 400)
    void randomBodies(@ForAll("bodies") byte[] body, @ForAll boolean skip) throws IOException {
        byte[] head = "a,m,n,t,label\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        try {
            RawTable t = DelimitedReader.read(new ByteArrayInputStream(all), "random.csv", SCHEMA,
                    DelimitedFormat.csv().withSkipBadLines(skip));
            for (float l : t.labels()) assertThat(l).isIn(0f, 1f);
            TableEncoder.fit(t).encode(t);
        } catch (DataFormatException e) {
            assertThat(e.getMessage()).startsWith("random.csv");
        }
    }
}
