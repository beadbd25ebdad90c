package org.hyperrep.config;

import com.typesafe.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigFilesTest {
    @TempDir
    Path dir;

    private File write(String text) throws Exception {
        Path p = dir.resolve("zoo.conf");
        Files.writeString(p, text);
        return p.toFile();
    }

    private static final String MINIMAL = "zoo { name = t, architecture = tetris-mlp, dataset.name = tetris }\n";

    @Test
    void defaultsFillWhatTheFileLeavesOut() throws Exception {
        ZooConfig z = ZooConfig.from(ConfigFiles.load(write(MINIMAL), List.of()));
        assertEquals("t", z.name());
        assertEquals(32, z.training().batchSize());
        assertEquals(11, z.training().checkpointEpochs().size(), "checkpoint-epochs = all means 0..10");
        assertEquals(0.7, z.split().train());
    }

    @Test
    void includesResolveBesideTheFileAndAMissingOneIsRefused() throws Exception {
        Files.createDirectories(dir.resolve("zoos"));
        Files.writeString(dir.resolve("zoos/base.conf"), MINIMAL);
        Files.writeString(dir.resolve("zoos/small.conf"), "include required(\"base.conf\")\nzoo.training.epochs = 2\n");
        ZooConfig z = ZooConfig.from(ConfigFiles.load(dir.resolve("zoos/small.conf").toFile(), List.of()));
        assertEquals("t", z.name());
        assertEquals(2, z.training().epochs());
        // a config given by a relative path (as users type it) resolves its includes beside itself too
        File relative = java.nio.file.Path.of("").toAbsolutePath().relativize(dir.resolve("zoos/small.conf")).toFile();
        assertEquals("t", ZooConfig.from(ConfigFiles.load(relative, List.of())).name());
        Files.writeString(dir.resolve("zoos/broken.conf"), "include required(\"nothere.conf\")\n");
        BadInputException e = assertThrows(BadInputException.class,
                () -> ConfigFiles.load(dir.resolve("zoos/broken.conf").toFile(), List.of()));
        assertTrue(e.getMessage().contains("nothere.conf") && e.getMessage().contains("broken.conf"), e.getMessage());
    }

    @Test
    void overridesWinOverTheFile() throws Exception {
        Config c = ConfigFiles.load(write(MINIMAL), List.of("zoo.training.epochs=3", "zoo.factors.seeds=[1,2,3]"));
        ZooConfig z = ZooConfig.from(c);
        assertEquals(3, z.training().epochs());
        assertEquals(List.of(1L, 2L, 3L), z.factors().seeds());
    }

    @Test
    void unknownKeyInFileIsRefusedWithItsNameAndFile() throws Exception {
        File f = write(MINIMAL + "zoo.factors.activaton = [relu]\n");
        BadInputException e = assertThrows(BadInputException.class, () -> ConfigFiles.load(f, List.of()));
        assertTrue(e.getMessage().contains("zoo.factors.activaton"), e.getMessage());
        assertTrue(e.getMessage().contains(f.getPath()), e.getMessage());
    }

    @Test
    void unknownKeyInOverrideIsRefused() throws Exception {
        BadInputException e = assertThrows(BadInputException.class,
                () -> ConfigFiles.load(write(MINIMAL), List.of("zoo.trainig.epochs=3")));
        assertTrue(e.getMessage().contains("zoo.trainig.epochs"), e.getMessage());
    }

    @Test
    void badValuesNameKeyAndValue() throws Exception {
        BadInputException e = assertThrows(BadInputException.class, () -> ZooConfig.from(
                ConfigFiles.load(write(MINIMAL), List.of("zoo.factors.activation=[tanh, swish]"))));
        assertTrue(e.getMessage().contains("zoo.factors.activation") && e.getMessage().contains("swish"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> ZooConfig.from(
                ConfigFiles.load(write(MINIMAL), List.of("zoo.architecture=resnet"))));
        assertTrue(e.getMessage().contains("resnet"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> ZooConfig.from(
                ConfigFiles.load(write(MINIMAL), List.of("zoo.factors.dropout=[1.5]"))));
        assertTrue(e.getMessage().contains("zoo.factors.dropout"), e.getMessage());
        e = assertThrows(BadInputException.class, () -> ZooConfig.from(
                ConfigFiles.load(write(MINIMAL), List.of("zoo.training.epochs=\"many\""))));
        assertTrue(e.getMessage().contains("zoo.training.epochs"), e.getMessage());
    }

    @Test
    void missingFileAndSyntaxErrorsAreNamed() throws Exception {
        BadInputException e = assertThrows(BadInputException.class,
                () -> ConfigFiles.load(new File(dir.toFile(), "nope.conf"), List.of()));
        assertTrue(e.getMessage().contains("nope.conf"));
        File bad = write("zoo { name = ");
        e = assertThrows(BadInputException.class, () -> ConfigFiles.load(bad, List.of()));
        assertTrue(e.getMessage().contains(bad.getPath()));
    }

    @Test
    void rangesNeedRandomSampling() throws Exception {
        String text = MINIMAL + "zoo.factors.learning-rate = { min = 1e-4, max = 1e-2, log = true }\n";
        assertThrows(BadInputException.class, () -> ZooConfig.from(ConfigFiles.load(write(text), List.of())));
        ZooConfig z = ZooConfig.from(ConfigFiles.load(write(text + "zoo.factors { sampling = random, random-count = 5 }\n"),
                List.of()));
        assertTrue(z.factors().learningRate().isRange());
    }
}
