package org.hyperrep.weights;

import java.io.Serializable;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Permutation of hidden units (docs/method.md), the augmentation that keeps the network function exactly. For every
 * hidden layer l (every layer but the last) with n units and a permutation π of 0..n−1, unit u of the permuted
 * network is unit π(u) of the original: row u and bias u of layer l are taken from row and bias π(u), and input
 * block u of layer l+1 is taken from block π(u). A block is what one unit of layer l feeds into one unit of layer
 * l+1: a kh·kw kernel slice for conv→conv, {@link LayerLayout#inputsPerUnit()} = h·w columns for the channel-major
 * conv→dense flatten, a single column for dense→dense. The last layer's units (the classes) never move; only its
 * input columns do.
 *
 * <p>A fixed set of {@link #count()} <em>permutation sets</em> (one permutation per hidden layer) is drawn once
 * from a seed; only those small per-layer permutations are stored. Applying set k is a gather through an index map
 * built on the fly ({@link #indexMap}), as cheap as copying the vector. When the architecture has no more distinct
 * sets than requested (tetris-mlp: 5! = 120), all of them are enumerated in lexicographic order instead, and
 * {@link #count()} is that number. Set 0 is always the identity; random sets are distinct.
 */
public final class PermutationAugmentation implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The number of random permutation sets the paper precomputes for CNN zoos. */
    public static final int DEFAULT_COUNT = 25_000;

    private final WeightLayout layout;
    /** Units of each hidden layer (all layers but the last). */
    private final int[] units;
    /** Per hidden layer h, flat [count, units[h]]: permutation k is perms[h][k·n .. (k+1)·n). */
    private final int[][] perms;
    private final int count;
    private final boolean exhaustive;

    /**
     * @param layout the canonical layout; each layer's inputs must come in blocks of the previous layer's units
     * @param count  permutation sets to draw; all distinct sets when there are no more than that
     * @param seed   seed of the draw (unused when all sets are enumerated)
     */
    public PermutationAugmentation(WeightLayout layout, int count, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("permutation count must be >= 1, got " + count);
        }
        List<LayerLayout> layers = layout.layers();
        for (int l = 1; l < layers.size(); l++) {
            LayerLayout prev = layers.get(l - 1);
            LayerLayout next = layers.get(l);
            if ((long) prev.out() * next.inputsPerUnit() != next.in()) {
                throw new IllegalArgumentException("layer " + next.name() + " has " + next.in() + " inputs, not "
                        + prev.out() + " units of " + prev.name() + " × " + next.inputsPerUnit()
                        + " inputs per unit: its input blocks cannot be permuted");
            }
        }
        this.layout = layout;
        this.units = new int[Math.max(0, layers.size() - 1)];
        for (int h = 0; h < units.length; h++) {
            units[h] = layers.get(h).out();
        }
        BigInteger distinct = BigInteger.ONE;
        for (int n : units) {
            distinct = distinct.multiply(factorial(n));
        }
        this.exhaustive = distinct.compareTo(BigInteger.valueOf(count)) <= 0;
        this.count = exhaustive ? distinct.intValueExact() : count;
        this.perms = new int[units.length][];
        for (int h = 0; h < units.length; h++) {
            perms[h] = new int[this.count * units[h]];
        }
        if (exhaustive) {
            enumerateAll();
        } else {
            drawDistinct(new Random(seed));
        }
    }

    /** {@link #DEFAULT_COUNT} sets. */
    public PermutationAugmentation(WeightLayout layout, long seed) {
        this(layout, DEFAULT_COUNT, seed);
    }

    public WeightLayout layout() { return layout; }

    /** Number of precomputed permutation sets; valid indices are 0..count()−1, 0 is the identity. */
    public int count() { return count; }

    /** Whether the sets are all distinct permutations of the hidden units (otherwise a random subset of them). */
    public boolean exhaustive() { return exhaustive; }

    /**
     * The permutation π of the output units of a layer in set k: permuted unit u is original unit π(u). The last
     * layer's is the identity.
     *
     * @param layer layer index in network order
     */
    public int[] permutation(int k, int layer) {
        checkIndex(k);
        int n = layout.layers().get(layer).out();
        if (layer >= units.length) {
            return identity(n);
        }
        return Arrays.copyOfRange(perms[layer], k * n, (k + 1) * n);
    }

    /** The gather map of set k: {@code permuted[i] = original[map[i]]}. */
    public int[] indexMap(int k) {
        checkIndex(k);
        List<LayerLayout> layers = layout.layers();
        int[] map = new int[layout.size()];
        for (int l = 0; l < layers.size(); l++) {
            LayerLayout layer = layers.get(l);
            int[] rows = l < units.length ? perms[l] : null;
            int rowBase = l < units.length ? k * units[l] : 0;
            int[] cols = l > 0 ? perms[l - 1] : null;
            int colBase = l > 0 ? k * units[l - 1] : 0;
            int blocks = l > 0 ? units[l - 1] : 1;
            int block = layer.fanIn() / blocks;
            for (int u = 0; u < layer.out(); u++) {
                int srcUnit = rows == null ? u : rows[rowBase + u];
                int dst = layer.offset() + u * layer.fanIn();
                int src = layer.offset() + srcUnit * layer.fanIn();
                for (int c = 0; c < blocks; c++) {
                    int srcBlock = cols == null ? c : cols[colBase + c];
                    for (int r = 0; r < block; r++) {
                        map[dst + c * block + r] = src + srcBlock * block + r;
                    }
                }
                if (layer.bias()) {
                    map[layer.biasOffset() + u] = layer.biasOffset() + srcUnit;
                }
            }
        }
        return map;
    }

    /** The vector permuted by set k, a fresh array; the network it describes computes the same function. */
    public float[] apply(float[] vector, int k) {
        if (vector.length != layout.size()) {
            throw new IllegalArgumentException(layout.architecture() + " vectors have " + layout.size()
                    + " values, got " + vector.length);
        }
        int[] map = indexMap(k);
        float[] out = new float[map.length];
        for (int i = 0; i < map.length; i++) {
            out[i] = vector[map[i]];
        }
        return out;
    }

    /** The vector permuted by a set drawn uniformly with {@code rng} (one {@code nextInt(count())}). */
    public float[] applyRandom(float[] vector, Random rng) {
        return apply(vector, rng.nextInt(count));
    }

    /** All sets in lexicographic order, the last hidden layer varying fastest; set 0 is the identity. */
    private void enumerateAll() {
        BigInteger[] radix = new BigInteger[units.length];
        for (int h = 0; h < units.length; h++) {
            radix[h] = factorial(units[h]);
        }
        for (int k = 0; k < count; k++) {
            long rest = k;
            for (int h = units.length - 1; h >= 0; h--) {
                long r = radix[h].longValueExact();
                int[] p = unrank(rest % r, units[h]);
                rest /= r;
                System.arraycopy(p, 0, perms[h], k * units[h], units[h]);
            }
        }
    }

    /** Set 0 the identity, then uniform random sets (Fisher–Yates per layer), duplicates redrawn. */
    private void drawDistinct(Random rng) {
        Set<Key> seen = new HashSet<>();
        int total = Arrays.stream(units).sum();
        for (int k = 0; k < count; k++) {
            int[] all = new int[total];
            do {
                int at = 0;
                for (int n : units) {
                    int[] p = identity(n);
                    if (k > 0) {
                        shuffle(p, rng);
                    }
                    System.arraycopy(p, 0, all, at, n);
                    at += n;
                }
            } while (!seen.add(new Key(all)));
            int at = 0;
            for (int h = 0; h < units.length; h++) {
                System.arraycopy(all, at, perms[h], k * units[h], units[h]);
                at += units[h];
            }
        }
    }

    /** The permutation of rank r (0-based) among all permutations of 0..n−1 in lexicographic order. */
    static int[] unrank(long r, int n) {
        long[] fact = new long[n + 1];
        fact[0] = 1;
        for (int i = 1; i <= n; i++) {
            fact[i] = fact[i - 1] * i;
        }
        int[] remaining = identity(n);
        int left = n;
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            long f = fact[n - 1 - i];
            int d = (int) (r / f);
            r %= f;
            p[i] = remaining[d];
            System.arraycopy(remaining, d + 1, remaining, d, left - d - 1);
            left--;
        }
        return p;
    }

    private static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        return p;
    }

    private static BigInteger factorial(int n) {
        BigInteger f = BigInteger.ONE;
        for (int i = 2; i <= n; i++) {
            f = f.multiply(BigInteger.valueOf(i));
        }
        return f;
    }

    private void checkIndex(int k) {
        if (k < 0 || k >= count) {
            throw new IndexOutOfBoundsException("permutation set " + k + " outside 0.." + (count - 1));
        }
    }

    private record Key(int[] values) {
        @Override
        public boolean equals(Object o) { return o instanceof Key other && Arrays.equals(values, other.values); }

        @Override
        public int hashCode() { return Arrays.hashCode(values); }
    }
}
