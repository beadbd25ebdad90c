package org.hyperrep.encoder;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.hyperrep.weights.WeightLayout;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The encoder's method options: input standardization (values, inverse, and that the statistics travel with the
 * saved model), the embedding readouts (values against a plain loop, shapes) and the warm-up + cosine schedule.
 */
class EncoderOptionsTest {
    private static final WeightLayout LAYOUT = EncoderFixtures.tetris();

    private static EncoderSpec spec(boolean standardize, String readout) {
        EncoderSpec t = EncoderFixtures.tiny(0.5);
        return new EncoderSpec(t.dModel(), t.heads(), t.blocks(), t.ffDim(), t.latentDim(), t.dropout(), t.projection(),
                t.gamma(), t.tau(), true, t.seed(), 1e-2, t.weightDecay(), standardize, readout);
    }

    private static List<float[]> weights(int n, long seed) {
        Random rnd = new Random(seed);
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] w = new float[LAYOUT.size()];
            // layer 1 small and shifted, layer 2 wide: the scales standardization is for
            for (int j = 0; j < w.length; j++) {
                w[j] = j < 80 ? (float) (0.3 + 0.05 * rnd.nextGaussian()) : (float) (2 * rnd.nextGaussian());
            }
            rows.add(w);
        }
        return rows;
    }

    @Test
    void layerStatisticsAndStandardizationValues() {
        List<float[]> rows = weights(200, 1);
        LayerStatistics s = LayerStatistics.of(LAYOUT, rows);
        assertEquals(0.3, s.mean()[0], 0.01);
        assertEquals(0.05, s.std()[0], 0.005);
        assertEquals(0.0, s.mean()[1], 0.1);
        assertEquals(2.0, s.std()[1], 0.1);

        WeightStandardization forward = new WeightStandardization(LAYOUT, s.mean(), s.std(), false);
        WeightStandardization inverse = new WeightStandardization(LAYOUT, s.mean(), s.std(), true);
        INDArray x = Nd4j.create(rows.subList(0, 5).toArray(float[][]::new));
        INDArray y = run(forward, x);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < LAYOUT.size(); j++) {
                int l = j < 80 ? 0 : 1;
                assertEquals((x.getDouble(i, j) - s.mean()[l]) / s.std()[l], y.getDouble(i, j), 1e-4, i + "," + j);
            }
        }
        assertArrayEquals(x.toFloatMatrix()[3], run(inverse, y).toFloatMatrix()[3], 1e-5f, "inverse ∘ forward = id");
        assertThrows(IllegalArgumentException.class,
                () -> new WeightStandardization(LAYOUT, s.mean(), new double[]{1, 0}, false), "a zero std is refused");
    }

    private static INDArray run(TokenLayerConf layer, INDArray x) {
        return layer.createRuntime(new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().layer(layer).build(), DataType.FLOAT)
                .forward(x, false);
    }

    @Test
    void readoutsAgainstAPlainLoop() {
        int tokens = 3, d = 4, batch = 2;
        INDArray seq = Nd4j.rand(DataType.FLOAT, batch, (tokens + 1) * d);
        INDArray compression = run(new TokenReadout(tokens, d, TokenReadout.COMPRESSION), seq);
        INDArray mean = run(new TokenReadout(tokens, d, TokenReadout.MEAN), seq);
        INDArray both = run(new TokenReadout(tokens, d, TokenReadout.BOTH), seq);
        assertArrayEquals(new long[]{batch, d}, compression.shape());
        assertArrayEquals(new long[]{batch, d}, mean.shape());
        assertArrayEquals(new long[]{batch, 2 * d}, both.shape());
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < d; k++) {
                double m = 0;
                for (int t = 1; t <= tokens; t++) m += seq.getDouble(b, t * d + k);
                m /= tokens;
                assertEquals(seq.getDouble(b, k), compression.getDouble(b, k), 1e-7);
                assertEquals(m, mean.getDouble(b, k), 1e-6);
                assertEquals(seq.getDouble(b, k), both.getDouble(b, k), 1e-7);
                assertEquals(m, both.getDouble(b, d + k), 1e-6);
            }
        }
    }

    @Test
    void everyReadoutGivesTheLatentWidth() {
        LayerStatistics stats = LayerStatistics.of(LAYOUT, weights(20, 2));
        INDArray x = Nd4j.create(weights(3, 3).toArray(float[][]::new));
        for (String readout : EncoderSpec.READOUTS) {
            ComputationGraph g = HyperRepresentationModel.build(LAYOUT, spec(true, readout), stats);
            INDArray z = HyperRepresentationModel.embed(g, x);
            assertArrayEquals(new long[]{3, 4}, z.shape(), readout);
            INDArray reconstruction = g.output(false, x)[0];
            assertArrayEquals(new long[]{3, LAYOUT.size()}, reconstruction.shape(), readout);
        }
    }

    @Test
    void standardizedEncoderEmbedsTheSameAfterSaveAndLoad() throws IOException {
        List<float[]> train = weights(16, 4);
        LayerStatistics stats = LayerStatistics.of(LAYOUT, train);
        EncoderSpec spec = spec(true, TokenReadout.BOTH);
        ComputationGraph g = HyperRepresentationModel.build(LAYOUT, spec, stats);
        INDArray v = Nd4j.create(train.toArray(float[][]::new));
        long[] ids = new long[train.size()];
        for (int i = 0; i < ids.length; i++) ids[i] = i;
        MultiDataSet batch = TwoViewBatch.of(v, v.add(Nd4j.randn(DataType.FLOAT, v.shape()).muli(0.01)), ids, spec);
        double first = g.score(batch);
        for (int i = 0; i < 20; i++) g.fit(batch);
        assertTrue(g.score(batch) < first, "the encoder trains with standardized inputs: " + first + " → " + g.score(batch));

        INDArray probe = Nd4j.create(weights(5, 5).toArray(float[][]::new));
        INDArray inTraining = HyperRepresentationModel.embed(g, probe);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(g, bytes, false);
        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), false);
        assertArrayEquals(inTraining.toFloatMatrix()[2], HyperRepresentationModel.embed(loaded, probe).toFloatMatrix()[2], 1e-6f);
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(inTraining.toFloatMatrix()[i], HyperRepresentationModel.embed(loaded, probe).toFloatMatrix()[i],
                    1e-6f, "row " + i);
        }

        // the statistics are part of what was saved: the same parameters under other statistics embed differently
        LayerStatistics other = new LayerStatistics(new double[]{0, 0}, new double[]{1, 1});
        ComputationGraph unstandardized = HyperRepresentationModel.build(LAYOUT, spec, other);
        unstandardized.setParams(g.params().dup());
        assertFalse(java.util.Arrays.equals(inTraining.toFloatMatrix()[0],
                HyperRepresentationModel.embed(unstandardized, probe).toFloatMatrix()[0]));
    }

    @Test
    void standardizationNeedsStatistics() {
        assertThrows(IllegalArgumentException.class,
                () -> HyperRepresentationModel.build(LAYOUT, spec(true, TokenReadout.COMPRESSION), (LayerStatistics) null));
    }

    @Test
    void warmupCosineSchedule() {
        double base = 1e-3;
        // 5 warm-up epochs of 20: base/5, 2·base/5, ..., base; then base down to base·0.01 at epoch 20
        assertEquals(base / 5, LearningRateSchedule.warmupCosine(base, 1, 20, 5, 0.01), 1e-15);
        assertEquals(base, LearningRateSchedule.warmupCosine(base, 5, 20, 5, 0.01), 1e-15);
        assertEquals(base, LearningRateSchedule.warmupCosine(base, 6, 20, 5, 0.01), 1e-15);
        assertEquals(base * 0.01, LearningRateSchedule.warmupCosine(base, 20, 20, 5, 0.01), 1e-15);
        // halfway through the decay (epochs 6..20, 15 epochs: the 8th, epoch 13) the rate is the mean of both ends
        assertEquals(base * (1 + 0.01) / 2, LearningRateSchedule.warmupCosine(base, 13, 20, 5, 0.01), 1e-12);
        double previous = Double.MAX_VALUE;
        for (int e = 6; e <= 20; e++) {
            double lr = LearningRateSchedule.warmupCosine(base, e, 20, 5, 0.01);
            assertTrue(lr < previous || e == 6, "falls monotonically after the warm-up");
            previous = lr;
        }
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.warmupCosine(base, 21, 20, 5, 0.01));
    }
}
