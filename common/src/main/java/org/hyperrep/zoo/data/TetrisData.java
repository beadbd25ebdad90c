package org.hyperrep.zoo.data;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The Tetris data set, generated in code (docs/zoos.md; the paper's generator is not published, this is
 * hyperrep's definition). Four classes of tetromino, I, L, T, S (class ids 0..3 in that order), drawn as 4×4
 * binary images in every rotation (not mirrored: J and Z are not in the set) and every placement that fits.
 * Those are the <em>base images</em> of a class. A sample picks a class uniformly, then one of its base images
 * uniformly, and adds Gaussian noise of standard deviation σ to every pixel. Images are 1×4×4, so flattened they
 * are the 16 inputs of {@code tetris-mlp}.
 */
public final class TetrisData {
    public static final int SIDE = 4;
    public static final int CLASSES = 4;
    public static final double DEFAULT_NOISE = 0.1;
    public static final List<String> CLASS_NAMES = List.of("I", "L", "T", "S");

    /** Each tetromino as (row, column) cells in one orientation. */
    private static final int[][][] SHAPES = {
            {{0, 0}, {0, 1}, {0, 2}, {0, 3}},   // I
            {{0, 0}, {1, 0}, {2, 0}, {2, 1}},   // L
            {{0, 0}, {0, 1}, {0, 2}, {1, 1}},   // T
            {{0, 1}, {0, 2}, {1, 0}, {1, 1}},   // S
    };

    /** Base images per class as 16-bit masks, bit r·4+c set when pixel (r, c) is on. */
    private static final int[][] BASE = new int[CLASSES][];

    static {
        for (int cls = 0; cls < CLASSES; cls++) {
            BASE[cls] = enumerate(SHAPES[cls]);
        }
    }

    private TetrisData() {
    }

    /** Number of distinct base images of a class. */
    public static int baseImageCount(int cls) {
        return base(cls).length;
    }

    /** The distinct base images of a class, each 16 pixels (row-major 4×4) of 0 or 1; a fresh copy. */
    public static float[][] baseImages(int cls) {
        int[] masks = base(cls);
        float[][] images = new float[masks.length][];
        for (int i = 0; i < masks.length; i++) {
            images[i] = toPixels(masks[i]);
        }
        return images;
    }

    /**
     * {@code n} noisy samples, deterministic for a seed (java.util.Random's sequence is specified, so the same on
     * every JVM).
     *
     * @param noise σ of the Gaussian pixel noise; 0 gives the base images themselves
     */
    public static ImageData generate(int n, double noise, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("sample count must be >= 0, got " + n);
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("noise must be a finite σ >= 0, got " + noise);
        }
        Random random = new Random(seed);
        int p = SIDE * SIDE;
        float[] pixels = new float[n * p];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int cls = random.nextInt(CLASSES);
            int mask = BASE[cls][random.nextInt(BASE[cls].length)];
            labels[i] = cls;
            for (int j = 0; j < p; j++) {
                float on = (mask >>> j & 1) == 1 ? 1f : 0f;
                pixels[i * p + j] = (float) (on + noise * random.nextGaussian());
            }
        }
        return new ImageData(1, SIDE, SIDE, CLASSES, pixels, labels);
    }

    private static int[] base(int cls) {
        if (cls < 0 || cls >= CLASSES) {
            throw new IllegalArgumentException("Tetris class must be 0.." + (CLASSES - 1) + ", got " + cls);
        }
        return BASE[cls];
    }

    /** All placements of all rotations of a shape, duplicates removed (I and S look the same turned by 180°). */
    private static int[] enumerate(int[][] shape) {
        Set<Integer> masks = new LinkedHashSet<>();
        int[][] cells = shape;
        for (int rotation = 0; rotation < 4; rotation++) {
            cells = normalize(cells);
            int height = 0;
            int width = 0;
            for (int[] cell : cells) {
                height = Math.max(height, cell[0] + 1);
                width = Math.max(width, cell[1] + 1);
            }
            for (int dr = 0; dr + height <= SIDE; dr++) {
                for (int dc = 0; dc + width <= SIDE; dc++) {
                    int mask = 0;
                    for (int[] cell : cells) {
                        mask |= 1 << ((cell[0] + dr) * SIDE + cell[1] + dc);
                    }
                    masks.add(mask);
                }
            }
            cells = rotate(cells);
        }
        return masks.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A quarter turn: (r, c) → (c, −r). */
    private static int[][] rotate(int[][] cells) {
        int[][] out = new int[cells.length][];
        for (int i = 0; i < cells.length; i++) {
            out[i] = new int[]{cells[i][1], -cells[i][0]};
        }
        return out;
    }

    /** Shifts the cells so the smallest row and column are 0. */
    private static int[][] normalize(int[][] cells) {
        int minR = Integer.MAX_VALUE;
        int minC = Integer.MAX_VALUE;
        for (int[] cell : cells) {
            minR = Math.min(minR, cell[0]);
            minC = Math.min(minC, cell[1]);
        }
        int[][] out = new int[cells.length][];
        for (int i = 0; i < cells.length; i++) {
            out[i] = new int[]{cells[i][0] - minR, cells[i][1] - minC};
        }
        return out;
    }

    private static float[] toPixels(int mask) {
        float[] px = new float[SIDE * SIDE];
        for (int j = 0; j < px.length; j++) {
            px[j] = mask >>> j & 1;
        }
        return px;
    }
}
