package dev.autoint.data.table;

import dev.autoint.data.LabelRule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Schema JSON: complete label rules and the optional file layout keys. */
class SchemaTest {

    private static final String FIELDS = "\"fields\":[{\"name\":\"a\",\"kind\":\"CATEGORICAL\",\"columns\":[\"x\"]}],"
            + "\"labelColumn\":\"y\"";

    private static Schema withRule(String rule) {
        return Schema.fromJson("{" + FIELDS + ",\"labelRule\":" + rule + "}");
    }

    @Test
    void aPartialLabelRuleIsRejectedNamingTheMissingKeyWithACompleteExample() {
        // Once read as negativeBelow = 0: every 0 label of a click log dropped, one class left, AUC NaN.
        assertThatThrownBy(() -> withRule("{\"positiveAtLeast\": 1}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing \"negativeBelow\"")
                .hasMessageContaining("{\"positiveAtLeast\": 1, \"negativeBelow\": 1}")
                .hasMessageContaining("{\"passThrough\": true}");
        assertThatThrownBy(() -> withRule("{\"negativeBelow\": 3}")).hasMessageContaining("missing \"positiveAtLeast\"");
        assertThatThrownBy(() -> withRule("{}")).hasMessageContaining("missing \"positiveAtLeast\" and \"negativeBelow\"");
        assertThatThrownBy(() -> withRule("{\"passThrough\": false, \"positiveAtLeast\": 4}"))
                .hasMessageContaining("missing \"negativeBelow\"");
    }

    @Test
    void passThroughTakesNoThresholds() {
        assertThatThrownBy(() -> withRule("{\"passThrough\": true, \"positiveAtLeast\": 4, \"negativeBelow\": 4}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"passThrough\": true takes no thresholds").hasMessageContaining("\"positiveAtLeast\"");
        assertThatThrownBy(() -> withRule("{\"passThrough\": true, \"negativeBelow\": 0}"))
                .hasMessageContaining("\"negativeBelow\"");
        assertThat(withRule("{\"passThrough\": true}").labelRule()).isEqualTo(LabelRule.identity());
        assertThatThrownBy(() -> withRule("{\"positiveAtLeast\": 4, \"negativeBelow\": 4, \"typo\": 1}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("typo");
    }

    @Test
    void completeRulesRoundTripThroughJson() {
        for (LabelRule r : List.of(LabelRule.atLeast(4), LabelRule.paper(), LabelRule.identity(), new LabelRule(4, 3, false))) {
            Schema s = Schema.of(List.of(FieldDef.categorical("a", "x")), "y", r);
            assertThat(Schema.fromJson(s.toJson())).isEqualTo(s);
        }
        assertThat(Schema.of(List.of(FieldDef.categorical("a", "x")), "y", LabelRule.identity()).toJson())
                .contains("\"passThrough\" : true").doesNotContain("positiveAtLeast");
        assertThat(withRule("{\"positiveAtLeast\": 1, \"negativeBelow\": 1}").labelRule()).isEqualTo(LabelRule.atLeast(1));
        assertThat(Schema.fromJson("{" + FIELDS + "}").labelRule()).isEqualTo(LabelRule.identity());
    }

    @Test
    void delimitersBySymbolOrName() {
        assertThat(DelimitedFormat.parseDelimiter(",")).isEqualTo(',');
        assertThat(DelimitedFormat.parseDelimiter(";")).isEqualTo(';');
        assertThat(DelimitedFormat.parseDelimiter("|")).isEqualTo('|');
        assertThat(DelimitedFormat.parseDelimiter("\t")).isEqualTo('\t');
        assertThat(DelimitedFormat.parseDelimiter("\\t")).isEqualTo('\t');
        assertThat(DelimitedFormat.parseDelimiter("tab")).isEqualTo('\t');
        assertThat(DelimitedFormat.parseDelimiter("TAB")).isEqualTo('\t');
        assertThat(DelimitedFormat.parseDelimiter("comma")).isEqualTo(',');
        assertThat(DelimitedFormat.parseDelimiter("semicolon")).isEqualTo(';');
        assertThat(DelimitedFormat.parseDelimiter("pipe")).isEqualTo('|');
        for (String bad : List.of("::", ",,", "space-ish", "")) {
            assertThatThrownBy(() -> DelimitedFormat.parseDelimiter(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("one of tab, comma, semicolon, pipe").hasMessageContaining("\"" + bad + "\"");
        }
        assertThatThrownBy(() -> DelimitedFormat.parseDelimiter("\"")).hasMessageContaining("other than quote");
        assertThatThrownBy(() -> DelimitedFormat.parseDelimiter("\u00e9")).hasMessageContaining("ASCII");
    }

    @Test
    void formatKeysDescribeTheFile() {
        Schema s = Schema.fromJson("{" + FIELDS + ",\"labelRule\":{\"passThrough\":true},\"delimiter\":\"semicolon\","
                + "\"missingValues\":[\"NA\",\"\\\\N\"]}");
        DelimitedFormat f = s.format();
        assertThat(f.delimiter()).isEqualTo(';');
        assertThat(f.header()).isTrue();
        assertThat(f.columnNames()).isNull();
        assertThat(f.missingValues()).containsExactlyInAnyOrder("NA", "\\N");
        assertThat(Schema.fromJson(s.toJson())).isEqualTo(s);
        assertThat(Schema.fromJson("{" + FIELDS + "}").format()).isEqualTo(DelimitedFormat.csv());

        Schema headerless = Schema.fromJson("{" + FIELDS + ",\"delimiter\":\"tab\",\"header\":false,\"columnNames\":[\"x\",\"y\"]}");
        assertThat(headerless.format()).isEqualTo(DelimitedFormat.tsv().withColumnNames(List.of("x", "y")));
        assertThat(headerless.withSplitColumns(null, "x").format()).isEqualTo(headerless.format());
        assertThat(Schema.fromJson("{" + FIELDS.replace("\"x\"", "\"1\"").replace("\"y\"", "\"2\"") + ",\"header\":false}")
                .format().header()).isFalse();
    }

    @Test
    void formatKeysAreValidated() {
        assertThatThrownBy(() -> Schema.fromJson("{" + FIELDS + ",\"delimiter\":\"::\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'delimiter'").hasMessageContaining("\"::\"");
        assertThatThrownBy(() -> Schema.fromJson("{" + FIELDS + ",\"header\":true,\"columnNames\":[\"x\",\"y\"]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'columnNames'")
                .hasMessageContaining("\"header\": false");
        assertThatThrownBy(() -> Schema.fromJson("{" + FIELDS + ",\"columnNames\":[\"x\",\"y\"]}"))
                .hasMessageContaining("not given (default true)");
        assertThatThrownBy(() -> Schema.fromJson("{" + FIELDS + ",\"header\":false,\"columnNames\":[\"y\",\"z\"]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field 'a' reads column 'x'").hasMessageContaining("not among 'columnNames' [y, z]");
        assertThatThrownBy(() -> Schema.fromJson("{" + FIELDS + ",\"header\":false,\"columnNames\":[\"x\",\"z\"]}"))
                .hasMessageContaining("the label ('labelColumn') reads column 'y'");
        assertThatThrownBy(() -> Schema.fromJson("{" + FIELDS + ",\"userColumn\":\"u\",\"header\":false,\"columnNames\":[\"x\",\"y\"]}"))
                .hasMessageContaining("the user key ('userColumn') reads column 'u'");
        assertThatThrownBy(() -> Schema.fromJson("{" + FIELDS + ",\"header\":false,\"columnNames\":[\"x\",\"y\",\"x\"]}"))
                .hasMessageContaining("lists 'x' twice");
        assertThatThrownBy(() -> Schema.fromJson("{" + FIELDS + ",\"header\":false}"))
                .hasMessageContaining("field 'a' reads column 'x'").hasMessageContaining("columns named 1, 2, 3");
        assertThatThrownBy(() -> Schema.fromJson("{" + FIELDS + ",\"missingValues\":[null]}"))
                .hasMessageContaining("'missingValues'");
        assertThat(Set.of(Schema.fromJson("{" + FIELDS + ",\"header\":false,\"columnNames\":[\"x\",\"y\",\"extra\"]}")
                .format().columnNames())).hasSize(1);
    }
}
