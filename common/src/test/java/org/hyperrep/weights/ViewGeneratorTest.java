package org.hyperrep.weights;

import org.hyperrep.zoo.arch.Architectures;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Train and test views (docs/method.md) and their determinism. */
class ViewGeneratorTest {

    private static final WeightLayout CNN = Architectures.byName("cnn-s").layout();
    private static final WeightLayout TETRIS = Architectures.byName("tetris-mlp").layout();

    /** Gaussian values: no zeros, no ties, so sorted copies compare multisets of values. */
    private static float[] vector(WeightLayout layout, long seed) {
        Random r = new Random(seed);
        float[] v = new float[layout.size()];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return v;
    }

    private static float[] sorted(float[] v) {
        float[] s = v.clone();
        Arrays.sort(s);
        return s;
    }

    private static int zeros(float[] v) {
        int n = 0;
        for (float x : v) if (x == 0f) n++;
        return n;
    }

    /** The paper's setting with erasing always on and noise, so every train view shows both. */
    private static AugmentationSpec everything(long seed) {
        return new AugmentationSpec(true, 1000, true, 1.0, 0.02, 0.33, 0.05, seed);
    }

    @Test
    void twoTrainViewsDifferFromEachOtherAndFromTheInput() {
        for (WeightLayout layout : new WeightLayout[]{TETRIS, CNN}) {
            ViewGenerator g = new ViewGenerator(layout, AugmentationSpec.paper(1));
            float[] v = vector(layout, 2);
            float[] copy = v.clone();
            for (int sample = 0; sample < 20; sample++) {
                ViewGenerator.Views views = g.trainViews(v, 0, sample);
                assertEquals(v.length, views.first().length);
                assertFalse(Arrays.equals(views.first(), views.second()), layout.architecture() + " sample " + sample);
            }
            assertArrayEquals(copy, v, "the input is never modified");
        }
    }

    @Test
    void trainViewsAreNoisyAndErased() {
        ViewGenerator g = new ViewGenerator(CNN, everything(3));
        float[] v = vector(CNN, 4);
        Random rng = new Random(5);
        for (int i = 0; i < 20; i++) {
            float[] view = g.trainView(v, rng);
            int erased = zeros(view);
            assertTrue(erased >= g.spec().erasingMinFraction() * v.length - 1
                    && erased <= g.spec().erasingMaxFraction() * v.length + 1, "erased " + erased);
            int kept = 0;
            float[] original = sorted(v);
            for (float x : view) if (x != 0f && Arrays.binarySearch(original, x) >= 0) kept++;
            assertTrue(kept < v.length / 10, "noise moved (almost) every value, " + kept + " unchanged");
        }
    }

    @Test
    void testViewsArePermutationsOnly() {
        ViewGenerator g = new ViewGenerator(CNN, everything(6));
        float[] v = vector(CNN, 7);
        boolean moved = false;
        for (int sample = 0; sample < 20; sample++) {
            ViewGenerator.Views views = g.testViews(v, 3, sample);
            for (float[] view : new float[][]{views.first(), views.second()}) {
                assertEquals(0, zeros(view), "no erasing");
                assertArrayEquals(sorted(v), sorted(view), "no noise: the same values, rearranged");
                moved |= !Arrays.equals(v, view);
            }
        }
        assertTrue(moved, "test views are permuted");
        // With tetris every test view is one of the 120 permutations of the vector.
        ViewGenerator t = new ViewGenerator(TETRIS, everything(8));
        float[] w = vector(TETRIS, 9);
        float[] view = t.testViews(w, 0, 0).first();
        boolean found = false;
        for (int k = 0; k < t.permutation().count() && !found; k++) {
            found = Arrays.equals(view, t.permutation().apply(w, k));
        }
        assertTrue(found);
    }

    @Test
    void sameSeedSameViewsOtherSeedEpochOrSampleOtherViews() {
        float[] v = vector(CNN, 10);
        ViewGenerator a = new ViewGenerator(CNN, everything(11));
        ViewGenerator b = new ViewGenerator(CNN, everything(11));
        ViewGenerator.Views x = a.trainViews(v, 2, 17);
        ViewGenerator.Views y = b.trainViews(v, 2, 17);
        assertArrayEquals(x.first(), y.first());
        assertArrayEquals(x.second(), y.second());
        assertArrayEquals(a.testViews(v, 2, 17).first(), b.testViews(v, 2, 17).first());
        assertFalse(Arrays.equals(x.first(), a.trainViews(v, 3, 17).first()), "another epoch");
        assertFalse(Arrays.equals(x.first(), a.trainViews(v, 2, 18).first()), "another sample");
        ViewGenerator c = new ViewGenerator(CNN, everything(12));
        assertFalse(Arrays.equals(x.first(), c.trainViews(v, 2, 17).first()), "another seed");
        // The Random variants consume the generator in a fixed order.
        ViewGenerator.Views r1 = a.trainViews(v, new Random(13));
        ViewGenerator.Views r2 = b.trainViews(v, new Random(13));
        assertArrayEquals(r1.first(), r2.first());
        assertArrayEquals(r1.second(), r2.second());
    }

    @Test
    void noAugmentationGivesCopies() {
        ViewGenerator g = new ViewGenerator(CNN, AugmentationSpec.none(0));
        assertNull(g.permutation());
        float[] v = vector(CNN, 14);
        ViewGenerator.Views views = g.trainViews(v, 0, 0);
        assertNotSame(v, views.first());
        assertArrayEquals(v, views.first());
        assertArrayEquals(v, views.second());
        assertArrayEquals(v, g.testViews(v, 0, 0).first());
    }

    @Test
    void noiseAloneMovesEveryValueAndNothingElse() {
        AugmentationSpec spec = AugmentationSpec.none(0).withNoise(0.01);
        ViewGenerator g = new ViewGenerator(CNN, spec);
        float[] v = vector(CNN, 15);
        float[] view = g.trainViews(v, 0, 0).first();
        for (int i = 0; i < v.length; i++) {
            assertNotEquals(v[i], view[i]);
            assertEquals(v[i], view[i], 0.1, "in place: not permuted");
        }
        assertArrayEquals(v, g.testViews(v, 0, 0).first(), "test views have no noise");
    }

    @Test
    void specDefaultsAndValidation() {
        AugmentationSpec paper = AugmentationSpec.paper(0);
        assertTrue(paper.permutation() && paper.erasing());
        assertEquals(25_000, paper.permutationCount());
        assertEquals(0.5, paper.erasingProbability());
        assertEquals(0.02, paper.erasingMinFraction());
        assertEquals(0.33, paper.erasingMaxFraction());
        assertEquals(0.0, paper.noiseSigma());
        assertEquals(120, new ViewGenerator(TETRIS, paper).permutation().count());
        assertThrows(IllegalArgumentException.class, () -> paper.withNoise(-1));
        assertThrows(IllegalArgumentException.class, () -> paper.withPermutationCount(0));
        assertThrows(IllegalArgumentException.class,
                () -> new AugmentationSpec(true, 10, true, 2.0, 0.02, 0.33, 0, 0));
        ViewGenerator g = new ViewGenerator(TETRIS, paper);
        assertThrows(IllegalArgumentException.class, () -> g.trainViews(new float[99], 0, 0));
    }
}
