package org.hyperrep.zoo;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Console progress of a zoo build: models done out of total, model-epochs per second, time left. */
final class BuildProgress extends SparkListener {
    private static final Logger LOG = LoggerFactory.getLogger("hyperrep.progress");

    private final int total;
    private final int epochs;
    private final long start = System.nanoTime();
    private LongAccumulator done;
    private long lastReported;
    private long lastReportNanos;

    BuildProgress(int total, int epochs) {
        this.total = total;
        this.epochs = Math.max(1, epochs);
    }

    void attach(SparkContext sc, LongAccumulator accumulator) {
        this.done = accumulator;
        sc.addSparkListener(this);
    }

    void detach(SparkContext sc) { sc.removeSparkListener(this); }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        long d = Math.min(done.value(), total);
        if (d == lastReported || d == 0) return;
        // one line every few seconds, and the last one, so that thousands of models do not flood the console
        if (d < total && System.nanoTime() - lastReportNanos < 5_000_000_000L) return;
        lastReported = d;
        lastReportNanos = System.nanoTime();
        double secs = (System.nanoTime() - start) / 1e9;
        double rate = d * epochs / secs;
        long eta = Math.round((total - d) * secs / d);
        LOG.info(String.format("models %d/%d, %.2f model-epochs/s, ETA %d:%02d:%02d", d, total, rate,
                eta / 3600, eta / 60 % 60, eta % 60));
    }
}
