/**
 * Evaluation, model bundles and recommendation: metrics, protocols, significance tests, reports, the hyper-parameter {@code Tuner}, the
 * {@code ModelBundle} a team deploys, and the {@code Recommender} that turns scores into top-N lists.
 *
 * <p>{@code dev.autoint.eval.internal} (the metric definitions, the tie rule, the dense item index, the bootstrap,
 * the top-K candidate scan, its heap and the per-user item sets) is not exported: it is not part of the API and
 * may change in any release.
 */
module dev.autoint.eval {
    requires transitive dev.autoint.data;
    requires org.apache.commons.statistics.inference;

    exports dev.autoint.eval;
    exports dev.autoint.eval.baseline;
    exports dev.autoint.eval.bundle;
    exports dev.autoint.eval.movielens;
    exports dev.autoint.eval.protocol;
    exports dev.autoint.eval.recommend;
    exports dev.autoint.eval.report;
    exports dev.autoint.eval.stats;
    exports dev.autoint.eval.tune;

    opens dev.autoint.eval.bundle to com.fasterxml.jackson.databind;
    opens dev.autoint.eval.report to com.fasterxml.jackson.databind;
}
