package dev.autoint.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.data.FieldSpec;
import dev.autoint.data.movielens.MovieLensEncoder;
import dev.autoint.data.table.TableEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What turns a dataset's raw rows into model input, fitted on training rows and frozen: vocabularies
 * ({@value Vocabulary#UNK} = id 0), scalers with their fitted ranges, the label rule, and, for
 * recommendation, the item catalogue with each item's encoded features and the users known from training.
 * It travels with a model in its bundle and is what scoring uses, so a saved model never needs its
 * training data again.
 *
 * <p>Two implementations: {@link MovieLensEncoder} (MovieLens-shaped data and its presets) and
 * {@link TableEncoder} (any delimited file described by a {@link dev.autoint.data.table.Schema}). Each is
 * fitted by its own static {@code fit} on its own raw row type and encodes those rows with {@code encode};
 * this interface is what scoring, evaluation and recommendation need from either.
 *
 * <p><b>Candidates.</b> To score one user in one context against many items, {@link #contextRow} encodes
 * the user and context once, and {@link Catalogue#candidates} combines it with the stored item features
 * (the fields marked in {@link Catalogue#itemFields()}) for every candidate item.
 *
 * <p>Implementations are immutable after fitting and thread-safe.
 */
public interface FeatureEncoder {

    /** The file {@link #save} writes the encoder's description to, beside any data files it needs. */
    String FILE = "encoder.json";

    /**
     * The fields of every dataset this encoder makes, with vocabulary sizes: the model's input.
     *
     * @return the fields, in model order
     */
    List<FieldSpec> fieldSpecs();

    /**
     * How a raw target became a label for training.
     *
     * @return the rule
     */
    LabelRule labelRule();

    /**
     * The vocabulary of a categorical or multi-valued field.
     *
     * @param field the field's name
     * @return the field's frozen vocabulary
     * @throws IllegalArgumentException if there is no such field or it is numeric
     */
    Vocabulary vocabulary(String field);

    /**
     * The recommendable items with their encoded features; empty when the data declares no items.
     *
     * @return the catalogue, never null
     */
    Catalogue catalogue();

    /**
     * The users known from training, with their profiles; empty when the data declares no users.
     *
     * @return the users, never null
     */
    UserDirectory users();

    /**
     * The context keys {@link #contextRow} accepts, each with its default (for MovieLens {@code year} and
     * {@code month} of the last training rating; for a table, the fields that do not describe the item,
     * defaulting to the user's latest training row).
     *
     * @return default value by key, in a stable order
     */
    Map<String, String> defaultContext();

    /**
     * One encoded row describing {@code user} in a context (item fields are left unknown). Context values
     * outside what training saw (a date after the training period, a number beyond a scaler's fitted range)
     * are clipped into it and a warning is added to {@code warnings}; a value that cannot be read gives
     * IllegalArgumentException naming the key.
     *
     * @param user     a user id of {@link #users()}
     * @param context  context values by key (see {@link #defaultContext}); missing keys take their default
     * @param warnings receives one line per clipped or unknown value
     * @return a one-row dataset with this encoder's fields, label 0
     * @throws IllegalArgumentException if the user is unknown, or a context key is unknown or its value unreadable
     */
    EncodedDataset contextRow(int user, Map<String, String> context, List<String> warnings);

    /**
     * Writes {@value #FILE} and the encoder's data files into {@code dir} (a bundle being staged).
     *
     * @param dir an existing directory
     * @throws IOException if a file cannot be written
     */
    void save(Path dir) throws IOException;

    /**
     * Loads the encoder {@link #save} wrote into {@code dir}, whichever implementation it is.
     *
     * @param dir the directory holding {@value #FILE}
     * @return the encoder
     * @throws java.nio.file.NoSuchFileException if there is no {@value #FILE}
     * @throws DataFormatException               if the file is not JSON or names an unknown format
     * @throws IOException                       if a file cannot be read, or the implementation rejects its files
     */
    static FeatureEncoder load(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) throw new java.nio.file.NoSuchFileException(file.toString(), null, "encoder file not found");
        JsonNode o;
        try {
            o = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new DataFormatException(file.toString(), 0, 0, null, "not valid JSON (" + e.getMessage() + ")", e);
        }
        String format = o == null ? "" : o.path("format").asText();
        return switch (format) {
            case MovieLensEncoder.FORMAT -> MovieLensEncoder.load(dir);
            case TableEncoder.FORMAT -> TableEncoder.load(dir);
            default -> throw new DataFormatException(file.toString(), 0, 0, null,
                    "unknown encoder format '" + format + "' (expected " + MovieLensEncoder.FORMAT + " or " + TableEncoder.FORMAT + ")", null);
        };
    }
}
