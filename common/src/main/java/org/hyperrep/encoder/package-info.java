/**
 * The hyper-representation model (docs/method.md) as one DL4J {@code ComputationGraph}:
 * {@link org.hyperrep.encoder.HyperRepresentationModel} builds it from a weight layout and an
 * {@link org.hyperrep.encoder.EncoderSpec}; {@link org.hyperrep.encoder.TwoViewBatch} makes its training
 * minibatches; {@link org.hyperrep.encoder.NtXentLoss} is the contrastive loss.
 *
 * <p>Design notes, each one a fact about DL4J 1.0.0-M2.1 found while building this package:
 * <ul>
 *   <li>The encoder pieces are hand-written layers with explicit forward and backward passes
 *       ({@link org.hyperrep.encoder.TokenLayerConf}, {@code TokenLayerRuntime}): SameDiff-based layers return
 *       exactly twice the true gradient (parameters and input gradient), and the built-in attention layers fail
 *       gradient checks. Double-precision gradient checks in the tests cover every layer.</li>
 *   <li>Token sequences travel between layers as feed-forward activations [batch, L·dModel] (c-order
 *       [batch, L, dModel]): reshapes are free and DL4J inserts no preprocessors.</li>
 *   <li>Parameter keys contain no underscore: DL4J's updater splits "vertex_param" at the last one.</li>
 *   <li>Configuration fields carry the shaded {@code @JsonProperty}: DL4J's JSON otherwise drops them.</li>
 *   <li>Vertices are inserted in topological order, so that {@code paramTable()} follows the flat parameter
 *       layout (GradientCheckUtil and any name-to-index mapping depend on it).</li>
 *   <li>Weight decay is set per layer: the global builder option applies it twice.</li>
 * </ul>
 */
package org.hyperrep.encoder;
