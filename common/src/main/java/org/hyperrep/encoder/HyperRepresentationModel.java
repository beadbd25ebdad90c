package org.hyperrep.encoder;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.hyperrep.weights.LayerLayout;
import org.hyperrep.weights.WeightLayout;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Builds the hyper-representation model (docs/method.md) as one DL4J {@link ComputationGraph}:
 * <pre>
 *   weights [b, P] → NeuronTokenEmbedding → CompressionToken → PositionEmbedding → N × TransformerBlock
 *     → position 0 → Dense(dModel → latent, tanh) = "embedding" z
 *   z → Dense(latent → T·dModel) → PositionEmbedding → N × TransformerBlock → TokenDebedding → [b, P]
 *     = "reconstruction", loss (1−γ)·MSE (optionally per-layer 1/std² column weights)
 *   z → [Dense → BatchNorm → ReLU]* → Dense = "projection", loss γ·NT-Xent(τ)
 * </pre>
 * With {@code spec.standardizeInputs()} a fixed {@link WeightStandardization} comes first and its inverse after the
 * debedding; with a readout other than the compression token a {@link TokenReadout} replaces the position-0 subset.
 * γ = 0 builds no projection head, γ = 1 no decoder. The input of a training step is [view 1 rows; view 2 rows]
 * (see {@link TwoViewBatch}); the embedding of weights is read with {@link #embed}.
 *
 * <p>A plain MLP auto-encoder on the flat vector with the same inputs, outputs and losses is the ablation
 * baseline ({@link #buildMlp}).
 */
public final class HyperRepresentationModel {
    /** Name of the graph's input: a batch of canonical weight vectors [batch, P]. */
    public static final String INPUT = "weights";
    /** Name of the layer whose activations are the embedding z [batch, latentDim]. */
    public static final String EMBEDDING = "embedding";
    /** Name of the reconstruction output [batch, P] (present when γ < 1). */
    public static final String RECONSTRUCTION = "reconstruction";
    /** Name of the projection output on which NT-Xent is computed (present when γ > 0). */
    public static final String PROJECTION = "projection";

    /** Init std of the encoder's position embeddings (see {@link PositionEmbedding}). */
    static final double ENCODER_POSITION_STD = 0.3;
    /** Init std of the decoder's position embeddings. */
    static final double DECODER_POSITION_STD = 0.02;

    private HyperRepresentationModel() { }

    /** The transformer model, initialised, float precision, Adam(lr) with the spec's weight decay. */
    public static ComputationGraph build(WeightLayout layout, EncoderSpec spec) {
        return build(layout, spec, (LayerStatistics) null);
    }

    /**
     * As {@link #build(WeightLayout, EncoderSpec)}, with the per-layer standard deviations of the training weights
     * (see {@link #layerStd}) that {@code spec.normalizeReconstructionPerLayer()} needs; ignored otherwise.
     */
    public static ComputationGraph build(WeightLayout layout, EncoderSpec spec, double[] layerStd) {
        return build(layout, spec, LayerStatistics.ofStd(layerStd));
    }

    /**
     * As {@link #build(WeightLayout, EncoderSpec)}, with the per-layer statistics of the training weights
     * ({@link LayerStatistics#of}) that {@code spec.needsLayerStatistics()} asks for; ignored otherwise.
     */
    public static ComputationGraph build(WeightLayout layout, EncoderSpec spec, LayerStatistics stats) {
        return init(configuration(layout, spec, stats, DataType.FLOAT, adam(spec)));
    }

    /** The MLP auto-encoder baseline, initialised: Dense+ReLU encoder of the given widths, tanh latent, mirrored decoder. */
    public static ComputationGraph buildMlp(WeightLayout layout, EncoderSpec spec, double[] layerStd, int... hidden) {
        return buildMlp(layout, spec, LayerStatistics.ofStd(layerStd), hidden);
    }

    /** As {@link #buildMlp(WeightLayout, EncoderSpec, double[], int...)} with the training weights' statistics. */
    public static ComputationGraph buildMlp(WeightLayout layout, EncoderSpec spec, LayerStatistics stats, int... hidden) {
        return init(mlpConfiguration(layout, spec, stats, hidden, DataType.FLOAT, adam(spec)));
    }

    /** Output names of a graph built from this spec, in the order of a training {@code MultiDataSet}'s labels. */
    public static List<String> outputs(EncoderSpec spec) {
        List<String> out = new ArrayList<>();
        if (spec.hasReconstruction()) out.add(RECONSTRUCTION);
        if (spec.hasContrastive()) out.add(PROJECTION);
        return out;
    }

    /**
     * The transformer model's configuration with an explicit data type and updater (tests use DOUBLE and NoOp for
     * gradient checks).
     */
    public static ComputationGraphConfiguration configuration(WeightLayout layout, EncoderSpec spec,
                                                              double[] layerStd, DataType dataType,
                                                              IUpdater updater) {
        return configuration(layout, spec, LayerStatistics.ofStd(layerStd), dataType, updater);
    }

    /** The transformer model's configuration with the training weights' statistics, a data type and an updater. */
    public static ComputationGraphConfiguration configuration(WeightLayout layout, EncoderSpec spec,
                                                              LayerStatistics stats, DataType dataType,
                                                              IUpdater updater) {
        int d = spec.dModel();
        int tokens = layout.tokenCount();
        ComputationGraphConfiguration.GraphBuilder g = base(spec, dataType, updater).graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.feedForward(layout.size()));

        String prev = "tokens";
        g.addLayer(prev, new NeuronTokenEmbedding(layout, d), standardizedInput(g, layout, spec, stats));
        g.addLayer("compression_token", new CompressionToken(tokens, d), prev);
        g.addLayer("encoder_positions", new PositionEmbedding(tokens + 1, d, ENCODER_POSITION_STD), "compression_token");
        prev = "encoder_positions";
        for (int i = 0; i < spec.blocks(); i++) {
            String name = "encoder_block_" + i;
            g.addLayer(name, new TransformerBlock(tokens + 1, d, spec.heads(), spec.ffDim(), spec.dropout()), prev);
            prev = name;
        }
        if (spec.readout().equals(TokenReadout.COMPRESSION)) {
            g.addVertex("compression_readout", new SubsetVertex(0, d - 1), prev);
            g.addLayer(EMBEDDING, dense(d, spec.latentDim(), Activation.TANH), "compression_readout");
        } else {
            TokenReadout readout = new TokenReadout(tokens, d, spec.readout());
            g.addLayer("token_readout", readout, prev);
            g.addLayer(EMBEDDING, dense(readout.outputSize(), spec.latentDim(), Activation.TANH), "token_readout");
        }

        if (spec.hasReconstruction()) {
            g.addLayer("decoder_input", dense(spec.latentDim(), (long) tokens * d, Activation.IDENTITY), EMBEDDING);
            // follows docs/method.md; added to a Dense output it acts as a second bias (T·dModel redundant parameters),
            // so it starts small (PositionEmbedding says why)
            g.addLayer("decoder_positions", new PositionEmbedding(tokens, d, DECODER_POSITION_STD), "decoder_input");
            prev = "decoder_positions";
            for (int i = 0; i < spec.blocks(); i++) {
                String name = "decoder_block_" + i;
                g.addLayer(name, new TransformerBlock(tokens, d, spec.heads(), spec.ffDim(), spec.dropout()), prev);
                prev = name;
            }
            g.addLayer("debedding", new TokenDebedding(layout, d), prev);
            addReconstructionLoss(g, layout, spec, stats, "debedding");
        }
        if (spec.hasContrastive()) addProjectionHead(g, spec, spec.latentDim());
        g.setOutputs(outputs(spec).toArray(String[]::new));
        return inTopologicalOrder(withWeightDecay(g.build(), spec));
    }

    /** The MLP baseline's configuration with an explicit data type and updater. */
    public static ComputationGraphConfiguration mlpConfiguration(WeightLayout layout, EncoderSpec spec,
                                                                 double[] layerStd, int[] hidden, DataType dataType,
                                                                 IUpdater updater) {
        return mlpConfiguration(layout, spec, LayerStatistics.ofStd(layerStd), hidden, dataType, updater);
    }

    /** The MLP baseline's configuration with the training weights' statistics. */
    public static ComputationGraphConfiguration mlpConfiguration(WeightLayout layout, EncoderSpec spec,
                                                                 LayerStatistics stats, int[] hidden, DataType dataType,
                                                                 IUpdater updater) {
        ComputationGraphConfiguration.GraphBuilder g = base(spec, dataType, updater).graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.feedForward(layout.size()));
        // Dropout (when the spec has it) acts on the input of every layer that reads a hidden ReLU layer.
        double p = spec.dropout();
        String prev = standardizedInput(g, layout, spec, stats);
        long width = layout.size();
        for (int i = 0; i < hidden.length; i++) {
            String name = "encoder_dense_" + i;
            g.addLayer(name, dense(width, hidden[i], Activation.RELU, i > 0 ? p : 0), prev);
            prev = name;
            width = hidden[i];
        }
        g.addLayer(EMBEDDING, dense(width, spec.latentDim(), Activation.TANH, hidden.length > 0 ? p : 0), prev);
        if (spec.hasReconstruction()) {
            prev = EMBEDDING;
            width = spec.latentDim();
            for (int i = hidden.length - 1; i >= 0; i--) {
                String name = "decoder_dense_" + (hidden.length - 1 - i);
                g.addLayer(name, dense(width, hidden[i], Activation.RELU, i < hidden.length - 1 ? p : 0), prev);
                prev = name;
                width = hidden[i];
            }
            g.addLayer("decoder_output", dense(width, layout.size(), Activation.IDENTITY, hidden.length > 0 ? p : 0), prev);
            addReconstructionLoss(g, layout, spec, stats, "decoder_output");
        }
        if (spec.hasContrastive()) addProjectionHead(g, spec, spec.latentDim());
        g.setOutputs(outputs(spec).toArray(String[]::new));
        return inTopologicalOrder(withWeightDecay(g.build(), spec));
    }

    /**
     * Per-layer standard deviation of the canonical vectors' entries (weights and bias of each layer together,
     * over all rows), for {@code normalizeReconstructionPerLayer}. Compute it on the training split.
     */
    public static double[] layerStd(WeightLayout layout, INDArray weights) {
        if (weights.rank() != 2 || weights.size(1) != layout.size()) {
            throw new IllegalArgumentException("expected [rows, " + layout.size() + "] weights");
        }
        double[] std = new double[layout.layers().size()];
        for (int l = 0; l < std.length; l++) {
            LayerLayout ll = layout.layers().get(l);
            INDArray cols = weights.get(NDArrayIndex.all(), NDArrayIndex.interval(ll.offset(), ll.end()))
                    .castTo(DataType.DOUBLE);
            std[l] = cols.stdNumber().doubleValue();
        }
        return std;
    }

    /**
     * Column weights of the reconstruction loss: (1−γ) for every column, divided by std_l² of the column's layer
     * when the spec normalises per layer. LossMSE averages over columns, so with unit stds the loss is
     * (1−γ)·MSE.
     */
    public static double[] reconstructionWeights(WeightLayout layout, EncoderSpec spec, double[] layerStd) {
        return reconstructionWeights(layout, spec, LayerStatistics.ofStd(layerStd));
    }

    /**
     * Column weights of the reconstruction loss: (1−γ), divided by std_l² when the spec normalises per layer or
     * standardizes its inputs (then the error is measured in standardized units).
     */
    public static double[] reconstructionWeights(WeightLayout layout, EncoderSpec spec, LayerStatistics stats) {
        double[] layerStd = stats == null ? null : stats.std();
        double[] w = new double[layout.size()];
        for (int l = 0; l < layout.layers().size(); l++) {
            LayerLayout ll = layout.layers().get(l);
            double scale = 1 - spec.gamma();
            if (spec.needsLayerStatistics()) {
                if (layerStd == null || layerStd.length != layout.layers().size()) {
                    throw new IllegalArgumentException("normalizeReconstructionPerLayer and standardizeInputs need one"
                            + " std per layer (" + layout.layers().size() + "); use LayerStatistics.of on the training weights");
                }
                if (!(layerStd[l] > 0)) throw new IllegalArgumentException("std of layer " + ll.name() + " is " + layerStd[l]);
                scale /= layerStd[l] * layerStd[l];
            }
            for (int c = ll.offset(); c < ll.end(); c++) w[c] = scale;
        }
        return w;
    }

    /** The embedding z [rows, latentDim] of canonical weight vectors [rows, P] (inference mode, no augmentation). */
    public static INDArray embed(ComputationGraph graph, INDArray weights) {
        return graph.output(List.of(EMBEDDING), false, new INDArray[]{weights}, null)[0];
    }

    /**
     * Decoupled weight decay (applied with the learning rate, as AdamW) on the weight matrices of every layer, none
     * on biases; set per layer because the global builder option is applied twice (see {@link #base}).
     */
    private static ComputationGraphConfiguration withWeightDecay(ComputationGraphConfiguration conf, EncoderSpec spec) {
        for (GraphVertex v : conf.getVertices().values()) {
            if (v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BaseLayer bl) {
                List<Regularization> weights = new ArrayList<>();
                if (spec.weightDecay() > 0) weights.add(new WeightDecay(spec.weightDecay(), true));
                bl.setRegularization(weights);
                bl.setRegularizationBias(new ArrayList<>());
            }
        }
        return conf;
    }

    /**
     * Re-inserts the configuration's vertices in DL4J's topological order. DL4J lays out the flat parameter vector
     * in topological order but lists {@code ComputationGraph.paramTable()} in insertion order; in a graph that
     * branches (decoder and projection head both read z) the two differ, and everything that maps flat indices to
     * parameter names by walking the table — {@code GradientCheckUtil}'s names and {@code excludeParams} among
     * them — silently points at the wrong parameters. With the vertices in topological order they coincide.
     */
    static ComputationGraphConfiguration inTopologicalOrder(ComputationGraphConfiguration conf) {
        for (int attempt = 0; attempt < 3; attempt++) {
            conf.setTopologicalOrder(null);
            conf.setTopologicalOrderStr(null);
            int inputs = conf.getNetworkInputs().size();
            int[] order = new ComputationGraph(conf).topologicalSortOrder();
            List<String> names = new ArrayList<>(conf.getNetworkInputs());
            names.addAll(conf.getVertices().keySet());
            boolean aligned = true;
            for (int i = 0; i < order.length; i++) aligned &= order[i] == i;
            if (aligned) return conf;
            LinkedHashMap<String, GraphVertex> sorted = new LinkedHashMap<>();
            for (int index : order) {
                if (index >= inputs) sorted.put(names.get(index), conf.getVertices().get(names.get(index)));
            }
            conf.setVertices(sorted);
        }
        throw new IllegalStateException("could not align the vertex order of the graph with its topological order");
    }

    private static ComputationGraph init(ComputationGraphConfiguration conf) {
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static IUpdater adam(EncoderSpec spec) { return new Adam(spec.learningRate()); }

    private static NeuralNetConfiguration.Builder base(EncoderSpec spec, DataType dataType, IUpdater updater) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
                .seed(spec.seed())
                .dataType(dataType)
                .updater(updater)
                .weightInit(WeightInit.XAVIER)
                .activation(Activation.IDENTITY);
        // no global .weightDecay(): on DL4J 1.0.0-M2.1 it puts the WeightDecay into every layer twice, which decays
        // at twice the configured rate; withWeightDecay sets it per layer instead
        return b;
    }

    private static DenseLayer dense(long nIn, long nOut, Activation activation) {
        return dense(nIn, nOut, activation, 0);
    }

    /** A dense layer; a drop probability > 0 drops its input units in training. */
    private static DenseLayer dense(long nIn, long nOut, Activation activation, double dropProbability) {
        DenseLayer.Builder b = new DenseLayer.Builder().nIn(nIn).nOut(nOut).activation(activation);
        if (dropProbability > 0) b.dropOut(new Dropout(1 - dropProbability));   // DL4J takes the retain probability
        return b.build();
    }

    /** The input standardization layer when the spec asks for it (its name, else the graph's input). */
    private static String standardizedInput(ComputationGraphConfiguration.GraphBuilder g, WeightLayout layout,
                                            EncoderSpec spec, LayerStatistics stats) {
        if (!spec.standardizeInputs()) return INPUT;
        requireStatistics(layout, stats);
        g.addLayer("standardize", new WeightStandardization(layout, stats.mean(), stats.std(), false), INPUT);
        return "standardize";
    }

    private static void requireStatistics(WeightLayout layout, LayerStatistics stats) {
        if (stats == null || stats.mean() == null || stats.std().length != layout.layers().size()) {
            throw new IllegalArgumentException("standardizeInputs needs the mean and std of every layer ("
                    + layout.layers().size() + "); use LayerStatistics.of on the training weights");
        }
    }

    private static void addReconstructionLoss(ComputationGraphConfiguration.GraphBuilder g, WeightLayout layout,
                                              EncoderSpec spec, LayerStatistics stats, String input) {
        if (spec.standardizeInputs()) {
            requireStatistics(layout, stats);
            g.addLayer("destandardize", new WeightStandardization(layout, stats.mean(), stats.std(), true), input);
            input = "destandardize";
        }
        INDArray weights = Nd4j.createFromArray(reconstructionWeights(layout, spec, stats)).reshape(1, layout.size());
        g.addLayer(RECONSTRUCTION, new LossLayer.Builder(new LossMSE(weights)).activation(Activation.IDENTITY).build(),
                input);
    }

    private static void addProjectionHead(ComputationGraphConfiguration.GraphBuilder g, EncoderSpec spec, long width) {
        NtXentLoss loss = new NtXentLoss(spec.tau(), spec.gamma());
        List<Integer> sizes = spec.projection();
        if (sizes.isEmpty()) {
            g.addLayer(PROJECTION, new LossLayer.Builder(loss).activation(Activation.IDENTITY).build(), EMBEDDING);
            return;
        }
        String prev = EMBEDDING;
        for (int i = 0; i < sizes.size() - 1; i++) {
            g.addLayer("projection_dense_" + i, dense(width, sizes.get(i), Activation.IDENTITY), prev);
            g.addLayer("projection_bn_" + i, new BatchNormalization.Builder().nIn(sizes.get(i)).nOut(sizes.get(i)).build(),
                    "projection_dense_" + i);
            g.addLayer("projection_relu_" + i, new ActivationLayer.Builder().activation(Activation.RELU).build(),
                    "projection_bn_" + i);
            prev = "projection_relu_" + i;
            width = sizes.get(i);
        }
        g.addLayer(PROJECTION, new OutputLayer.Builder(loss).nIn(width).nOut(sizes.get(sizes.size() - 1))
                .activation(Activation.IDENTITY).build(), prev);
    }
}
