package org.hyperrep.jobs;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The pipeline's stages as the jobs of their commands, set up the way {@code run} and {@code sweep} chain them
 * (one config file, one master, the same overrides), and run with a line before and after each.
 */
final class Stages {
    private final File config;
    private final String master;

    Stages(File config, String master) {
        this.config = config;
        this.master = master;
    }

    ZooBuildJob zooBuild(String out, List<String> overrides) {
        ZooBuildJob job = new ZooBuildJob();
        job.config = config;
        job.out = out;
        job.master = master;
        job.overrides = new ArrayList<>(overrides);
        return job;
    }

    TrainJob train(String zoo, String out, List<String> overrides) {
        TrainJob job = new TrainJob();
        job.zoo = zoo;
        job.config = config;
        job.out = out;
        job.master = master;
        job.overrides = new ArrayList<>(overrides);
        return job;
    }

    /** Replaces embeddings of an earlier encoder at {@code out}: a pipeline's encoder is the one its config says. */
    EmbedJob embed(String zoo, String encoder, String out) {
        EmbedJob job = new EmbedJob();
        job.zoo = zoo;
        job.encoder = encoder;
        job.out = out;
        job.master = master;
        job.replace = true;
        return job;
    }

    /** @param embeddings {@code URI=NAME} each */
    ProbeJob probe(String zoo, List<String> embeddings, String out, List<String> overrides) {
        ProbeJob job = new ProbeJob();
        job.zoo = zoo;
        job.embeddings = new ArrayList<>(embeddings);
        job.out = out;
        job.config = config;
        job.overrides = new ArrayList<>(overrides);
        job.master = master;
        return job;
    }

    /** Runs one stage between two lines on the console; returns its exit code. */
    static int run(String name, Callable<Integer> job) throws Exception {
        System.out.printf("== %s%n", name);
        long t = System.nanoTime();
        int code = job.call();
        System.out.printf("== %s: %s in %.0f s%n", name, code == 0 ? "done" : "failed (exit " + code + ")",
                (System.nanoTime() - t) / 1e9);
        // A stage's networks and arrays hold native (off-heap) memory that is freed only when the Java objects
        // are collected. With a large heap a collection may not come for many stages, and a study chaining dozens
        // of stages in one JVM was killed by the kernel's OOM killer at 21 GB resident: collect between stages.
        System.gc();
        return code;
    }
}
