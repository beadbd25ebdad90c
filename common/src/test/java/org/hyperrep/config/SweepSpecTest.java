package org.hyperrep.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepSpecTest {
    private static SweepSpec spec(String... sets) {
        return SweepSpec.from(ConfigFiles.load(null, List.of(sets)));
    }

    @Test
    void oneAtATimeIsTheBaseThenEachValueAlone() {
        SweepSpec s = spec("sweep.axes={\"encoder.gamma\"=[0, 1], \"encoder.augmentation.permutation\"=[false]}");
        // axes given on one line come by name (in a file: by line)
        assertEquals(List.of("base", "permutation=false", "gamma=0", "gamma=1"),
                s.cells().stream().map(SweepSpec.Cell::name).toList());
        assertEquals(List.of(), s.cells().get(0).overrides());
        assertEquals(List.of("encoder.gamma=1"), s.cells().get(3).overrides());
        assertEquals(List.of("encoder.augmentation.permutation=false"), s.cells().get(1).overrides());
        // each cell's overrides are valid --set values for the same config
        for (SweepSpec.Cell c : s.cells()) ConfigFiles.load(null, c.overrides());
        assertEquals(1.0, ConfigFiles.load(null, s.cells().get(3).overrides()).getDouble("encoder.gamma"));
    }

    @Test
    void gridIsEveryCombination() {
        SweepSpec s = spec("sweep.mode=grid", "sweep.axes={\"encoder.gamma\"=[0, 1], \"encoder.architecture\"=[mlp, attention]}");
        assertEquals(List.of("architecture=mlp,gamma=0", "architecture=mlp,gamma=1", "architecture=attention,gamma=0",
                "architecture=attention,gamma=1"), s.cells().stream().map(SweepSpec.Cell::name).toList());
        assertEquals(List.of("encoder.architecture=\"mlp\"", "encoder.gamma=1"), s.cells().get(1).overrides());
    }

    @Test
    void unknownAxesAndModesAreRefusedByName() {
        BadInputException e = assertThrows(BadInputException.class, () -> spec("sweep.axes={\"encoder.gama\"=[0]}"));
        assertTrue(e.getMessage().contains("encoder.gama"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> spec("sweep.mode=random"));
        assertTrue(e.getMessage().contains("random"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> spec("sweep.axes={\"encoder.gamma\"=[]}"));
        assertTrue(e.getMessage().contains("encoder.gamma"), e.getMessage());
    }
}
