package dev.autoint.core.train;

/**
 * An update rule and its hyper-parameters, with PyTorch's formulas and defaults: {@link Adam} (and AdamW),
 * {@link Sgd}, {@link Adagrad}, {@link RmsProp}; each quotes its formula. An optimizer is an immutable value:
 * the state it needs (moments, accumulators) belongs to the trainer that uses it, so one instance may
 * configure any number of trainers.
 *
 * <p>Dense tensors are updated every step. Sparse tensors (embedding tables and linear-term weights) are
 * updated only on the rows the batch touched, as PyTorch's {@code SparseAdam} and TensorFlow's
 * {@code LazyAdam} do: a row's moments and weight decay advance only on steps that use the row, while the
 * step counter t in Adam's bias correction is global. A row seen rarely therefore keeps its moments from
 * its last use instead of decaying them every step; that is what keeps a step's cost proportional to the
 * batch rather than to the vocabulary.
 */
public sealed interface Optimizer permits Adam, Adagrad, RmsProp, Sgd {

    /**
     * A short description with the hyper-parameters, for logs and manifests; a checkpoint records it, and
     * resuming requires the same description.
     */
    @Override
    String toString();
}
