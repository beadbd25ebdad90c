package org.hyperrep.encoder;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.hyperrep.weights.WeightLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Double-precision gradient checks of every hand-written layer on its own, behind a trainable tanh Dense layer so
 * that the gradient each layer passes to its input is checked too (through that Dense layer's weights); and of
 * the small whole graphs that are cheap to check: per-layer-normalised reconstruction with NT-Xent on z, and the
 * MLP baseline. The transformer graph with both losses has its own class ({@link FullGraphGradientCheckTest}).
 */
class EncoderGradientCheckTest {
    static final double MAX_REPORTED_REL_ERROR = 1e-4;
    private static final List<String> REPORT = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        Nd4jTestThreads.set(1);
    }

    @AfterAll
    static void printReport() {
        System.out.println("=== gradient checks (double, central differences, eps " + GradientChecks.EPSILON + ") ===");
        REPORT.forEach(System.out::println);
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Nd4jTestThreads.set(2);
    }

    /** input [b, 2] → Dense(2 → in, tanh) → layer → LossLayer(MSE) against random targets. */
    private static ComputationGraph minimal(TokenLayerConf layer) {
        long in = layer.inputSize();
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("in").setInputTypes(InputType.feedForward(2))
                .addLayer("pre", new DenseLayer.Builder().nIn(2).nOut(in).activation(Activation.TANH).build(), "in")
                .addLayer("layer", layer, "pre")
                .addLayer("loss", new LossLayer.Builder(new LossMSE()).activation(Activation.IDENTITY).build(), "layer")
                .setOutputs("loss")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        perturb(g);
        return g;
    }

    /** Non-trivial values for parameters that start at 0 or 1 (biases, layer-norm gains). */
    static void perturb(ComputationGraph g) {
        g.params().addi(Nd4j.randn(DataType.DOUBLE, g.params().shape()).muli(0.1));
    }

    static GradientChecks.Report check(String name, ComputationGraph g, INDArray[] in, INDArray[] labels,
                                       Set<String> exclude, Long seedEachIter, int ownStride) {
        return check(name, g, in, labels, exclude, seedEachIter, ownStride, GradientChecks.MIN_ABS_ERROR);
    }

    static GradientChecks.Report check(String name, ComputationGraph g, INDArray[] in, INDArray[] labels,
                                       Set<String> exclude, Long seedEachIter, int ownStride, double minAbsError) {
        GradientChecks.Report r = GradientChecks.ownCheck(name, g, in, labels, exclude, seedEachIter, ownStride);
        System.out.println(r);
        assertTrue(GradientChecks.dl4jCheck(g, in, labels, exclude, seedEachIter, minAbsError),
                "GradientCheckUtil failed for " + name + "; own check: " + r);
        assertTrue(r.maxRelError() < MAX_REPORTED_REL_ERROR, r.toString());
        return r;
    }

    private static void checkMinimal(String name, TokenLayerConf layer, Long seedEachIter) {
        ComputationGraph g = minimal(layer);
        int batch = 3;
        INDArray in = Nd4j.randn(DataType.DOUBLE, batch, 2).muli(2);
        INDArray target = Nd4j.randn(DataType.DOUBLE, batch, layer.outputSize());
        REPORT.add(check(name, g, new INDArray[]{in}, new INDArray[]{target}, Set.of(), seedEachIter, 1).toString());
    }

    @Test
    void neuronTokenEmbedding() {
        checkMinimal("NeuronTokenEmbedding (layout with biases, d 4)", new NeuronTokenEmbedding(EncoderFixtures.smallWithBias(), 4), null);
        checkMinimal("NeuronTokenEmbedding (tetris-mlp, d 3)", new NeuronTokenEmbedding(EncoderFixtures.tetris(), 3), null);
    }

    @Test
    void tokenDebedding() {
        checkMinimal("TokenDebedding (layout with biases, d 4)", new TokenDebedding(EncoderFixtures.smallWithBias(), 4), null);
    }

    @Test
    void compressionTokenAndPositions() {
        checkMinimal("CompressionToken (T 3, d 4)", new CompressionToken(3, 4), null);
        checkMinimal("PositionEmbedding (L 3, d 4)", new PositionEmbedding(3, 4, 1.0), null);
    }

    @Test
    void transformerBlock() {
        checkMinimal("TransformerBlock (L 4, d 8, 2 heads, FF 16)", new TransformerBlock(4, 8, 2, 16, 0.0), null);
    }

    @Test
    void transformerBlockWithDropout() {
        // the same dropout masks in every pass: the RNG is reset before each forward pass
        checkMinimal("TransformerBlock, dropout 0.3 (RNG reset per pass)", new TransformerBlock(4, 8, 2, 16, 0.3), 99L);
    }

    @Test
    void weightStandardizationAndItsInverse() {
        WeightLayout layout = EncoderFixtures.smallWithBias();
        double[] mean = {0.1, -0.3}, std = {0.5, 2.0};
        checkMinimal("WeightStandardization (2 layers)", new WeightStandardization(layout, mean, std, false), null);
        checkMinimal("WeightStandardization, inverse", new WeightStandardization(layout, mean, std, true), null);
    }

    @Test
    void tokenReadouts() {
        checkMinimal("TokenReadout token-mean (T 3, d 4)", new TokenReadout(3, 4, TokenReadout.MEAN), null);
        checkMinimal("TokenReadout both (T 3, d 4)", new TokenReadout(3, 4, TokenReadout.BOTH), null);
    }

    @Test
    void graphWithStandardizedInputsAndBothReadouts() {
        WeightLayout layout = EncoderFixtures.smallWithBias();
        EncoderSpec spec = new EncoderSpec(8, 2, 0, 16, 4, 0.0, List.of(), 0.3, 0.5, true, 3, 1e-3, 0.0,
                true, TokenReadout.BOTH);
        LayerStatistics stats = new LayerStatistics(new double[]{0.2, -0.1}, new double[]{0.5, 2.0});
        ComputationGraph g = new ComputationGraph(HyperRepresentationModel.configuration(layout, spec, stats,
                DataType.DOUBLE, new NoOp()));
        g.init();
        perturb(g);
        INDArray v1 = Nd4j.randn(DataType.DOUBLE, 2, layout.size());
        INDArray v2 = v1.add(Nd4j.randn(DataType.DOUBLE, 2, layout.size()).muli(0.1));
        MultiDataSet mds = TwoViewBatch.of(v1, v2, new long[]{1, 2}, spec);
        REPORT.add(check("graph without blocks, standardized inputs, readout both, per-layer MSE, NT-Xent", g,
                mds.getFeatures(), mds.getLabels(), Set.of(), null, 1).toString());
    }

    @Test
    void graphWithPerLayerNormalisedReconstructionAndNtXentOnZ() {
        WeightLayout layout = EncoderFixtures.smallWithBias();
        // no blocks: the blocks are checked above; this checks the wiring, the column weights and NT-Xent on z
        EncoderSpec spec = new EncoderSpec(8, 2, 0, 16, 4, 0.0, List.of(), 0.3, 0.5, true, 3, 1e-3, 0.0);
        ComputationGraph g = new ComputationGraph(HyperRepresentationModel.configuration(layout, spec,
                new double[]{0.5, 2.0}, DataType.DOUBLE, new NoOp()));
        g.init();
        perturb(g);
        INDArray v1 = Nd4j.randn(DataType.DOUBLE, 2, layout.size());
        INDArray v2 = v1.add(Nd4j.randn(DataType.DOUBLE, 2, layout.size()).muli(0.1));
        MultiDataSet mds = TwoViewBatch.of(v1, v2, new long[]{1, 2}, spec);
        REPORT.add(check("graph without blocks, gamma 0.3, per-layer normalised MSE, NT-Xent on z", g,
                mds.getFeatures(), mds.getLabels(), Set.of(), null, 1).toString());
    }

    @Test
    void mlpBaseline() {
        WeightLayout layout = EncoderFixtures.smallWithBias();
        EncoderSpec spec = EncoderFixtures.tiny(0.5);
        ComputationGraph g = new ComputationGraph(HyperRepresentationModel.mlpConfiguration(layout, spec, (LayerStatistics) null,
                new int[]{6}, DataType.DOUBLE, new NoOp()));
        g.init();
        INDArray v1 = Nd4j.randn(DataType.DOUBLE, 3, layout.size());
        INDArray v2 = v1.add(Nd4j.randn(DataType.DOUBLE, 3, layout.size()).muli(0.1));
        MultiDataSet mds = TwoViewBatch.of(v1, v2, new long[]{5, 6, 7}, spec);
        REPORT.add(check("MLP baseline, gamma 0.5", g, mds.getFeatures(), mds.getLabels(),
                Set.of("projection_bn_0_mean", "projection_bn_0_log10stdev"), null, 1).toString());
    }
}
