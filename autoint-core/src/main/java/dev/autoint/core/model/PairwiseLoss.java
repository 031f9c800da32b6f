package dev.autoint.core.model;

/**
 * Ranking losses over a pair of logits, a positive row's {@code s⁺} and a sampled negative's {@code s⁻}, through
 * their difference {@code d = s⁺ − s⁻}:
 *
 * <ul>
 *   <li>BPR (Rendle et al. 2009, "BPR: Bayesian Personalized Ranking from Implicit Feedback", eq. 4 without the
 *       prior, which is the trainer's L2 penalty): {@code l = −log σ(d) = log(1 + e^{−d})}, computed as
 *       {@code softplus(−d)} so it is finite for any finite d; {@code dl/dd = −σ(−d)}, in (−1, 0).</li>
 *   <li>Pairwise hinge with margin m: {@code l = max(0, m − d)}; {@code dl/dd = −1} for {@code d < m}, else 0
 *       (at the kink {@code d = m} the subgradient 0 is taken).</li>
 * </ul>
 * The gradient with respect to the positive logit is {@code dl/dd} and with respect to the negative logit
 * {@code −dl/dd}. A batch's loss is the mean over its pairs of {@code weight·l}, with the positive row's weight.
 * Instances are immutable, serializable and made only by the factories here; the trainer uses them through
 * {@code Trainer.Builder.pairwise}.
 */
public sealed interface PairwiseLoss extends java.io.Serializable permits BprLoss, HingeLoss {

    /**
     * The loss of one pair.
     *
     * @param positiveLogit the positive row's raw score {@code s⁺}
     * @param negativeLogit the negative row's raw score {@code s⁻}
     * @return {@code l(s⁺ − s⁻)}, non-negative and finite for finite logits
     */
    double value(double positiveLogit, double negativeLogit);

    /**
     * The derivative of {@link #value} with respect to the positive logit, in closed form; the derivative with
     * respect to the negative logit is its negation.
     *
     * @param positiveLogit the positive row's raw score {@code s⁺}
     * @param negativeLogit the negative row's raw score {@code s⁻}
     * @return {@code dl/ds⁺ = dl/dd} at {@code d = s⁺ − s⁻}, in [−1, 0]
     */
    double gradient(double positiveLogit, double negativeLogit);

    /**
     * Bayesian personalised ranking: {@code −log σ(s⁺ − s⁻)}.
     *
     * @return the shared BPR instance
     */
    static PairwiseLoss bpr() {
        return BprLoss.INSTANCE;
    }

    /**
     * Pairwise hinge {@code max(0, margin − (s⁺ − s⁻))}.
     *
     * @param margin the margin m, finite and &gt; 0 (1 is the usual choice)
     * @return the hinge loss
     * @throws IllegalArgumentException if {@code margin} is not finite and positive
     */
    static PairwiseLoss hinge(double margin) {
        return new HingeLoss(margin);
    }
}
