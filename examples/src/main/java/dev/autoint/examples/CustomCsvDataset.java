package dev.autoint.examples;

import dev.autoint.core.data.EncodedDataset;
import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.train.ConsoleProgress;
import dev.autoint.core.train.Metrics;
import dev.autoint.core.train.Trainer;
import dev.autoint.data.LabelRule;
import dev.autoint.data.SplitSpec;
import dev.autoint.data.SplitSpec.Split;
import dev.autoint.data.table.DelimitedFormat;
import dev.autoint.data.table.DelimitedReader;
import dev.autoint.data.table.FieldDef;
import dev.autoint.data.table.FieldDef.Transform;
import dev.autoint.data.table.RawTable;
import dev.autoint.data.table.Schema;
import dev.autoint.data.table.TableEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Custom CSV dataset: train AutoInt on your own click log instead of MovieLens. Teaches: declaring a
 * {@link Schema} (categorical, numeric and multi-valued "a|b" fields, a 0/1 label), reading the CSV, splitting
 * the raw rows, fitting a {@link TableEncoder} on the training rows only (so no test value leaks into the
 * vocabularies), encoding, training and scoring.
 * Run: {@code java dev.autoint.examples.CustomCsvDataset [rows] [epochs]} (defaults 20000 rows, 12 epochs).
 */
public final class CustomCsvDataset {

    public static void main(String[] args) throws IOException {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        Path csv = Files.createTempFile("ad_clicks", ".csv");
        csv.toFile().deleteOnExit();
        Files.writeString(csv, adClicks(rows));
        System.out.println("wrote " + rows + " rows to " + csv);

        // One FieldDef per model field: its name, kind and source column(s). The label is already 0/1.
        Schema schema = Schema.of(List.of(
                FieldDef.categorical("user", "user"), FieldDef.categorical("ad", "ad"),
                FieldDef.categorical("category", "category"),
                FieldDef.categorical("hour", "hour"),                        // 24 ids: any daily shape can be learnt
                FieldDef.numeric("price", "price", Transform.LOG1P_MIN_MAX), // skewed: log, then min-max to [0, 1]
                FieldDef.multi("tags", "tags", "|")),                        // a bag of ids, embeddings averaged
                "clicked", LabelRule.identity());
        RawTable table = DelimitedReader.read(csv, schema, DelimitedFormat.csv());

        // Split the raw rows first, then fit the encoder on the training part only.
        Split split = SplitSpec.random(0.8, 0.1, 2024).apply(table.size(), null, null); // 80/10/10 of all rows
        TableEncoder encoder = TableEncoder.fit(table.select(split.train()));
        EncodedDataset train = encoder.encode(table.select(split.train()));
        EncodedDataset valid = encoder.encode(table.select(split.valid()));
        EncodedDataset test = encoder.encode(table.select(split.test()));
        System.out.println("fields: " + encoder.fieldSpecs().stream().map(f -> f.name() + "[" + f.vocabularySize() + "]")
                .toList());

        // Six fields and a few thousand rows: a smaller model than the MovieLens one is plenty.
        AutoIntConfig small = AutoIntConfig.defaults().withEmbeddingSize(8).withLayers(2);
        AutoIntModel model = AutoIntModel.create(small, encoder.fieldSpecs());
        // The user x category match is an interaction no single field shows; with a brisk learning rate the
        // attention layers find it after a few epochs (watch the validation AUC jump), so be patient.
        Trainer.builder(model).epochs(epochs).batchSize(256).learningRate(1e-2f)
                .earlyStopping(Trainer.Monitor.AUC, 3, true).listener(new ConsoleProgress()).build().fit(train, valid);

        double auc = Metrics.auc(model.predictor().predict(test), test.labelColumn(), test.size());
        System.out.printf(Locale.ROOT, "test AUC %.4f on %d rows%n", auc, test.size());
    }

    /** A made-up ad log: users click ads of their favourite category, in the evening, cheap, on sale. */
    static String adClicks(int rows) {
        String[] categories = {"sports", "books", "games", "travel", "food"};
        String[] tags = {"sale", "new", "video", "brand", "free-shipping"};
        Random rnd = new Random(42);
        StringBuilder csv = new StringBuilder("user,ad,category,hour,price,tags,clicked\n");
        for (int i = 0; i < rows; i++) {
            int user = rnd.nextInt(100), ad = rnd.nextInt(60), hour = rnd.nextInt(24);
            double price = Math.exp(2 + 2.5 * rnd.nextDouble());
            String tag = tags[rnd.nextInt(5)] + (rnd.nextBoolean() ? "|" + tags[rnd.nextInt(5)] : "");
            double logit = -2 + (user % 5 == ad % 5 ? 3.0 : 0) + (hour >= 18 && hour <= 22 ? 1.5 : 0)
                    - 0.6 * Math.log(price / 20) + (tag.contains("sale") ? 1.0 : 0);
            int clicked = rnd.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
            csv.append(String.format(Locale.ROOT, "u%d,ad%d,%s,%d,%.2f,%s,%d\n",
                    user, ad, categories[ad % 5], hour, price, tag, clicked));
        }
        return csv.toString();
    }
}
