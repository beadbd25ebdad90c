package org.hyperrep.zoo;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The manifest's factor values after a zoo grows: numbers in numeric order, one entry per value. */
class FactorValueOrderTest {
    @Test
    void numbersSortByValueAndAJsonIntegerEqualsThePlansLong() {
        TreeSet<Object> seeds = new TreeSet<>(ZooBuild::compareFactorValues);
        // read back from the manifest's JSON (Integer) and planned by the next build (Long)
        seeds.addAll(List.of(1, 2, 10));
        seeds.addAll(List.of(2L, 3L, 10L, 11L));
        assertEquals(List.of(1, 2, 3L, 10, 11L), new ArrayList<>(seeds));

        TreeSet<Object> rates = new TreeSet<>(ZooBuild::compareFactorValues);
        rates.addAll(List.of(1e-3, 1e-4, 3e-2, 0.1));
        assertEquals(List.of(1e-4, 1e-3, 3e-2, 0.1), new ArrayList<>(rates));
    }

    @Test
    void textSortsAsText() {
        TreeSet<Object> activations = new TreeSet<>(ZooBuild::compareFactorValues);
        activations.addAll(List.of("tanh", "gelu", "relu", "gelu"));
        assertEquals(List.of("gelu", "relu", "tanh"), new ArrayList<>(activations));
    }
}
