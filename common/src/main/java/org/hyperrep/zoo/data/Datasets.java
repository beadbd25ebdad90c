package org.hyperrep.zoo.data;

import org.hyperrep.config.DatasetSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Turns a {@link DatasetSpec} into the train / validation / test images every model of a zoo sees (docs/zoos.md).
 * <p>
 * Image data sets: {@code validationSize} images of the training file are held out by a shuffle seeded with
 * {@code splitSeed}; the test file is the test part. Then a seeded {@code dataFraction} of each part is kept (at
 * least one image), and finally all three parts are standardized per channel with the mean and std of the kept
 * training part. Tetris is generated instead of read: training images with {@code splitSeed}, validation and test
 * (a quarter as many each) with seeds derived from it; it is not standardized, its pixels are already 0/1 plus
 * noise. Everything depends only on the spec and the files, so every worker of a cluster sees the same data.
 */
public final class Datasets {
    public static final String TETRIS = "tetris";
    public static final String MNIST = "mnist";
    public static final String FASHION_MNIST = "fashion-mnist";
    public static final String CIFAR10 = "cifar10";
    public static final List<String> NAMES = List.of(TETRIS, MNIST, FASHION_MNIST, CIFAR10);

    /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
    public static final String FASHION_MNIST_DEFAULT_DIR = "/usr/share/datasets/fashion-mnist";
    public static final String MNIST_DEFAULT_DIR = "/usr/share/datasets/mnist";
    /** The IDX files of MNIST and Fashion-MNIST, in the order train images, train labels, test images, labels. */
    public static final List<String> IDX_FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
    /** The directory the official CIFAR-10 binary tarball unpacks into; looked for inside {@code path} too. */
    public static final String CIFAR10_SUBDIR = "cifar-10-batches-bin";
    /** MNIST and Fashion-MNIST images are 28×28; anything else is the wrong file. */
    public static final int MNIST_SIDE = 28;

    private static final Logger LOG = LoggerFactory.getLogger(Datasets.class);

    private Datasets() {
    }

    /** The three parts of the data set the spec names. */
    public static ZooData load(DatasetSpec spec) {
        String name = name(spec);
        requireFraction(spec);
        ZooData data = TETRIS.equals(name) ? loadTetris(spec) : loadImages(spec, name, inputs(spec, name));
        LOG.info("Data set {}: train {}, validation {}, test {} images of {}x{}x{} (fraction {}, split seed {})",
                name, data.train().size(), data.validation().size(), data.test().size(), data.train().channels(),
                data.train().height(), data.train().width(), spec.dataFraction(), spec.splitSeed());
        return data;
    }

    /**
     * The files {@link #load} reads for this spec, each as {@code "path (N bytes)"}, for provenance records.
     * Empty for Tetris, which is generated from the spec alone.
     */
    public static List<String> describeInputs(DatasetSpec spec) {
        String name = name(spec);
        if (TETRIS.equals(name)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String file : inputs(spec, name)) {
            out.add(file + " (" + DataFiles.size(file) + " bytes)");
        }
        return out;
    }

    private static String name(DatasetSpec spec) {
        String raw = spec.name();
        String name = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(name)) {
            throw new DatasetException("unknown data set name '" + raw + "'; known data sets: "
                    + String.join(", ", NAMES));
        }
        return name;
    }

    private static void requireFraction(DatasetSpec spec) {
        double f = spec.dataFraction();
        if (!(f > 0 && f <= 1)) {
            throw new DatasetException("dataFraction must be in (0, 1], got " + f + " for data set " + spec.name());
        }
    }

    private static ZooData loadTetris(DatasetSpec spec) {
        int n = spec.tetrisSamples();
        if (n <= 0) {
            throw new DatasetException("tetrisSamples must be > 0, got " + n);
        }
        double noise = spec.tetrisNoise();
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new DatasetException("tetrisNoise must be a finite σ >= 0, got " + noise);
        }
        long seed = spec.splitSeed();
        int small = Math.max(1, n / 4);
        ImageData train = TetrisData.generate(n, noise, seed);
        ImageData validation = TetrisData.generate(small, noise, derive(seed, 4));
        ImageData test = TetrisData.generate(small, noise, derive(seed, 5));
        return new ZooData(TETRIS, subsample(train, spec.dataFraction(), derive(seed, 1)),
                subsample(validation, spec.dataFraction(), derive(seed, 2)),
                subsample(test, spec.dataFraction(), derive(seed, 3)));
    }

    /** {@code files}: the training files then the test files, as returned by {@link #inputs}. */
    private static ZooData loadImages(DatasetSpec spec, String name, List<String> files) {
        ImageData full;
        ImageData test;
        if (CIFAR10.equals(name)) {
            full = Cifar10Reader.read(files.subList(0, files.size() - 1));
            test = Cifar10Reader.read(files.get(files.size() - 1));
        } else {
            full = IdxReader.read(files.get(0), files.get(1));
            test = IdxReader.read(files.get(2), files.get(3));
            requireSide(full, files.get(0));
            requireSide(test, files.get(2));
        }
        int v = spec.validationSize();
        if (v < 0 || v >= full.size()) {
            throw new DatasetException("validationSize must be between 0 and " + (full.size() - 1) + " for "
                    + name + ", whose training files hold " + full.size() + " images; got " + v);
        }
        ImageData[] parts = split(full, v, spec.splitSeed());
        long seed = spec.splitSeed();
        ImageData train = subsample(parts[0], spec.dataFraction(), derive(seed, 1));
        ImageData validation = subsample(parts[1], spec.dataFraction(), derive(seed, 2));
        ImageData kept = subsample(test, spec.dataFraction(), derive(seed, 3));
        Normalization norm = Normalization.fit(train);
        LOG.info("Data set {}: {}", name, norm);
        return new ZooData(name, norm.apply(train), norm.apply(validation), norm.apply(kept));
    }

    private static void requireSide(ImageData data, String file) {
        if (data.height() != MNIST_SIDE || data.width() != MNIST_SIDE) {
            throw new DatasetException(file + ": wrong dimensions: holds " + data.height() + "x" + data.width()
                    + " images, expected " + MNIST_SIDE + "x" + MNIST_SIDE);
        }
    }

    /**
     * The files to read, training files first and the test file(s) last. Missing files are reported here, all
     * at once, with the directory that was searched.
     */
    private static List<String> inputs(DatasetSpec spec, String name) {
        String path = spec.path() == null ? "" : spec.path().trim();
        if (CIFAR10.equals(name)) {
            if (path.isEmpty()) {
                throw new DatasetException("data set cifar10 has no default location: set the dataset 'path' key "
                        + "to the directory holding " + Cifar10Reader.TRAIN_FILES.get(0) + " .. "
                        + Cifar10Reader.TEST_FILE);
            }
            List<String> names = new ArrayList<>(Cifar10Reader.TRAIN_FILES);
            names.add(Cifar10Reader.TEST_FILE);
            // The official tarball unpacks into cifar-10-batches-bin/; accept its parent too.
            String dir = path;
            String sub = DataFiles.join(path, CIFAR10_SUBDIR);
            if (!DataFiles.isFile(DataFiles.join(path, names.get(0)))
                    && DataFiles.isFile(DataFiles.join(sub, names.get(0)))) {
                dir = sub;
            }
            List<String> files = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String file : names) {
                String full = DataFiles.join(dir, file);
                if (DataFiles.isFile(full)) {
                    files.add(full);
                } else {
                    missing.add(full);
                }
            }
            if (!missing.isEmpty()) {
                throw new DatasetException("cifar10: missing file(s) " + String.join(", ", missing));
            }
            return files;
        }
        String dir = !path.isEmpty() ? path : MNIST.equals(name) ? MNIST_DEFAULT_DIR : FASHION_MNIST_DEFAULT_DIR;
        List<String> files = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String file : IDX_FILES) {
            String gz = DataFiles.join(dir, file + ".gz");
            String plain = DataFiles.join(dir, file);
            if (DataFiles.isFile(gz)) {
                files.add(gz);
            } else if (DataFiles.isFile(plain)) {
                files.add(plain);
            } else {
                missing.add(file + "[.gz]");
            }
        }
        if (!missing.isEmpty()) {
            throw new DatasetException(name + ": missing file(s) " + String.join(", ", missing) + " in " + dir
                    + (path.isEmpty() ? " (the default location; set the dataset 'path' key to read elsewhere)"
                    : ""));
        }
        return files;
    }

    /**
     * Holds {@code validationSize} images out by a seeded shuffle: returns {train, validation}, each in the order of
     * the input, so the split is a pure choice of images.
     */
    static ImageData[] split(ImageData data, int validationSize, long seed) {
        int[] order = permutation(data.size(), new Random(seed));
        int[] validation = Arrays.copyOfRange(order, 0, validationSize);
        int[] train = Arrays.copyOfRange(order, validationSize, order.length);
        Arrays.sort(validation);
        Arrays.sort(train);
        return new ImageData[]{data.select(train), data.select(validation)};
    }

    /** A seeded {@code fraction} of the images (at least one unless there are none), in input order. */
    static ImageData subsample(ImageData data, double fraction, long seed) {
        if (fraction >= 1 || data.size() == 0) {
            return data;
        }
        int keep = (int) Math.max(1, Math.round(fraction * data.size()));
        int[] chosen = Arrays.copyOf(permutation(data.size(), new Random(seed)), keep);
        Arrays.sort(chosen);
        return data.select(chosen);
    }

    /** Fisher–Yates, written out so the result cannot change with a JDK's Collections.shuffle. */
    private static int[] permutation(int n, Random random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * An independent seed for stream {@code k} of a seed (SplitMix64 finalizer), so the subsamples of the three
     * parts and the generated Tetris parts do not reuse one random sequence.
     */
    static long derive(long seed, int k) {
        long z = seed + 0x9E3779B97F4A7C15L * (k + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
