package org.hyperrep.zoo;

import org.hyperrep.config.ConfigFiles;
import org.hyperrep.config.ZooConfig;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZooPlanTest {
    private static ZooConfig zoo(String... overrides) {
        List<String> o = new java.util.ArrayList<>(List.of("zoo.name=t", "zoo.architecture=tetris-mlp",
                "zoo.dataset.name=tetris"));
        o.addAll(List.of(overrides));
        return ZooConfig.from(ConfigFiles.load(null, o));
    }

    @Test
    void gridIsTheFullProductTimesSeeds() {
        List<ModelSpec> plan = ZooPlan.plan(zoo("zoo.factors.activation=[tanh,relu,gelu]",
                "zoo.factors.learning-rate=[1e-3,1e-4]", "zoo.factors.seeds=[1,2,3,4]"));
        assertEquals(3 * 2 * 4, plan.size());
        assertEquals(plan.size(), plan.stream().map(ModelSpec::modelId).distinct().count(), "ids are unique");
    }

    @Test
    void idsAreStableAndDependOnEveryFactor() {
        List<ModelSpec> a = ZooPlan.plan(zoo("zoo.factors.seeds=[1,2]"));
        List<ModelSpec> b = ZooPlan.plan(zoo("zoo.factors.seeds=[1,2]"));
        assertEquals(a, b);
        // 1e-3 and 0.001 are the same value, so the same model
        assertEquals(ZooPlan.plan(zoo("zoo.factors.learning-rate=[1e-3]")),
                ZooPlan.plan(zoo("zoo.factors.learning-rate=[0.001]")));
        String base = ZooPlan.plan(zoo()).get(0).modelId();
        for (String o : List.of("zoo.name=u", "zoo.architecture=cnn-s", "zoo.dataset.name=mnist",
                "zoo.dataset.data-fraction=0.5", "zoo.factors.activation=[relu]", "zoo.factors.init=[normal]",
                "zoo.factors.optimizer=[sgd]", "zoo.factors.learning-rate=[0.1]", "zoo.factors.weight-decay=[0.1]",
                "zoo.factors.dropout=[0.5]", "zoo.factors.train-fraction=[0.5]", "zoo.factors.seeds=[9]")) {
            assertNotEquals(base, ZooPlan.plan(zoo(o)).get(0).modelId(), o);
        }
    }

    @Test
    void largerPlanContainsTheSmallerWithTheSameSplits() {
        Map<String, String> small = ZooPlan.plan(zoo("zoo.factors.seeds=[1,2]", "zoo.factors.activation=[tanh]"))
                .stream().collect(Collectors.toMap(ModelSpec::modelId, ModelSpec::split));
        Map<String, String> large = ZooPlan.plan(zoo("zoo.factors.seeds=[1,2,3]", "zoo.factors.activation=[tanh,relu]"))
                .stream().collect(Collectors.toMap(ModelSpec::modelId, ModelSpec::split));
        assertEquals(6, large.size());
        small.forEach((id, split) -> assertEquals(split, large.get(id), id));
    }

    @Test
    void randomSamplingKeepsEarlierDrawsWhenTheCountGrows() {
        String[] space = {"zoo.factors.sampling=random", "zoo.factors.activation=[tanh,relu,gelu,sigmoid]",
                "zoo.factors.learning-rate={min=1e-4,max=1e-2,log=true}", "zoo.factors.dropout={min=0,max=0.5}"};
        List<ModelSpec> ten = ZooPlan.plan(zoo(concat(space, "zoo.factors.random-count=10")));
        List<ModelSpec> twenty = ZooPlan.plan(zoo(concat(space, "zoo.factors.random-count=20")));
        assertEquals(10, ten.size());
        assertEquals(ten, twenty.subList(0, 10));
        for (ModelSpec m : twenty) {
            double lr = m.factors().learningRate();
            assertTrue(lr >= 1e-4 && lr <= 1e-2, "lr " + lr);
            assertTrue(m.factors().dropout() >= 0 && m.factors().dropout() <= 0.5);
        }
        Set<Double> lrs = new HashSet<>();
        twenty.forEach(m -> lrs.add(m.factors().learningRate()));
        assertEquals(20, lrs.size(), "continuous draws differ");
    }

    @Test
    void splitFractionsAreRoughlyAsConfigured() {
        List<ModelSpec> plan = ZooPlan.plan(zoo("zoo.factors.seeds={from=1,to=2000}"));
        assertEquals(2000, plan.size());
        assertEquals(2000L, plan.get(plan.size() - 1).factors().seed());
        Map<String, Long> n = plan.stream().collect(Collectors.groupingBy(ModelSpec::split, Collectors.counting()));
        assertEquals(0.70, n.get("train") / 2000.0, 0.04);
        assertEquals(0.15, n.get("validation") / 2000.0, 0.03);
        assertEquals(0.15, n.get("test") / 2000.0, 0.03);
    }

    private static String[] concat(String[] a, String b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + 1);
        r[a.length] = b;
        return r;
    }
}
