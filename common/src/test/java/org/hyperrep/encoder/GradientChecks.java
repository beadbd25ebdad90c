package org.hyperrep.encoder;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Double-precision gradient checks of a graph: DL4J's {@link GradientCheckUtil} (pass/fail) and an own
 * central-difference pass that reports the largest relative error, which DL4J only logs.
 */
final class GradientChecks {
    static final double EPSILON = 1e-6;
    static final double MAX_REL_ERROR = 1e-5;
    static final double MIN_ABS_ERROR = 1e-9;
    /**
     * The full graph's floor: its score (≈ 0.4) passes through ~20 layers, and central differences of it carry
     * round-off of a few 1e-9. Seen on parameters whose true gradient is exactly 0: attention key biases (softmax
     * ignores a shift shared by a query's scores) and the bias of the dense layer before batch norm (which removes
     * the mean) got numeric gradients of 1.1e-9 and 2.4e-9 from score differences of 2-5e-15.
     */
    static final double FULL_GRAPH_MIN_ABS_ERROR = 1e-8;
    /** The own check reports relative errors only where |analytic| + |numeric| reaches this (round-off floor ~1e-10). */
    static final double REPORT_MAGNITUDE = 1e-5;

    private GradientChecks() { }

    /** Result of the own check. */
    record Report(String name, long checked, double maxRelError, String worstParam, double maxAbsError, long millis) {
        @Override
        public String toString() {
            return String.format("%s: %d params, max relative error %.3e (%s), max absolute error %.3e, %d ms",
                    name, checked, maxRelError, worstParam, maxAbsError, millis);
        }
    }

    /** Runs GradientCheckUtil and returns whether it passed. */
    static boolean dl4jCheck(ComputationGraph g, INDArray[] inputs, INDArray[] labels, Set<String> exclude,
                             Long seedEachIter) {
        return dl4jCheck(g, inputs, labels, exclude, seedEachIter, MIN_ABS_ERROR);
    }

    static boolean dl4jCheck(ComputationGraph g, INDArray[] inputs, INDArray[] labels, Set<String> exclude,
                             Long seedEachIter, double minAbsError) {
        GradientCheckUtil.GraphConfig c = new GradientCheckUtil.GraphConfig().net(g).inputs(inputs).labels(labels)
                .epsilon(EPSILON).maxRelError(MAX_REL_ERROR).minAbsoluteError(minAbsError)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false)
                .excludeParams(exclude);
        if (seedEachIter != null) c.callEachIter(net -> Nd4j.getRandom().setSeed(seedEachIter));
        return GradientCheckUtil.checkGradients(c);
    }

    /**
     * Central differences over every parameter not excluded. The relative error |a−n|/(|a|+|n|) is reported over
     * the entries with |a|+|n| of at least {@link #REPORT_MAGNITUDE}; the absolute error over all entries.
     */
    static Report ownCheck(String name, ComputationGraph g, INDArray[] inputs, INDArray[] labels, Set<String> exclude,
                           Long seedEachIter) {
        return ownCheck(name, g, inputs, labels, exclude, seedEachIter, 1);
    }

    /** As above, checking every {@code stride}-th parameter only. */
    static Report ownCheck(String name, ComputationGraph g, INDArray[] inputs, INDArray[] labels, Set<String> exclude,
                           Long seedEachIter, int stride) {
        long start = System.currentTimeMillis();
        for (int i = 0; i < inputs.length; i++) g.setInput(i, inputs[i]);
        for (int i = 0; i < labels.length; i++) g.setLabel(i, labels[i]);
        if (seedEachIter != null) Nd4j.getRandom().setSeed(seedEachIter);
        g.computeGradientAndScore();
        Gradient gradient = g.gradient();
        new ComputationGraphUpdater(g).update(gradient, 0, 0, g.batchSize(), LayerWorkspaceMgr.noWorkspaces());
        INDArray analytic = gradient.gradient().dup();

        MultiDataSet mds = new MultiDataSet(inputs, labels);
        INDArray params = g.params();
        List<String> names = new ArrayList<>();
        List<Long> ends = new ArrayList<>();
        long end = 0;
        for (Map.Entry<String, INDArray> e : g.paramTable().entrySet()) {
            end += e.getValue().length();
            names.add(e.getKey());
            ends.add(end);
        }
        double maxRel = 0, maxAbs = 0;
        String worst = "-";
        long checked = 0;
        int p = 0;
        for (long i = 0; i < params.length(); i++) {
            while (i >= ends.get(p)) p++;
            if (exclude.contains(names.get(p)) || i % stride != 0) continue;
            double orig = params.getDouble(i);
            params.putScalar(i, orig + EPSILON);
            if (seedEachIter != null) Nd4j.getRandom().setSeed(seedEachIter);
            double plus = g.score(mds, true);
            params.putScalar(i, orig - EPSILON);
            if (seedEachIter != null) Nd4j.getRandom().setSeed(seedEachIter);
            double minus = g.score(mds, true);
            params.putScalar(i, orig);
            double numeric = (plus - minus) / (2 * EPSILON);
            double a = analytic.getDouble(i);
            double abs = Math.abs(a - numeric);
            checked++;
            maxAbs = Math.max(maxAbs, abs);
            if (Math.abs(a) + Math.abs(numeric) >= REPORT_MAGNITUDE) {
                double rel = abs / (Math.abs(a) + Math.abs(numeric));
                if (rel > maxRel) {
                    maxRel = rel;
                    worst = names.get(p) + "[" + (i - (p == 0 ? 0 : ends.get(p - 1))) + "] analytic " + a
                            + " numeric " + numeric;
                }
            }
        }
        return new Report(name, checked, maxRel, worst, maxAbs, System.currentTimeMillis() - start);
    }
}
