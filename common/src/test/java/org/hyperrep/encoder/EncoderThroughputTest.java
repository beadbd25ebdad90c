package org.hyperrep.encoder;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.hyperrep.weights.WeightLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Prints training throughput at a realistic CPU size with 2 and with 1 ND4J thread, and the machine's load; no
 * speed assertion (the machine is shared: with more runnable threads than cores, OpenMP's 2 threads were several
 * times slower than 1).
 */
class EncoderThroughputTest {

    @BeforeAll
    static void floats() { Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT); }

    @AfterAll
    static void restore() { Nd4jTestThreads.set(2); }

    @Test
    void printSamplesPerSecond() throws Exception {
        WeightLayout layout = EncoderFixtures.cnnS();
        EncoderSpec spec = new EncoderSpec(128, 4, 2, 256, 64, 0.1, List.of(400, 400, 50), 0.5, 0.1, false, 1,
                1e-4, 1e-9);
        ComputationGraph g = HyperRepresentationModel.build(layout, spec);
        int n = 16;   // 16 models x 2 views = batch 32
        INDArray models = Nd4j.randn(DataType.FLOAT, n, layout.size()).muli(0.1);
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) keys[i] = i;
        MultiDataSet batch = TwoViewBatch.of(models.add(0.01), models.sub(0.01), keys, spec);
        for (int threads : new int[]{2, 1}) {
            Nd4jTestThreads.set(threads);
            g.setInputs(batch.getFeatures());
            g.setLabels(batch.getLabels());
            g.computeGradientAndScore();                              // warm-up
            int iterations = 3;
            long t = System.nanoTime();
            for (int i = 0; i < iterations; i++) g.computeGradientAndScore();
            double fwdBwd = iterations * 2.0 * n / ((System.nanoTime() - t) / 1e9);
            t = System.nanoTime();
            for (int i = 0; i < iterations; i++) g.fit(batch);
            double fit = iterations * 2.0 * n / ((System.nanoTime() - t) / 1e9);
            assertFalse(Double.isNaN(g.score()));
            System.out.printf("throughput, cnn-s (P 2464, T 48), d 128, 4 heads, 2+2 blocks, FF 256, latent 64, head "
                            + "[400,400,50], %,d params, batch 32, %d ND4J thread(s), load average %s: "
                            + "forward+backward %.1f samples/s, fit with Adam %.1f samples/s%n", g.numParams(), threads,
                    Files.readString(Path.of("/proc/loadavg")).split(" ")[0], fwdBwd, fit);
        }
    }
}
