/**
 * The AutoInt / AutoInt+ model: configuration, parameters, layers with hand-written backward passes,
 * losses, the thread-safe {@link dev.autoint.core.model.Predictor} and model files.
 *
 * <h2>Symbols used in shape comments</h2>
 * <ul>
 *   <li>{@code B}: samples in a batch; {@code n}: samples in a chunk (a slice of the batch processed
 *       through the whole network at once so that its activations stay in cache);
 *       {@code ld}: the distance between two consecutive rows of samples (one feature of one field), the
 *       workspace's capacity rounded up to 32 plus 16 floats, so that consecutive rows fall into
 *       different L1 sets.</li>
 *   <li>{@code F}: fields; {@code D}: embedding size; {@code H}: heads; {@code Dh}: head width;
 *       {@code A = H·Dh}: attention output width per field; {@code U_i}: units of DNN layer i.</li>
 * </ul>
 * Activations use a feature-major lane ("sample-minor") layout: a buffer commented {@code (D, F, n)}
 * holds feature d of field f of sample s at {@code (d*F + f)*ld + s}. Every per-sample operation then
 * vectorises across samples, and a projection of every field is one matrix product
 * {@code (P, D)·(D, F·ld)}. Weights are row-major {@code (out, in)}, as PyTorch's {@code nn.Linear} stores
 * them; the two matrices that read a flattened embedding keep the canonical field-major column order in
 * files and are permuted on the fly ({@code FeatureMajor}).
 */
package dev.autoint.core.model;

