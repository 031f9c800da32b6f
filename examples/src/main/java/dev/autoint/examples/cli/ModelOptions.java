package dev.autoint.examples.cli;

import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.Interaction;
import dev.autoint.core.model.PairwiseLoss;
import dev.autoint.core.train.Adagrad;
import dev.autoint.core.train.Adam;
import dev.autoint.core.train.NegativeSampler;
import dev.autoint.core.train.Optimizer;
import dev.autoint.core.train.RmsProp;
import dev.autoint.core.train.Sgd;
import dev.autoint.data.Catalogue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Model and training hyper-parameters of the train command; unset values take the chosen form's defaults. */
final class ModelOptions {

    @Option(names = "--model", defaultValue = "autoint+",
            description = "autoint+ (the seeds' AutoInt+: DeepCTR form, DNN 32-32, dropout 0.4, linear term), "
                    + "autoint (the paper's form), deepfm, fm, dcnv2 (DCN-v2, parallel unless --cross-stacked), "
                    + "xdeepfm (the last four with DeepCTR's defaults, docs/MODEL.md section 6), "
                    + "or lr (logistic regression baseline) (default: ${DEFAULT-VALUE})")
    String model = "autoint+";

    @Option(names = "--embedding", description = "embedding size D (default 16)")
    Integer embedding;
    @Option(names = "--layers", description = "interacting layers (default 3)")
    Integer layers;
    @Option(names = "--heads", description = "attention heads (default 2)")
    Integer heads;
    @Option(names = "--head-size", description = "width of one head (default 8)")
    Integer headSize;
    @Option(names = "--dnn", split = ",", description = "DNN hidden units, e.g. 32,32; 0 for none")
    List<Integer> dnn;
    @Option(names = "--dropout", description = "DNN dropout")
    Float dropout;
    @Option(names = "--residual", negatable = true, description = "projected residual (default on)")
    Boolean residual;
    @Option(names = "--scaled", negatable = true, description = "scale attention logits by 1/sqrt(head size) (default off)")
    Boolean scaled;
    @Option(names = "--linear", negatable = true, description = "first-order linear term")
    Boolean linear;
    @Option(names = "--cross-layers", description = "dcnv2: cross layers (default 2)")
    Integer crossLayers;
    @Option(names = "--cross-stacked", negatable = true,
            description = "dcnv2: the DNN reads the cross network's output (stacked) instead of running beside it (default off)")
    Boolean crossStacked;
    @Option(names = "--cin", split = ",", description = "xdeepfm: feature maps of each CIN layer, e.g. 128,128")
    List<Integer> cin;
    @Option(names = "--cin-split", negatable = true,
            description = "xdeepfm: all but the last CIN layer send half their maps to the output, half on (default on)")
    Boolean cinSplit;
    @Option(names = "--seed", defaultValue = "2019", description = "initialisation, shuffling and dropout seed (default: ${DEFAULT-VALUE})")
    long seed = 2019;

    @Option(names = "--epochs", defaultValue = "20", description = "maximum epochs (default: ${DEFAULT-VALUE})")
    int epochs = 20;
    @Option(names = "--batch", defaultValue = "2048", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch = 2048;
    @Option(names = "--lr", defaultValue = "0.001", description = "learning rate (default: ${DEFAULT-VALUE})")
    float lr = 1e-3f;
    @Option(names = "--optimizer", defaultValue = "adam", description = "adam, adamw, sgd, adagrad or rmsprop (default: ${DEFAULT-VALUE})")
    String optimizer = "adam";
    @Option(names = "--l2", defaultValue = "1e-5", description = "L2 penalty on the embedding rows each batch touches (default: ${DEFAULT-VALUE})")
    float l2 = 1e-5f;
    @Option(names = "--patience", defaultValue = "2", description = "early stopping patience on validation AUC; 0 = off (default: ${DEFAULT-VALUE})")
    int patience = 2;
    /**
     * The learning-rate schedule by {@link dev.autoint.eval.tune.Tuner#schedule} name. Not an option of its own:
     * {@code train} uses a constant rate, and {@code compare --tuned} sets the schedule a tune run found.
     */
    String schedule = "constant";
    @Option(names = "--threads", description = "training threads (default: available processors)")
    Integer threads;
    @Option(names = "--clip-norm", description = "clip the gradient's global L2 norm to this (default: no clipping)")
    Float clipNorm;
    @Option(names = "--loss", defaultValue = "bce",
            description = "bce (pointwise, on every row), or a ranking loss on (positive, sampled negative) pairs: "
                    + "bpr (-log sigmoid of the score difference) or hinge (max(0, 1 - difference)); docs/MODEL.md section 7 (default: ${DEFAULT-VALUE})")
    String loss = "bce";
    @Option(names = "--negatives",
            description = "with --loss bpr or hinge: how negatives are drawn from the catalogue, uniform or popularity "
                    + "(training count to the power --popularity-beta); the user's training items are excluded (default uniform)")
    String negatives;
    @Option(names = "--popularity-beta", description = "with --negatives popularity: the exponent beta (default 0.75)")
    Double popularityBeta;

    /** Checks every value before any data is read; problems exit with code 2 naming the option. */
    void validate() {
        config();
        optimizer();
        if (epochs < 1) throw new CliException(2, "--epochs must be >= 1, got " + epochs);
        if (batch < 1) throw new CliException(2, "--batch must be >= 1, got " + batch);
        if (!(lr > 0) || Float.isInfinite(lr)) throw new CliException(2, "--lr must be a positive number, got " + lr);
        if (!(l2 >= 0) || Float.isInfinite(l2)) throw new CliException(2, "--l2 must be >= 0, got " + l2);
        if (patience < 0) throw new CliException(2, "--patience must be >= 0, got " + patience);
        if (threads != null && threads < 1) throw new CliException(2, "--threads must be >= 1, got " + threads);
        if (clipNorm != null && !(clipNorm > 0)) throw new CliException(2, "--clip-norm must be > 0, got " + clipNorm);
        PairwiseLoss pairwise = pairwiseLoss();
        if (pairwise == null && (negatives != null || popularityBeta != null)) {
            throw new CliException(2, "--negatives and --popularity-beta apply to --loss bpr or hinge only");
        }
        if (!"popularity".equals(negativesKind()) && popularityBeta != null) {
            throw new CliException(2, "--popularity-beta applies to --negatives popularity only");
        }
        if (popularityBeta != null && !(popularityBeta >= 0 && popularityBeta < Double.POSITIVE_INFINITY)) {
            throw new CliException(2, "--popularity-beta must be a finite number >= 0, got " + popularityBeta);
        }
    }

    /** The ranking loss of {@code --loss}, or null for the pointwise BCE. */
    PairwiseLoss pairwiseLoss() {
        return switch (loss.toLowerCase(Locale.ROOT)) {
            case "bce" -> null;
            case "bpr" -> PairwiseLoss.bpr();
            case "hinge" -> PairwiseLoss.hinge(1);
            default -> throw new CliException(2, "--loss must be bce, bpr or hinge, got '" + loss + "'");
        };
    }

    /** {@code --negatives}, lower case, defaulting to uniform. */
    String negativesKind() {
        String k = negatives == null ? "uniform" : negatives.toLowerCase(Locale.ROOT);
        if (!k.equals("uniform") && !k.equals("popularity")) {
            throw new CliException(2, "--negatives must be uniform or popularity, got '" + negatives + "'");
        }
        return k;
    }

    /**
     * The negative sampler of {@code --negatives} over {@code catalogue}, excluding each user's training items
     * when {@code trainUsers} (the user of each training row) is given.
     */
    NegativeSampler sampler(Catalogue catalogue, int[] trainUsers) {
        if (catalogue.size() < 2) {
            throw new CliException(2, "--loss " + loss + " draws negative items from the catalogue, and this data has "
                    + catalogue.size() + " items (a table needs \"items\" in its schema)");
        }
        NegativeSampler s = negativesKind().equals("popularity")
                ? NegativeSampler.popularity(catalogue.features(), catalogue.itemFields(), popularityBeta != null ? popularityBeta : 0.75)
                : NegativeSampler.uniform(catalogue.features(), catalogue.itemFields());
        return trainUsers != null ? s.excludingSeen(trainUsers) : s;
    }

    /** The same training options for another model form (the baselines). */
    ModelOptions copyAs(String form) {
        ModelOptions o = new ModelOptions();
        o.model = form;
        o.seed = seed;
        o.epochs = epochs;
        o.batch = batch;
        o.lr = lr;
        o.schedule = schedule;
        o.optimizer = optimizer;
        o.l2 = l2;
        o.patience = patience;
        o.threads = threads;
        o.clipNorm = clipNorm;
        return o;
    }

    AutoIntConfig config() {
        String form = model.toLowerCase(Locale.ROOT);
        AutoIntConfig c = switch (form) {
            case "autoint+" -> AutoIntConfig.seedsAutoIntPlus();
            case "autoint" -> AutoIntConfig.paper();
            case "deepfm" -> AutoIntConfig.deepFm();
            case "fm" -> AutoIntConfig.fm();
            case "dcnv2" -> AutoIntConfig.dcnV2();
            case "xdeepfm" -> AutoIntConfig.xDeepFm();
            case "lr" -> AutoIntConfig.deepCtr().withLayers(0).withLinearTerm(true);
            default -> throw new CliException(2, "--model must be autoint+, autoint, deepfm, fm, dcnv2, xdeepfm or lr, got '"
                    + model + "'");
        };
        boolean attention = c.interaction() instanceof Interaction.Attention;
        if (!attention && (layers != null || heads != null || headSize != null || residual != null || scaled != null)) {
            throw new CliException(2, "--layers, --heads, --head-size, --residual and --scaled configure attention;"
                    + " --model " + form + " has none");
        }
        if (!form.equals("dcnv2") && (crossLayers != null || crossStacked != null)) {
            throw new CliException(2, "--cross-layers and --cross-stacked apply to --model dcnv2 only");
        }
        if (!form.equals("xdeepfm") && (cin != null || cinSplit != null)) {
            throw new CliException(2, "--cin and --cin-split apply to --model xdeepfm only");
        }
        try {
            if (embedding != null) c = c.withEmbeddingSize(embedding);
            if (layers != null) c = c.withLayers(layers);
            if (heads != null) c = c.withHeads(heads);
            if (headSize != null) c = c.withHeadSize(headSize);
            if (dnn != null) {
                List<Integer> units = new ArrayList<>(dnn);
                units.removeIf(u -> u == 0);
                c = c.withDnnHidden(units);
            }
            if (dropout != null) c = c.withDropout(dropout);
            if (residual != null) c = c.withResidual(residual);
            if (scaled != null) c = c.withScaledAttention(scaled);
            if (linear != null) c = c.withLinearTerm(linear);
            if (c.interaction() instanceof Interaction.CrossNetwork x && (crossLayers != null || crossStacked != null)) {
                c = c.withInteraction(Interaction.cross(crossLayers != null ? crossLayers : x.layers(),
                        crossStacked != null ? crossStacked : x.stacked()));
            }
            if (c.interaction() instanceof Interaction.Cin x && (cin != null || cinSplit != null)) {
                c = c.withInteraction(Interaction.cin(cin != null ? cin : x.layerSizes(), cinSplit != null ? cinSplit : x.splitHalf()));
            }
            return c.withSeed(seed);
        } catch (IllegalArgumentException e) {
            throw new CliException(2, e.getMessage());
        }
    }

    Optimizer optimizer() {
        return switch (optimizer.toLowerCase(Locale.ROOT)) {
            case "adam" -> Adam.adam();
            case "adamw" -> Adam.adamW();
            case "sgd" -> Sgd.momentum(0.9f, false);
            case "adagrad" -> Adagrad.defaults();
            case "rmsprop" -> RmsProp.defaults();
            default -> throw new CliException(2, "--optimizer must be adam, adamw, sgd, adagrad or rmsprop, got '" + optimizer + "'");
        };
    }
}
