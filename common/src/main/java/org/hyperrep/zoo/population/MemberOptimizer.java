package org.hyperrep.zoo.population;

import org.hyperrep.zoo.GeneratingFactors;
import org.hyperrep.zoo.arch.TrainingRecipe;

/**
 * One population member's optimizer, computing in float what DL4J's updater computes for a zoo model
 * ({@link TrainingRecipe}): the summed minibatch gradient divided by the batch size, plus L2 (weight decay × weight,
 * weights only), then Adam (β = 0.9, 0.999, ε = 1e-8, bias-corrected step size) or Nesterov momentum, and the
 * parameters minus the update. Holds the member's optimizer state.
 */
public abstract class MemberOptimizer {
    private final float learningRate;
    private final float weightDecay;
    private final boolean[] decayed;
    private final float[] g;
    private int iteration;

    MemberOptimizer(double learningRate, double weightDecay, boolean[] decayed) {
        this.learningRate = (float) learningRate;
        this.weightDecay = (float) weightDecay;
        this.decayed = decayed;
        this.g = new float[decayed.length];
    }

    /** The optimizer of the factors (adam or sgd with Nesterov momentum 0.9). */
    public static MemberOptimizer of(GeneratingFactors f, boolean[] decayed) {
        TrainingRecipe.updater(f.optimizer(), f.learningRate());   // validates name and rate as DL4J's path does
        return switch (f.optimizer()) {
            case "adam" -> new Adam(f.learningRate(), f.weightDecay(), decayed);
            case "sgd" -> new Nesterov(f.learningRate(), f.weightDecay(), decayed);
            default -> throw new IllegalArgumentException("optimizer " + f.optimizer());
        };
    }

    /** One step: w ← w − update(summed gradient / n + L2). */
    public final void step(float[] w, double[] summedGradient, int n) {
        float fn = n;
        for (int j = 0; j < g.length; j++) {
            float v = (float) summedGradient[j] / fn;
            if (weightDecay > 0 && decayed[j]) v = weightDecay * w[j] + v;
            g[j] = v;
        }
        update(w, g, learningRate, iteration);
        iteration++;
    }

    /** Steps taken (DL4J's iteration count). */
    public int iterations() { return iteration; }

    abstract void update(float[] w, float[] g, float lr, int iteration);

    /** DL4J's Adam (libnd4j's adam updater): m, v moments and step size lr·√(1−β2^t)/(1−β1^t), t = iteration + 1. */
    static final class Adam extends MemberOptimizer {
        private static final float B1 = 0.9f, B2 = 0.999f, EPS = 1e-8f;
        private final float[] m, v;

        Adam(double lr, double wd, boolean[] decayed) {
            super(lr, wd, decayed);
            m = new float[decayed.length];
            v = new float[decayed.length];
        }

        @Override
        void update(float[] w, float[] g, float lr, int iteration) {
            float b1t = (float) Math.pow(B1, iteration + 1);
            float b2t = (float) Math.pow(B2, iteration + 1);
            float step = (float) (lr * Math.sqrt(1f - b2t) / (1f - b1t));
            if (!Float.isFinite(step) || step == 0f) step = EPS;
            for (int j = 0; j < w.length; j++) {
                m[j] = B1 * m[j] + g[j] * (1f - B1);
                v[j] = B2 * v[j] + g[j] * g[j] * (1f - B2);
                w[j] -= m[j] * step / ((float) Math.sqrt(v[j]) + EPS);
            }
        }
    }

    /** DL4J's Nesterovs: v ← μv − lr·g; update = μ·v_prev − (1 + μ)·v. */
    static final class Nesterov extends MemberOptimizer {
        private static final float MU = (float) TrainingRecipe.SGD_MOMENTUM;
        private final float[] v;

        Nesterov(double lr, double wd, boolean[] decayed) {
            super(lr, wd, decayed);
            v = new float[decayed.length];
        }

        @Override
        void update(float[] w, float[] g, float lr, int iteration) {
            for (int j = 0; j < w.length; j++) {
                float prev = v[j];
                v[j] = MU * prev - lr * g[j];
                w[j] -= MU * prev - (MU + 1f) * v[j];
            }
        }
    }
}
