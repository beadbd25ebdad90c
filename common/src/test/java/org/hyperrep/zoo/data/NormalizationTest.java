package org.hyperrep.zoo.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NormalizationTest {

    @Test
    void fitsEachChannelSeparatelyAndAppliesTheSameTransformElsewhere() {
        // Two images of 2 channels × 1×2 pixels. Channel 0 holds 1, 3, 5, 7: mean 4, population variance
        // (9 + 1 + 1 + 9) / 4 = 5. Channel 1 is constant 2: std 0 is replaced by 1 so it is only shifted.
        ImageData train = new ImageData(2, 1, 2, 2, new float[]{1, 3, 2, 2, 5, 7, 2, 2}, new int[]{0, 1});
        Normalization n = Normalization.fit(train);
        assertEquals(4, n.mean(0), 1e-12);
        assertEquals(Math.sqrt(5), n.std(0), 1e-12);
        assertEquals(2, n.mean(1), 1e-12);
        assertEquals(1, n.std(1), 1e-12);

        ImageData other = new ImageData(2, 1, 2, 2, new float[]{4, 4 + (float) Math.sqrt(5), 3, 1}, new int[]{1});
        ImageData out = n.apply(other);
        assertArrayEquals(new float[]{0, 1, 1, -1}, out.pixels(), 1e-6f);
        assertArrayEquals(new int[]{1}, out.labels());
        assertEquals(4f, other.pixels()[0], "input untouched");
    }
}
