package org.hyperrep.config;

import org.hyperrep.zoo.ZooPlan;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every zoo config we ship loads, validates and plans the number of models its comment promises. */
class ShippedConfigsTest {
    private static final Map<String, Integer> MODELS = Map.of(
            "tetris-seed", 1000, "tetris-seed-small", 30, "tetris-hyp", 256 * 4, "tetris-hyp-small", 64,
            "fmnist-seed", 1000, "fmnist-seed-small", 8, "fmnist-hyp", 256, "fmnist-hyp-small", 16,
            "bench-cnn-s-fmnist", 4);

    @Test
    void zooConfigsPlanTheirModels() {
        File[] files = new File("../conf/zoos").listFiles((d, n) -> n.endsWith(".conf"));
        assertEquals(MODELS.size(), files.length, "a test entry for every shipped zoo config");
        for (File f : files) {
            ZooConfig zoo = ZooConfig.from(ConfigFiles.load(f, List.of()));
            String name = f.getName().replace(".conf", "");
            assertEquals(name, zoo.name(), f + ": zoo.name matches the file name");
            assertEquals(MODELS.get(name), ZooPlan.plan(zoo).size(), f.getName());
        }
    }

    @Test
    void pipelineAndSweepConfigsLoadWithEveryStage() {
        com.typesafe.config.Config demo = ConfigFiles.load(new File("../conf/pipelines/tetris-demo.conf"), List.of());
        assertEquals("tetris-hyp-small", ZooConfig.from(demo).name(), "the demo builds the small Tetris Hyp zoo");
        assertEquals("attention", demo.getString("encoder.architecture"));
        assertEquals(20, ProbeConfig.from(demo).gbt().maxIter());
        com.typesafe.config.Config fmnist = ConfigFiles.load(new File("../conf/pipelines/fmnist-hyp-cpu.conf"), List.of());
        ZooConfig fmnistZoo = ZooConfig.from(fmnist);
        assertEquals(256, ZooPlan.plan(fmnistZoo).size(), "every config of the F-MNIST Hyp grid");
        assertEquals("local", fmnist.getString("encoder.training.engine"));
        assertEquals(64, org.hyperrep.encoder.EncoderConfig.from(fmnist).spec().latentDim());
        assertEquals("f-mnist-hyp", fmnist.getString("probe.paper-reference"));
        SweepSpec sweep = SweepSpec.from(ConfigFiles.load(new File("../conf/sweeps/tetris-ablation.conf"), List.of()));
        assertEquals(List.of("base", "architecture=mlp", "latent-dim=8", "latent-dim=32", "gamma=0", "gamma=1",
                "permutation=false", "erasing=false", "noise=0.05"), sweep.cells().stream().map(SweepSpec.Cell::name).toList());
        for (File f : new File("../conf/encoders").listFiles((d, n) -> n.endsWith(".conf"))) {
            org.hyperrep.encoder.EncoderConfig.from(ConfigFiles.load(f, List.of()));
        }
    }
}
