package org.hyperrep.encoder;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

import java.io.Serializable;

/**
 * A full garbage collection at most every {@code intervalMillis} of training. The encoder's own layers allocate
 * their activations and gradients as native buffers outside DL4J's workspaces; a buffer is released when its Java
 * array object is collected, and those small objects live long enough to reach the old generation, which young
 * collections never clear. The heap hardly grows, so the old generation is rarely collected, and the process grew
 * by about 150 MB/s with the paper-sized encoder until the machine swapped (bench/README.md). With a full collection
 * every few seconds the resident memory stays flat. Serializable: Spark's training master sends it to the workers.
 */
public final class PeriodicGc extends BaseTrainingListener implements Serializable {
    private final long intervalMillis;
    private transient long last;

    public PeriodicGc(long intervalMillis) {
        this.intervalMillis = intervalMillis;
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        long now = System.currentTimeMillis();
        if (now - last >= intervalMillis) {
            last = now;
            System.gc();
        }
    }
}
