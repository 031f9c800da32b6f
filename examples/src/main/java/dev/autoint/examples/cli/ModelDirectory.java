package dev.autoint.examples.cli;

import dev.autoint.core.io.ModelFileException;
import dev.autoint.core.io.ModelFiles;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.data.movielens.MovieLensData;
import dev.autoint.eval.movielens.MovieLensExperiment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A trained model's directory: {@code model.safetensors} and {@code model.json} (weights, configuration,
 * provenance including how the data was loaded and split), {@code encoder.json} (the vocabularies),
 * {@code metrics.json} and charts. Loading rebuilds the same data and split and checks that the model's
 * fields match them.
 */
final class ModelDirectory {

    static final String ENCODER = "encoder.json";

    record Opened(AutoIntModel model, ModelFiles.Manifest manifest, DataOptions data, MovieLensExperiment experiment) {
    }

    private ModelDirectory() {
    }

    @SuppressWarnings("unchecked")
    static Opened open(Path dir, DataOptions override) throws IOException {
        if (!Files.isDirectory(dir)) throw new CliException(3, "model directory " + dir + " does not exist");
        ModelFiles.Loaded loaded;
        try {
            loaded = ModelFiles.load(dir);
        } catch (ModelFileException e) {
            throw new CliException(4, "cannot load the model: " + e.getMessage());
        }
        if (loaded.manifest().provenance().containsKey("csvData")) {
            throw new CliException(2, "the model in " + dir + " was trained on a CSV file: evaluate and recommend need "
                    + "MovieLens-shaped data (users, movies, a catalogue); its test metrics are in metrics.json");
        }
        Map<String, Object> stored = (Map<String, Object>) loaded.manifest().provenance().get("data");
        DataOptions data = override != null ? override : DataOptions.from(stored);
        MovieLensData raw = data.load();
        MovieLensExperiment x = MovieLensExperiment.prepare(raw, data.featurePreset(), data.splitSpec());
        if (!x.encoder().fieldSpecs().equals(loaded.model().fields())) {
            throw new CliException(4, "the model in " + dir + " was trained on other fields or vocabularies than "
                    + data.data + " gives with preset " + data.preset + " and split " + data.split
                    + ": model " + loaded.model().fields() + ", data " + x.encoder().fieldSpecs());
        }
        return new Opened(loaded.model(), loaded.manifest(), data, x);
    }
}
