package org.hyperrep.zoo.population;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.DropOutInverted;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

import java.util.HashMap;
import java.util.Map;

/**
 * A population member's inverted-dropout masks, drawn exactly as DL4J draws them for the same model trained alone.
 * DL4J seeds the thread's ND4J generator with the model's seed when it initialises the network, draws the initial
 * weights from it, and then draws every training step's masks from the same generator ({@code DropOutInverted} on
 * an array of ones). ND4J's generator is counter based, its whole state two longs; each member keeps its own pair
 * (taken right after its network was initialised) and a {@link Source} shared by the population is set to it for
 * each draw.
 */
public final class DropoutMasks {
    private final double retain;
    private long rootState, nodeState;

    private DropoutMasks(double retain, long rootState, long nodeState) {
        this.retain = retain;
        this.rootState = rootState;
        this.nodeState = nodeState;
    }

    /** The masks that follow the current state of this thread's ND4J generator (call right after {@code init()}). */
    public static DropoutMasks continuingThreadGenerator(double retain) {
        Random r = Nd4j.getRandom();
        return new DropoutMasks(retain, r.rootState(), r.nodeState());
    }

    /**
     * Writes the next [rows, cols] row-major mask (0 or 1/retain per entry) into {@code out} and advances this
     * member's generator state.
     */
    public void next(Source source, int rows, int cols, float[] out) {
        INDArray mask = source.ones(rows, cols);
        source.generator.setStates(rootState, nodeState);
        Nd4j.getExecutioner().exec(new DropOutInverted(mask, mask, retain), source.generator);
        rootState = source.generator.rootState();
        nodeState = source.generator.nodeState();
        new FloatPointer(mask.data().addressPointer()).get(out, 0, rows * cols);
    }

    /** One ND4J generator and mask arrays (one per shape, reused) for the members of a population; one thread. */
    public static final class Source implements AutoCloseable {
        private final Random generator = Nd4j.getRandomFactory().getNewRandomInstance(0);
        private final Map<Long, INDArray> arrays = new HashMap<>();

        INDArray ones(int rows, int cols) {
            INDArray a = arrays.computeIfAbsent(((long) rows << 32) | cols,
                    k -> Nd4j.createUninitialized(DataType.FLOAT, new long[]{rows, cols}, 'c'));
            return a.assign(1.0);
        }

        @Override
        public void close() throws Exception { generator.close(); }
    }
}
