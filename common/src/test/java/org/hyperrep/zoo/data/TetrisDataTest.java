package org.hyperrep.zoo.data;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TetrisDataTest {

    /*
     * Counted by hand. A shape whose bounding box is h×w has (4−h+1)·(4−w+1) placements in 4×4.
     *   I: 1×4 → 4·1 = 4, 4×1 → 1·4 = 4; turning by 180° gives the same picture: 8.
     *   L: four rotations, two with a 3×2 box (2·3 = 6 each), two with 2×3 (3·2 = 6 each): 24.
     *   T: same boxes as L, four distinct rotations: 24.
     *   S: two distinct rotations (180° maps S onto itself), 2×3 and 3×2: 6 + 6 = 12.
     * Total 68.
     */
    @Test
    void baseImageCountsPerClass() {
        assertEquals(8, TetrisData.baseImageCount(0));
        assertEquals(24, TetrisData.baseImageCount(1));
        assertEquals(24, TetrisData.baseImageCount(2));
        assertEquals(12, TetrisData.baseImageCount(3));
        assertEquals(8, TetrisData.baseImages(0).length);
        assertEquals(TetrisData.CLASSES, TetrisData.CLASS_NAMES.size());
    }

    @Test
    void baseImagesAreDistinctBinaryTetrominoesOfOneClassEach() {
        Set<String> seen = new HashSet<>();
        for (int cls = 0; cls < TetrisData.CLASSES; cls++) {
            for (float[] img : TetrisData.baseImages(cls)) {
                assertEquals(16, img.length);
                int on = 0;
                for (float v : img) {
                    assertTrue(v == 0f || v == 1f, "binary pixels");
                    on += (int) v;
                }
                assertEquals(4, on, "a tetromino has four cells");
                assertTrue(seen.add(Arrays.toString(img)), "image in two places: " + Arrays.toString(img));
            }
        }
        assertEquals(68, seen.size());
    }

    @Test
    void baseImagesContainTheExpectedPictures() {
        assertContains(0, new float[]{1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});   // I, top row
        assertContains(0, new float[]{0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1});   // I, right column
        assertContains(1, new float[]{0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0});   // L upright, shifted
        assertContains(1, new float[]{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 1});   // L lying, bottom right
        assertContains(2, new float[]{0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});   // T pointing up
        assertContains(3, new float[]{0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});   // S lying
        assertContains(3, new float[]{1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0});   // S standing
        // Mirror images are other tetrominoes (J, Z) and must not appear.
        assertAbsent(new float[]{0, 1, 0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0});        // J
        assertAbsent(new float[]{1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});        // Z
    }

    @Test
    void generateHasTheRightShapeAndIsDeterministicForASeed() {
        ImageData a = TetrisData.generate(500, 0.1, 42);
        ImageData b = TetrisData.generate(500, 0.1, 42);
        ImageData c = TetrisData.generate(500, 0.1, 43);
        assertEquals(500, a.size());
        assertEquals(1, a.channels());
        assertEquals(4, a.height());
        assertEquals(4, a.width());
        assertEquals(4, a.numClasses());
        assertArrayEquals(a.pixels(), b.pixels());
        assertArrayEquals(a.labels(), b.labels());
        assertFalse(Arrays.equals(a.pixels(), c.pixels()));
    }

    @Test
    void withoutNoiseEverySampleIsABaseImageOfItsClass() {
        ImageData d = TetrisData.generate(400, 0, 7);
        int[] perClass = new int[4];
        for (int i = 0; i < d.size(); i++) {
            float[] img = Arrays.copyOfRange(d.pixels(), i * 16, (i + 1) * 16);
            int cls = d.labels()[i];
            perClass[cls]++;
            boolean found = false;
            for (float[] base : TetrisData.baseImages(cls)) {
                found |= Arrays.equals(base, img);
            }
            assertTrue(found, "sample " + i + " is not a base image of class " + cls);
        }
        for (int n : perClass) {
            assertTrue(n > 60 && n < 140, "classes are drawn uniformly: " + Arrays.toString(perClass));
        }
    }

    @Test
    void noiseHasTheRequestedStandardDeviation() {
        double sigma = 0.1;
        ImageData d = TetrisData.generate(4000, sigma, 3);
        // With σ = 0.1 rounding recovers the clean pixel except with probability ~1e-6 per pixel.
        double sum = 0;
        double sq = 0;
        float[] px = d.pixels();
        for (float v : px) {
            double e = v - Math.round(v);
            sum += e;
            sq += e * e;
        }
        double mean = sum / px.length;
        double std = Math.sqrt(sq / px.length - mean * mean);
        assertEquals(0, mean, 0.005);
        assertEquals(sigma, std, 0.005);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> TetrisData.generate(-1, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> TetrisData.generate(10, -0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> TetrisData.generate(10, Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> TetrisData.baseImages(4));
    }

    private static void assertContains(int cls, float[] image) {
        for (float[] base : TetrisData.baseImages(cls)) {
            if (Arrays.equals(base, image)) {
                return;
            }
        }
        throw new AssertionError("class " + TetrisData.CLASS_NAMES.get(cls) + " lacks " + Arrays.toString(image));
    }

    private static void assertAbsent(float[] image) {
        for (int cls = 0; cls < TetrisData.CLASSES; cls++) {
            for (float[] base : TetrisData.baseImages(cls)) {
                assertFalse(Arrays.equals(base, image), "found in class " + cls + ": " + Arrays.toString(image));
            }
        }
    }
}
