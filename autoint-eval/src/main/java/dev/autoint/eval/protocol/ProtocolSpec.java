package dev.autoint.eval.protocol;

/**
 * An evaluation protocol spelled out, as written into metrics.json.
 *
 * @param name             short name: {@code held-out-reranking}, {@code full-catalog} or
 *                         {@code sampled}
 * @param candidates       which items are ranked for a user
 * @param k                the cut-off K
 * @param sampledNegatives N of the sampled protocol, else {@code null}
 * @param samplingSeed     seed of the sampled negatives, else {@code null}
 * @param relevance        the relevance rule ({@link dev.autoint.eval.Relevance#describe()})
 * @param users            which users are evaluated and how values are averaged
 * @param tieRule          how ties in score are broken
 */
public record ProtocolSpec(String name, String candidates, int k, Integer sampledNegatives,
                           Long samplingSeed, String relevance, String users, String tieRule) {

    /** The tie rule of {@link dev.autoint.eval.internal.Ranking}. */
    public static final String TIE_RULE = "score descending, then item id ascending";
}
