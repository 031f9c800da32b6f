package dev.autoint.eval.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autoint.eval.CandidateScorer;
import dev.autoint.eval.Interactions;
import dev.autoint.eval.TestData;
import dev.autoint.eval.protocol.EvalConfig;
import dev.autoint.eval.protocol.HeldOutProtocol;
import dev.autoint.eval.protocol.ProtocolResult;
import org.junit.jupiter.api.Test;

/** Two models on the same protocol, paired by user. */
class ProtocolComparisonTest {

    @Test
    void informativeModelBeatsRandomModelAndEqualsItself() {
        Interactions test = TestData.interactions(400, 10, 1000, 31, 0);
        java.util.Map<Long, Float> label = new java.util.HashMap<>();
        for (int i = 0; i < test.size(); i++) {
            label.put(((long) test.user(i) << 32) | test.item(i), test.label(i));
        }
        // "good": label + noise ; "random": noise only
        CandidateScorer good = (u, items, out) -> {
            for (int i = 0; i < items.length; i++) {
                out[i] = 0.4f * label.get(((long) u << 32) | items[i]) + 0.6f * TestData.hashScore(u, items[i]);
            }
        };
        CandidateScorer random = (u, items, out) -> {
            for (int i = 0; i < items.length; i++) {
                out[i] = TestData.hashScore(u + 7, items[i]);
            }
        };
        EvalConfig cfg = EvalConfig.defaults().withK(5).withThreads(2).withBootstrap(200, 1);
        HeldOutProtocol p = new HeldOutProtocol(cfg);
        ProtocolResult a = p.evaluate(test, good);
        ProtocolResult b = p.evaluate(test, random);
        ModelComparison cmp = new ModelComparison();
        ComparisonReport r = cmp.compare("ndcg@5", "good", a, "random", b, true);
        assertThat(r.verdict()).isEqualTo(ComparisonReport.Verdict.A_BETTER);
        assertThat(r.n()).isEqualTo(a.users().length);
        assertThat(r.text()).startsWith("good beats random on ndcg@5");
        ComparisonReport same = cmp.compare("ndcg@5", "good", a, "good again", p.evaluate(test, good), true);
        assertThat(same.text()).startsWith("no significant difference");
    }
}
