package org.hyperrep.zoo.arch;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.hyperrep.zoo.GeneratingFactors;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small helpers shared by the architecture tests. */
final class ArchFixtures {
    private ArchFixtures() { }

    static GeneratingFactors factors(long seed, String activation, String init, String optimizer, double dropout) {
        return new GeneratingFactors(seed, activation, init, optimizer, 1e-3, 1e-4, dropout, 1.0);
    }

    static GeneratingFactors factors(long seed) {
        return factors(seed, "tanh", "kaiming_uniform", "adam", 0.0);
    }

    static MultiLayerNetwork network(Architecture arch, GeneratingFactors f) {
        MultiLayerNetwork net = new MultiLayerNetwork(arch.configuration(f));
        net.init();
        return net;
    }

    /** Random inputs [n, ...] in the layout the architecture's network consumes. */
    static INDArray randomInput(Architecture arch, int n, long seed) {
        int[] s = arch.inputShape();
        Nd4j.getRandom().setSeed(seed);
        boolean flat = s[0] == 1 && s[1] == 1;
        return flat ? Nd4j.rand(DataType.FLOAT, n, s[2]) : Nd4j.rand(DataType.FLOAT, n, s[0], s[1], s[2]);
    }
}
