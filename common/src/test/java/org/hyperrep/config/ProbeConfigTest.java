package org.hyperrep.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProbeConfigTest {
    @Test
    void defaultsAreThePapersRidgeGrid() {
        ProbeConfig p = ProbeConfig.from(ConfigFiles.load(null, List.of()));
        assertEquals(List.of(1e3, 3e2, 1e2, 3e1, 1e1, 3.0, 1.0, 3e-1, 1e-1, 3e-2, 1e-2, 3e-3, 1e-3, 3e-4, 1e-4, 3e-5, 1e-5),
                p.ridgeLambdas());
        assertEquals(0, p.maxTrainRows());
        assertTrue(p.logisticRegParams().size() < p.ridgeLambdas().size());
    }

    @Test
    void overridesApply() {
        ProbeConfig p = ProbeConfig.from(ConfigFiles.load(null,
                List.of("probe.gbt.max-iter=7", "probe.ridge-lambdas=[1, 0.1]", "probe.max-train-rows=500")));
        assertEquals(7, p.gbt().maxIter());
        assertEquals(List.of(1.0, 0.1), p.ridgeLambdas());
        assertEquals(500, p.maxTrainRows());
    }

    @Test
    void badKeysAndValuesAreNamed() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> ConfigFiles.load(null, List.of("probe.gbt.max-iters=7")));
        assertTrue(e.getMessage().contains("probe.gbt.max-iters"), e.getMessage());
        for (String bad : List.of("probe.ridge-lambdas=[]", "probe.ridge-lambdas=[1, -1]", "probe.gbt.step-size=0",
                "probe.gbt.max-depth=31", "probe.max-train-rows=-1", "probe.logistic-reg-params=[x]")) {
            String key = bad.substring(0, bad.indexOf('='));
            e = assertThrows(BadInputException.class, () -> ProbeConfig.from(ConfigFiles.load(null, List.of(bad))), bad);
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
    }
}
