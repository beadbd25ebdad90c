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
import org.nd4j.linalg.learning.config.NoOp;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Double-precision gradient check of the whole transformer graph with both losses (γ = 0.5): tetris-mlp layout,
 * dModel 8, 2 heads, 1 + 1 blocks, FF 16, latent 4, head [8, 4]. GradientCheckUtil checks all 2,237 parameters;
 * the relative error printed comes from an own central-difference pass over every 10th parameter (DL4J only
 * logs its own).
 */
class FullGraphGradientCheckTest {

    @BeforeAll
    static void setUp() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        Nd4jTestThreads.set(1);
    }

    @AfterAll
    static void tearDown() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        Nd4jTestThreads.set(2);
    }

    @Test
    void transformerGraphWithBothLosses() {
        WeightLayout layout = EncoderFixtures.tetris();
        EncoderSpec spec = EncoderFixtures.tiny(0.5);
        ComputationGraph g = new ComputationGraph(HyperRepresentationModel.configuration(layout, spec, (LayerStatistics) null,
                DataType.DOUBLE, new NoOp()));
        g.init();
        EncoderGradientCheckTest.perturb(g);
        assertEquals(2237, g.numParams());
        INDArray v1 = Nd4j.randn(DataType.DOUBLE, 3, layout.size()).muli(0.5);
        INDArray v2 = v1.add(Nd4j.randn(DataType.DOUBLE, 3, layout.size()).muli(0.1));
        MultiDataSet mds = TwoViewBatch.of(v1, v2, new long[]{11, 12, 13}, spec);
        // batch-norm running statistics are not trained by gradients
        Set<String> exclude = Set.of("projection_bn_0_mean", "projection_bn_0_log10stdev");
        GradientChecks.Report r = EncoderGradientCheckTest.check(
                "full graph, gamma 0.5, 2237 params (own check: every 10th)", g, mds.getFeatures(), mds.getLabels(),
                exclude, null, 10, GradientChecks.FULL_GRAPH_MIN_ABS_ERROR);
        System.out.println("=== " + r);
    }
}
