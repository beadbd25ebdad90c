package org.hyperrep.zoo;

import org.hyperrep.config.DatasetSpec;
import org.hyperrep.config.FactorSpace;
import org.hyperrep.config.SplitSpec;
import org.hyperrep.config.ZooConfig;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Turns a zoo config into its models. A model's id is a content hash of (zoo, architecture, data set, factors,
 * seed), so planning the same config twice gives the same ids, and a larger plan contains the smaller one. A
 * model's split is a seeded hash of its id: it never changes when the zoo grows.
 */
public final class ZooPlan {
    private ZooPlan() {}

    public static List<ModelSpec> plan(ZooConfig zoo) {
        Map<String, ModelSpec> models = new LinkedHashMap<>();
        for (GeneratingFactors f : factors(zoo.factors())) {
            String id = modelId(zoo, f);
            models.putIfAbsent(id, new ModelSpec(id, split(id, zoo.split()), f));
        }
        return List.copyOf(models.values());
    }

    static List<GeneratingFactors> factors(FactorSpace s) {
        List<GeneratingFactors> out = new ArrayList<>();
        if (s.sampling().equals("grid")) {
            for (String act : s.activation())
                for (String init : s.init())
                    for (String opt : s.optimizer())
                        for (double lr : s.learningRate().values())
                            for (double wd : s.weightDecay().values())
                                for (double dr : s.dropout().values())
                                    for (double tf : s.trainFraction().values())
                                        for (long seed : s.seeds())
                                            out.add(new GeneratingFactors(seed, act, init, opt, lr, wd, dr, tf));
        } else {
            for (int i = 0; i < s.randomCount(); i++) {
                Random rng = new Random(s.randomSeed() * 1_000_003L + i);
                String act = s.activation().get(rng.nextInt(s.activation().size()));
                String init = s.init().get(rng.nextInt(s.init().size()));
                String opt = s.optimizer().get(rng.nextInt(s.optimizer().size()));
                double lr = s.learningRate().draw(rng);
                double wd = s.weightDecay().draw(rng);
                double dr = s.dropout().draw(rng);
                double tf = s.trainFraction().draw(rng);
                for (long seed : s.seeds()) out.add(new GeneratingFactors(seed, act, init, opt, lr, wd, dr, tf));
            }
        }
        return out;
    }

    /** 16 hex digits of SHA-256 over a canonical text of everything that makes the model what it is. */
    public static String modelId(ZooConfig zoo, GeneratingFactors f) {
        DatasetSpec d = zoo.dataset();
        String text = String.join("|", "zoo=" + zoo.name(), "arch=" + zoo.architecture(),
                "data=" + d.name() + "," + num(d.dataFraction()) + "," + d.validationSize() + "," + d.splitSeed()
                        + (d.name().equals("tetris") ? "," + d.tetrisSamples() + "," + num(d.tetrisNoise()) : ""),
                "act=" + f.activation(), "init=" + f.init(), "opt=" + f.optimizer(), "lr=" + num(f.learningRate()),
                "wd=" + num(f.weightDecay()), "dropout=" + num(f.dropout()), "tf=" + num(f.trainFraction()),
                "seed=" + f.seed());
        return contentId(text);
    }

    /**
     * The id of a model described by {@code canonicalText} (everything that makes it what it is, '|'-separated):
     * 16 hex digits of its SHA-256. Models that were not planned here (imported zoos) get their ids from it too.
     */
    public static String contentId(String canonicalText) {
        return HexFormat.of().formatHex(sha256(canonicalText.getBytes(StandardCharsets.UTF_8)), 0, 8);
    }

    /** train / validation / test from a uniform number derived from (split seed, model id). */
    public static String split(String modelId, SplitSpec s) {
        byte[] h = sha256((s.seed() + ":" + modelId).getBytes(StandardCharsets.UTF_8));
        double u = (ByteBuffer.wrap(h).getLong() >>> 11) / (double) (1L << 53);
        if (u < s.train()) return "train";
        if (u < s.train() + s.validation()) return "validation";
        return "test";
    }

    /** Shortest exact decimal text of a double, so 1e-3 and 0.001 hash alike. */
    private static String num(double v) {
        return String.format(Locale.ROOT, "%s", Double.toString(v));
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
