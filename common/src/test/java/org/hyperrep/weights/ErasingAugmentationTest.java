package org.hyperrep.weights;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Random erasing (docs/method.md): one contiguous zero block of 2–33% of the vector, with probability p. */
class ErasingAugmentationTest {

    /** A vector without zeros, so every zero in the output was erased. */
    private static float[] noZeros(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (i % 2 == 0 ? 1 : -1) * (0.5f + i);
        return v;
    }

    /** {start, length} of the single zero block, or null when nothing was erased; fails on anything else. */
    private static int[] erasedBlock(float[] in, float[] out) {
        int start = -1, end = -1;
        for (int i = 0; i < in.length; i++) {
            if (out[i] == 0f) {
                if (start < 0) start = i;
                else assertEquals(end, i, "zeros form one contiguous block");
                end = i + 1;
            } else {
                assertEquals(in[i], out[i], "value " + i + " outside the block is untouched");
            }
        }
        return start < 0 ? null : new int[]{start, end - start};
    }

    @Test
    void erasesOneBlockOfTwoToThirtyThreePercentWithProbabilityOneHalf() {
        ErasingAugmentation e = new ErasingAugmentation();
        int n = 1000;
        float[] v = noZeros(n);
        float[] copy = v.clone();
        Random rng = new Random(1);
        int draws = 4000, fired = 0, shortest = n, longest = 0, firstHalf = 0;
        for (int d = 0; d < draws; d++) {
            float[] out = e.apply(v, rng);
            assertNotSame(v, out);
            int[] block = erasedBlock(v, out);
            if (block == null) continue;
            fired++;
            assertTrue(block[1] >= 20 && block[1] <= 330, "block length " + block[1]);
            shortest = Math.min(shortest, block[1]);
            longest = Math.max(longest, block[1]);
            if (block[0] + block[1] / 2 < n / 2) firstHalf++;
        }
        assertArrayEquals(copy, v, "the input is never modified");
        // 4000 Bernoulli(0.5) draws: standard deviation of the rate 0.008.
        assertEquals(0.5, fired / (double) draws, 0.03, "fired " + fired + " of " + draws);
        assertTrue(shortest <= 25 && longest >= 325, "lengths cover the range: " + shortest + ".." + longest);
        assertEquals(0.5, firstHalf / (double) fired, 0.05, "positions are spread over the vector");
    }

    @Test
    void lengthRangeFollowsTheVectorSize() {
        ErasingAugmentation e = new ErasingAugmentation();
        assertEquals(2, e.minLength(100));
        assertEquals(33, e.maxLength(100));
        assertEquals(50, e.minLength(2464));     // ⌈49.28⌉
        assertEquals(813, e.maxLength(2464));    // ⌊813.12⌋
        assertEquals(1, e.minLength(10));
        assertEquals(3, e.maxLength(10));
        float[] v = noZeros(100);
        Random rng = new Random(2);
        boolean[] seen = new boolean[101];
        ErasingAugmentation always = new ErasingAugmentation(1.0, 0.02, 0.33);
        for (int d = 0; d < 3000; d++) {
            int[] block = erasedBlock(v, always.apply(v, rng));
            assertNotNull(block, "p = 1 always erases");
            seen[block[1]] = true;
            if (block[0] == 0) seen[0] = true;
        }
        for (int len = 2; len <= 33; len++) assertTrue(seen[len], "length " + len + " drawn");
        assertFalse(seen[1] || seen[34]);
        assertTrue(seen[0], "a block may start at the first value");
    }

    @Test
    void probabilityZeroNeverErases() {
        ErasingAugmentation never = new ErasingAugmentation(0.0, 0.02, 0.33);
        float[] v = noZeros(500);
        Random rng = new Random(3);
        for (int d = 0; d < 200; d++) assertArrayEquals(v, never.apply(v, rng));
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ErasingAugmentation(1.5, 0.02, 0.33));
        assertThrows(IllegalArgumentException.class, () -> new ErasingAugmentation(0.5, 0.4, 0.33));
        assertThrows(IllegalArgumentException.class, () -> new ErasingAugmentation(0.5, 0.0, 0.33));
        assertThrows(IllegalArgumentException.class, () -> new ErasingAugmentation(0.5, 0.02, 1.2));
        assertThrows(IllegalArgumentException.class, () -> new ErasingAugmentation(Double.NaN, 0.02, 0.33));
    }
}
