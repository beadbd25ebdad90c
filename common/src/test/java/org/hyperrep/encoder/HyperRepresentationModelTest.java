package org.hyperrep.encoder;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.hyperrep.weights.WeightLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.WeightDecay;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HyperRepresentationModelTest {

    @BeforeAll
    static void floats() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Nd4jTestThreads.set(1);
    }

    private static MultiDataSet twoNoisyViews(INDArray models, double noise, EncoderSpec spec, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray v1 = models.add(Nd4j.randn(DataType.FLOAT, models.shape()).muli(noise));
        INDArray v2 = models.add(Nd4j.randn(DataType.FLOAT, models.shape()).muli(noise));
        long[] keys = new long[(int) models.size(0)];
        for (int i = 0; i < keys.length; i++) keys[i] = 100 + i;
        return TwoViewBatch.of(v1, v2, keys, spec);
    }

    @Test
    void parameterCountOfTheTinySpecByHand() {
        // tetris-mlp: T = 9 tokens (5 of width 16, 4 of width 5); d 8, 1+1 blocks, FF 16, latent 4, head [8, 4]
        int d = 8, ff = 16, latent = 4, tokens = 9;
        int embedding = (16 * d + d) + (5 * d + d);                       // one linear map per zoo layer
        int compressionToken = d;
        int encoderPositions = (tokens + 1) * d;
        int block = 2 * d + (d * 3 * d + 3 * d) + (d * d + d) + 2 * d + (d * ff + ff) + (ff * d + d);
        int readout = d * latent + latent;
        int decoderInput = latent * tokens * d + tokens * d;
        int decoderPositions = tokens * d;
        int debedding = (d * 16 + 16) + (d * 5 + 5);
        int head = (latent * 8 + 8) + 4 * 8 /* batch norm: gamma, beta, mean, log-std */ + (8 * 4 + 4);
        int expected = embedding + compressionToken + encoderPositions + block + readout + decoderInput
                + decoderPositions + block + debedding + head;
        assertEquals(2237, expected);
        assertEquals(expected, HyperRepresentationModel.build(EncoderFixtures.tetris(), EncoderFixtures.tiny(0.5)).numParams());
        // γ = 0: no head; γ = 1: no decoder
        assertEquals(expected - head, HyperRepresentationModel.build(EncoderFixtures.tetris(), EncoderFixtures.tiny(0)).numParams());
        assertEquals(expected - decoderInput - decoderPositions - block - debedding,
                HyperRepresentationModel.build(EncoderFixtures.tetris(), EncoderFixtures.tiny(1)).numParams());
    }

    @Test
    void parameterTableFollowsTheFlatParameterOrder() {
        // GradientCheckUtil and every other name <-> flat-index mapping rely on this (see inTopologicalOrder)
        for (ComputationGraph g : List.of(
                HyperRepresentationModel.build(EncoderFixtures.tetris(), EncoderFixtures.tiny(0.5)),
                HyperRepresentationModel.buildMlp(EncoderFixtures.tetris(), EncoderFixtures.tiny(0.5), (LayerStatistics) null, 12, 6))) {
            g.params().assign(Nd4j.arange(g.numParams()).castTo(DataType.FLOAT).reshape(g.params().shape()));
            long offset = 0;
            for (var e : g.paramTable().entrySet()) {
                assertEquals(offset, (long) e.getValue().getDouble(0), e.getKey());
                offset += e.getValue().length();
            }
        }
    }

    @Test
    void outputsFollowGamma() {
        WeightLayout layout = EncoderFixtures.tetris();
        assertEquals(List.of(HyperRepresentationModel.RECONSTRUCTION, HyperRepresentationModel.PROJECTION),
                HyperRepresentationModel.outputs(EncoderFixtures.tiny(0.5)));
        ComputationGraph reconstructionOnly = HyperRepresentationModel.build(layout, EncoderFixtures.tiny(0));
        assertEquals(List.of(HyperRepresentationModel.RECONSTRUCTION), reconstructionOnly.getConfiguration().getNetworkOutputs());
        assertNull(reconstructionOnly.getVertex(HyperRepresentationModel.PROJECTION));
        ComputationGraph contrastiveOnly = HyperRepresentationModel.build(layout, EncoderFixtures.tiny(1));
        assertEquals(List.of(HyperRepresentationModel.PROJECTION), contrastiveOnly.getConfiguration().getNetworkOutputs());
        assertNull(contrastiveOnly.getVertex("debedding"));

        INDArray x = Nd4j.rand(DataType.FLOAT, 5, layout.size());
        INDArray[] out = HyperRepresentationModel.build(layout, EncoderFixtures.tiny(0.5)).output(x);
        assertArrayEquals(new long[]{5, layout.size()}, out[0].shape());
        assertArrayEquals(new long[]{5, 4}, out[1].shape());
    }

    @Test
    void embeddingIsReadableByNameAndBounded() {
        WeightLayout layout = EncoderFixtures.cnnS();
        ComputationGraph g = HyperRepresentationModel.build(layout, EncoderFixtures.tiny(0.5));
        trainedLike(g);
        INDArray x = Nd4j.randn(DataType.FLOAT, 4, layout.size()).muli(0.2);
        INDArray z = HyperRepresentationModel.embed(g, x);
        assertArrayEquals(new long[]{4, 4}, z.shape());
        assertEquals(z, g.feedForward(x, false).get(HyperRepresentationModel.EMBEDDING));
        assertTrue(z.amaxNumber().doubleValue() < 1, "tanh embedding");
        assertNotEquals(z.getRow(0), z.getRow(1));
    }

    /** Non-zero residual-branch outputs, as after training (new blocks are the identity). */
    private static void trainedLike(ComputationGraph g) {
        g.params().addi(Nd4j.randn(g.params().dataType(), g.params().shape()).muli(0.1));
    }

    @Test
    void newBlocksAreTheIdentityAndTheBottleneckStartsUnsaturated() {
        WeightLayout layout = EncoderFixtures.tetris();
        ComputationGraph g = HyperRepresentationModel.build(layout, EncoderFixtures.tiny(0));
        INDArray x = Nd4j.randn(DataType.FLOAT, 8, layout.size()).muli(0.3);
        var acts = g.feedForward(x, false);
        assertEquals(acts.get("encoder_positions"), acts.get("encoder_block_0"));
        assertEquals(acts.get("decoder_positions"), acts.get("decoder_block_0"));
        // the residual branches' output projections start at zero: no sample-independent offsets that saturate tanh
        assertTrue(acts.get(HyperRepresentationModel.EMBEDDING).amaxNumber().doubleValue() < 0.9,
                "tanh bottleneck at init: " + acts.get(HyperRepresentationModel.EMBEDDING));
    }

    @Test
    void dropoutOnlyInTraining() {
        WeightLayout layout = EncoderFixtures.tetris();
        ComputationGraph g = HyperRepresentationModel.build(layout, EncoderFixtures.tiny(0).withDropout(0.5));
        trainedLike(g);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, layout.size());
        assertEquals(g.output(false, x)[0], g.output(false, x)[0]);
        assertNotEquals(g.output(true, x)[0], g.output(true, x)[0]);
    }

    @Test
    void saveAndLoadGiveIdenticalOutputsAndTraining(@TempDir Path dir) throws Exception {
        WeightLayout layout = EncoderFixtures.tetris();
        EncoderSpec spec = EncoderFixtures.tiny(0.5).withDropout(0.1);
        ComputationGraph g = HyperRepresentationModel.build(layout, spec);
        MultiDataSet batch = twoNoisyViews(Nd4j.rand(DataType.FLOAT, 4, layout.size()), 0.05, spec, 1);
        g.fit(batch);                                     // non-trivial Adam state and batch-norm statistics

        File file = dir.resolve("encoder.zip").toFile();
        ModelSerializer.writeModel(g, file, true);
        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(file, true);

        assertEquals(g.getConfiguration(), loaded.getConfiguration());
        INDArray x = batch.getFeatures(0);
        INDArray[] a = g.output(x);
        INDArray[] b = loaded.output(x);
        for (int i = 0; i < a.length; i++) assertBitwiseEqual(a[i], b[i], "output " + i);
        assertBitwiseEqual(HyperRepresentationModel.embed(g, x), HyperRepresentationModel.embed(loaded, x), "embedding");
        // clone() (which Spark training and scoring rely on) copies the hand-written layers too
        assertBitwiseEqual(a[0], g.clone().output(x)[0], "output of a clone");

        // the updater state travels too: one more identical step (same dropout masks) gives identical parameters
        Nd4j.getRandom().setSeed(5);
        g.fit(batch);
        Nd4j.getRandom().setSeed(5);
        loaded.fit(batch);
        assertBitwiseEqual(g.params(), loaded.params(), "parameters after one more step");
    }

    private static void assertBitwiseEqual(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        assertArrayEquals(expected.dup().data().asFloat(), actual.dup().data().asFloat(), what);   // exact, no tolerance
    }

    @Test
    void configurationJsonRoundTrip() {
        EncoderSpec spec = new EncoderSpec(16, 4, 2, 32, 8, 0.1, List.of(20, 10), 0.3, 0.2, true, 9, 1e-4, 1e-6);
        WeightLayout layout = EncoderFixtures.cnnS();
        ComputationGraphConfiguration conf = HyperRepresentationModel.configuration(layout, spec,
                new double[]{0.2, 0.05, 0.1, 0.3, 0.2}, DataType.FLOAT, new org.nd4j.linalg.learning.config.Adam(1e-4));
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        assertEquals(conf.toJson(), back.toJson());

        // weight decay reaches the weight matrices of the hand-written layers, not norms, biases or embeddings
        TransformerBlock block = (TransformerBlock) ((org.deeplearning4j.nn.conf.graph.LayerVertex)
                back.getVertices().get("encoder_block_0")).getLayerConf().getLayer();
        assertEquals(List.of(new WeightDecay(1e-6, true)), block.getRegularizationByParam("Wqkv"));   // once, not twice
        org.deeplearning4j.nn.conf.layers.Layer dense = ((org.deeplearning4j.nn.conf.graph.LayerVertex)
                back.getVertices().get(HyperRepresentationModel.EMBEDDING)).getLayerConf().getLayer();
        assertEquals(List.of(new WeightDecay(1e-6, true)), dense.getRegularizationByParam("W"));
        assertTrue(block.getRegularizationByParam("ln1g") == null || block.getRegularizationByParam("ln1g").isEmpty());
        assertTrue(block.getRegularizationByParam("b1") == null || block.getRegularizationByParam("b1").isEmpty());
    }

    @Test
    void perLayerNormalisationNeedsStds() {
        EncoderSpec spec = new EncoderSpec(8, 2, 1, 16, 4, 0, List.of(), 0.5, 0.1, true, 1, 1e-3, 0);
        assertThrows(IllegalArgumentException.class, () -> HyperRepresentationModel.build(EncoderFixtures.tetris(), spec));
        WeightLayout layout = EncoderFixtures.tetris();
        INDArray weights = Nd4j.randn(DataType.FLOAT, 50, layout.size());
        weights.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(80, 100)).muli(0.1);
        double[] std = HyperRepresentationModel.layerStd(layout, weights);
        assertEquals(1.0, std[0], 0.1);
        assertEquals(0.1, std[1], 0.01);
        double[] w = HyperRepresentationModel.reconstructionWeights(layout, spec, std);
        assertEquals(0.5 / (std[0] * std[0]), w[0], 1e-12);
        assertEquals(0.5 / (std[1] * std[1]), w[99], 1e-12);
    }

    @Test
    void brokenPairingFailsTraining() {
        WeightLayout layout = EncoderFixtures.tetris();
        EncoderSpec spec = EncoderFixtures.tiny(0.5);
        ComputationGraph g = HyperRepresentationModel.build(layout, spec);
        MultiDataSet ok = twoNoisyViews(Nd4j.rand(DataType.FLOAT, 3, layout.size()), 0.05, spec, 2);
        INDArray keys = ok.getLabels(1).dup();
        keys.putScalar(4, 0, 999);                           // row 4 (view 2 of model 1) claims another model
        MultiDataSet broken = new MultiDataSet(ok.getFeatures(), new INDArray[]{ok.getLabels(0), keys});
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.fit(broken));
        assertTrue(e.getMessage().contains("rows 1 and 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> TwoViewBatch.of(ok.getFeatures(0), ok.getFeatures(0), new long[]{1L << 25, 2, 3, 4, 5, 6}, spec));
    }

    @Test
    void adamLowersTheReconstructionLossOnASmallSet() {
        WeightLayout layout = EncoderFixtures.tetris();
        EncoderSpec spec = new EncoderSpec(16, 2, 1, 32, 16, 0.0, List.of(), 0.0, 0.1, false, 17, 3e-3, 0.0);
        ComputationGraph g = HyperRepresentationModel.build(layout, spec);
        Nd4j.getRandom().setSeed(3);
        INDArray models = Nd4j.randn(DataType.FLOAT, 32, layout.size()).muli(0.5);
        MultiDataSet batch = twoNoisyViews(models, 0.02, spec, 4);
        double start = g.score(batch);
        long t = System.currentTimeMillis();
        for (int step = 0; step < 150; step++) g.fit(batch);
        double end = g.score(batch);
        System.out.printf("reconstruction loss on 32 tetris-mlp vectors (x2 views): %.4f -> %.4f after 150 Adam steps (%d ms)%n",
                start, end, System.currentTimeMillis() - t);
        assertFalse(Double.isNaN(end));
        assertTrue(end < 0.5 * start, "loss " + start + " -> " + end);
    }

    @Test
    void mlpBaselineTrains() {
        WeightLayout layout = EncoderFixtures.tetris();
        EncoderSpec spec = new EncoderSpec(16, 2, 1, 32, 16, 0.0, List.of(16, 8), 0.5, 0.1, false, 17, 3e-3, 0.0);
        ComputationGraph g = HyperRepresentationModel.buildMlp(layout, spec, (LayerStatistics) null, 64);
        assertEquals(Set.copyOf(HyperRepresentationModel.outputs(spec)), Set.copyOf(g.getConfiguration().getNetworkOutputs()));
        INDArray models = Nd4j.randn(DataType.FLOAT, 16, layout.size()).muli(0.5);
        MultiDataSet batch = twoNoisyViews(models, 0.02, spec, 6);
        double start = g.score(batch);
        for (int step = 0; step < 100; step++) g.fit(batch);
        assertTrue(g.score(batch) < start);
        assertArrayEquals(new long[]{16, 16}, HyperRepresentationModel.embed(g, models).shape());
    }

    @Test
    void lossesOfASetSmallerThanABatchAreMeasured() {
        WeightLayout layout = EncoderFixtures.tetris();
        EncoderSpec spec = EncoderFixtures.tiny(0.5);
        ComputationGraph g = HyperRepresentationModel.build(layout, spec);
        List<TrainingSample> five = new java.util.ArrayList<>();
        java.util.Random rnd = new java.util.Random(4);
        for (int i = 0; i < 5; i++) {
            float[] w = new float[layout.size()];
            for (int j = 0; j < w.length; j++) w[j] = (float) (0.3 * rnd.nextGaussian());
            five.add(new TrainingSample(i, "m" + i, 1, w));
        }
        org.hyperrep.weights.ViewGenerator views = new org.hyperrep.weights.ViewGenerator(layout,
                org.hyperrep.weights.AugmentationSpec.paper(1));
        LossMonitor.Losses small = LossMonitor.measure(g, five, views, spec, 32, false);
        assertTrue(Double.isFinite(small.total()) && Double.isFinite(small.contrastive())
                && Double.isFinite(small.reconstruction()) && Double.isFinite(small.reconstructionR2()), small.toString());
        // the same five as one batch of five: the same numbers
        assertEquals(small, LossMonitor.measure(g, five, views, spec, 5, false));
        assertTrue(Double.isNaN(LossMonitor.measure(g, List.of(), views, spec, 32, false).total()));
    }
}
