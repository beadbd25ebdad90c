package org.hyperrep.weights;

import org.hyperrep.zoo.arch.Architectures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Where permutation sets move each weight (docs/method.md). That the permuted networks compute the same function is
 * {@link PermutationInvarianceTest}.
 */
class PermutationAugmentationTest {

    static List<String> architectures() { return Architectures.names(); }

    private static WeightLayout layout(String name) { return Architectures.byName(name).layout(); }

    @Test
    void tetrisUsesAllOneHundredTwentyPermutationsOfItsFiveHiddenUnits() {
        PermutationAugmentation p = new PermutationAugmentation(layout("tetris-mlp"), 1L);
        assertTrue(p.exhaustive());
        assertEquals(120, p.count());
        assertArrayEquals(identity(100), p.indexMap(0), "set 0 is the identity");
        Set<List<Integer>> hidden = new HashSet<>();
        Set<List<Integer>> maps = new HashSet<>();
        for (int k = 0; k < p.count(); k++) {
            int[] pi = p.permutation(k, 0);
            assertArrayEquals(identity(5), Arrays.stream(pi).sorted().toArray(), "a permutation of 0..4");
            hidden.add(Arrays.stream(pi).boxed().toList());
            maps.add(Arrays.stream(p.indexMap(k)).boxed().toList());
            assertArrayEquals(identity(4), p.permutation(k, 1), "the output layer never moves");
        }
        assertEquals(120, hidden.size(), "all 5! permutations, each once");
        assertEquals(120, maps.size());
        // Exactly 120 requested, or a different seed: the same enumeration.
        PermutationAugmentation exact = new PermutationAugmentation(layout("tetris-mlp"), 120, 99L);
        assertEquals(120, exact.count());
        for (int k = 0; k < 120; k++) assertArrayEquals(p.indexMap(k), exact.indexMap(k));
    }

    @Test
    void fewerSetsThanExistAreDrawnDistinctAtRandom() {
        PermutationAugmentation p = new PermutationAugmentation(layout("tetris-mlp"), 119, 5L);
        assertFalse(p.exhaustive());
        assertEquals(119, p.count());
        assertArrayEquals(identity(5), p.permutation(0, 0));
        Set<List<Integer>> seen = new HashSet<>();
        for (int k = 0; k < p.count(); k++) seen.add(Arrays.stream(p.permutation(k, 0)).boxed().toList());
        assertEquals(119, seen.size(), "redrawn until distinct even when nearly all are needed");
    }

    @Test
    void handComputedExample() {
        // dense 2→3 with bias, then dense 3→2 with bias: 6 + 3 + 6 + 2 = 17 values, value = index.
        WeightLayout l = WeightLayout.builder("toy").dense("d1", 2, 3, true).dense("d2", 3, 2, true).build();
        PermutationAugmentation p = new PermutationAugmentation(l, 10, 0L);
        assertEquals(6, p.count());
        float[] v = new float[17];
        for (int i = 0; i < v.length; i++) v[i] = i;
        // rank 3 in lexicographic order of permutations of {0,1,2}: [1, 2, 0]
        assertArrayEquals(new int[]{1, 2, 0}, p.permutation(3, 0));
        float[] expected = {
                2, 3, 4, 5, 0, 1,          // d1 rows: old rows 1, 2, 0
                7, 8, 6,                   // d1 biases: old 1, 2, 0
                10, 11, 9, 13, 14, 12,     // d2 rows stay, columns: old 1, 2, 0
                15, 16};                   // d2 biases stay
        assertArrayEquals(expected, p.apply(v, 3));
    }

    @ParameterizedTest
    @MethodSource("architectures")
    void everyIndexMapIsABijectionAndTheLastLayerOnlyMovesColumns(String name) {
        WeightLayout l = layout(name);
        PermutationAugmentation p = new PermutationAugmentation(l, 50, 7L);
        LayerLayout last = l.layers().get(l.layers().size() - 1);
        LayerLayout beforeLast = l.layers().get(l.layers().size() - 2);
        int blocks = beforeLast.out();
        int block = last.fanIn() / blocks;
        float[] v = NeuronTokenizerTest.awkwardVector(l.size(), 8);
        for (int k = 0; k < p.count(); k++) {
            int[] map = p.indexMap(k);
            assertArrayEquals(identity(l.size()), Arrays.stream(map).sorted().toArray(), "set " + k);
            float[] w = p.apply(v, k);
            int[] pi = p.permutation(k, l.layers().size() - 2);
            for (int u = 0; u < last.out(); u++) {
                if (last.bias()) {
                    assertEquals(Float.floatToRawIntBits(v[last.biasOffset() + u]),
                            Float.floatToRawIntBits(w[last.biasOffset() + u]), "last bias " + u);
                }
                for (int c = 0; c < blocks; c++) {
                    for (int r = 0; r < block; r++) {
                        int at = last.offset() + u * last.fanIn();
                        assertEquals(Float.floatToRawIntBits(v[at + pi[c] * block + r]),
                                Float.floatToRawIntBits(w[at + c * block + r]), "last row " + u + " column block " + c);
                    }
                }
            }
        }
    }

    @Test
    void convToDenseMovesWholeBlocksOfNineColumnsAndConvToConvMovesInputChannels() {
        WeightLayout l = layout("cnn-s");
        PermutationAugmentation p = new PermutationAugmentation(l, 20, 3L);
        float[] v = new float[l.size()];
        for (int i = 0; i < v.length; i++) v[i] = i;
        LayerLayout conv2 = l.layer("conv2");
        LayerLayout dense1 = l.layer("dense1");
        assertEquals(9, dense1.inputsPerUnit());
        for (int k = 1; k < p.count(); k++) {
            float[] w = p.apply(v, k);
            int[] pi1 = p.permutation(k, 0), pi2 = p.permutation(k, 1), pi3 = p.permutation(k, 2);
            int[] pid = p.permutation(k, 3);
            for (int u = 0; u < 6; u++) {
                for (int c = 0; c < 8; c++) {
                    for (int r = 0; r < 25; r++) {
                        assertEquals(v[conv2.offset() + pi2[u] * 200 + pi1[c] * 25 + r],
                                w[conv2.offset() + u * 200 + c * 25 + r]);
                    }
                }
                assertEquals(v[conv2.biasOffset() + pi2[u]], w[conv2.biasOffset() + u]);
            }
            for (int u = 0; u < 20; u++) {
                for (int c = 0; c < 4; c++) {
                    for (int pos = 0; pos < 9; pos++) {
                        assertEquals(v[dense1.offset() + pid[u] * 36 + pi3[c] * 9 + pos],
                                w[dense1.offset() + u * 36 + c * 9 + pos]);
                    }
                }
            }
        }
    }

    @Test
    void cnnSetsAreRandomDistinctAndSeeded() {
        WeightLayout l = layout("cnn-unterthiner");
        PermutationAugmentation a = new PermutationAugmentation(l, 42L);
        assertFalse(a.exhaustive());
        assertEquals(PermutationAugmentation.DEFAULT_COUNT, a.count());
        assertArrayEquals(identity(l.size()), a.indexMap(0));
        Set<List<Integer>> seen = new HashSet<>();
        for (int k = 0; k < a.count(); k++) {
            List<Integer> key = new java.util.ArrayList<>();
            for (int layer = 0; layer < 3; layer++) for (int x : a.permutation(k, layer)) key.add(x);
            seen.add(key);
        }
        assertEquals(a.count(), seen.size(), "distinct sets");
        PermutationAugmentation same = new PermutationAugmentation(l, 42L);
        PermutationAugmentation other = new PermutationAugmentation(l, 43L);
        boolean differs = false;
        for (int k : new int[]{1, 2, 777, 24_999}) {
            assertArrayEquals(a.indexMap(k), same.indexMap(k), "same seed, same sets");
            differs |= !Arrays.equals(a.indexMap(k), other.indexMap(k));
        }
        assertTrue(differs, "another seed draws other sets");
    }

    @Test
    void onlyTheSmallPermutationsAreStored() throws IOException {
        PermutationAugmentation p = new PermutationAugmentation(layout("cnn-unterthiner"), 0L);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(p);
        }
        // 25,000 × 48 unit indices ≈ 4.8 MB; full index maps would be 25,000 × 4970 ints ≈ 497 MB.
        assertTrue(bytes.size() < 6_000_000, "serialized size " + bytes.size());
    }

    @Test
    void applyRandomDrawsOneIndexFromTheGenerator() {
        PermutationAugmentation p = new PermutationAugmentation(layout("tetris-mlp"), 0L);
        float[] v = NeuronTokenizerTest.awkwardVector(100, 1);
        Random a = new Random(9), b = new Random(9);
        for (int i = 0; i < 20; i++) {
            float[] expected = p.apply(v, b.nextInt(p.count()));
            NeuronTokenizerTest.assertBitwiseEqual(expected, p.applyRandom(v, a));
        }
    }

    @Test
    void inconsistentLayoutsAndIndicesAreRejected() {
        WeightLayout bad = WeightLayout.builder("bad").dense("d1", 4, 3, true).dense("d2", 5, 2, true).build();
        assertThrows(IllegalArgumentException.class, () -> new PermutationAugmentation(bad, 10, 0L));
        PermutationAugmentation p = new PermutationAugmentation(layout("tetris-mlp"), 0L);
        assertThrows(IndexOutOfBoundsException.class, () -> p.indexMap(120));
        assertThrows(IllegalArgumentException.class, () -> p.apply(new float[99], 0));
        assertThrows(IllegalArgumentException.class, () -> new PermutationAugmentation(layout("cnn-s"), 0, 0L));
    }

    static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }
}
