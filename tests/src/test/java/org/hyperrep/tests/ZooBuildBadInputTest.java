package org.hyperrep.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input to {@code zoo build}: exit code 2, a message that names the file, key or value, and nothing written
 * where readers look.
 */
class ZooBuildBadInputTest {
    @TempDir
    Path tmp;

    private Path out() { return tmp.resolve("zoo"); }

    private Cli.Run build(String... extra) {
        List<String> args = new ArrayList<>(List.of("zoo", "build", "--config", Zoos.config("tetris-tiny.conf"),
                "--out", out().toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    private void assertRefused(Cli.Run r, String... mentioned) {
        assertEquals(2, r.exitCode(), "exit code; stderr: " + r.err());
        for (String m : mentioned) assertTrue(r.err().contains(m), "message names '" + m + "': " + r.err());
        assertFalse(Files.exists(out().resolve("checkpoints")), "no data written");
        assertFalse(Files.exists(out().resolve("zoo.json")), "no manifest written");
    }

    @Test
    void unknownArchitecture() {
        assertRefused(build("--set", "zoo.architecture=resnet50"), "zoo.architecture", "resnet50");
    }

    @Test
    void unknownDataset() {
        assertRefused(build("--set", "zoo.dataset.name=imagenet"), "zoo.dataset.name", "imagenet");
    }

    @Test
    void unknownConfigKey() {
        assertRefused(build("--set", "zoo.training.epoch=3"), "zoo.training.epoch");
    }

    @Test
    void badConfigValue() {
        assertRefused(build("--set", "zoo.factors.optimizer=[adamw]"), "zoo.factors.optimizer", "adamw");
    }

    @Test
    void missingConfigFile() {
        Cli.Run r = Cli.run("zoo", "build", "--config", tmp.resolve("nope.conf").toString(), "--out", out().toString());
        assertRefused(r, "nope.conf");
    }

    @Test
    void missingIdxFile() throws IOException {
        Path data = tmp.resolve("fmnist");
        Files.createDirectories(data);
        assertRefused(build("--set", "zoo.architecture=cnn-s", "--set", "zoo.dataset.name=fashion-mnist",
                "--set", "zoo.dataset.path=\"" + data + "\"", "--set", "zoo.dataset.validation-size=50"),
                data.toString());
    }

    @Test
    void corruptIdxFile() throws IOException {
        Path data = tmp.resolve("fmnist");
        Files.createDirectories(data);
        for (String f : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            try (InputStream in = getClass().getResourceAsStream("/fixtures/fashion-mnist/" + f)) {
                Files.write(data.resolve(f), in.readAllBytes());
            }
        }
        // cut the training images short: the file says 300 images but holds fewer
        Path images = data.resolve("train-images-idx3-ubyte.gz");
        byte[] raw = new java.util.zip.GZIPInputStream(Files.newInputStream(images)).readAllBytes();
        try (var gz = new java.util.zip.GZIPOutputStream(Files.newOutputStream(images))) {
            gz.write(raw, 0, raw.length / 2);
        }
        assertRefused(build("--set", "zoo.architecture=cnn-s", "--set", "zoo.dataset.name=fashion-mnist",
                "--set", "zoo.dataset.path=\"" + data + "\"", "--set", "zoo.dataset.validation-size=50"),
                "train-images-idx3-ubyte.gz");
    }

    @Test
    void outputThatHoldsSomethingElse() throws IOException {
        Files.createDirectories(out());
        Files.writeString(out().resolve("thesis.tex"), "not a zoo");
        Cli.Run r = build();
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains(out().toString()), r.err());
        try (Stream<Path> s = Files.list(out())) {
            assertEquals(List.of("thesis.tex"), s.map(p -> p.getFileName().toString()).toList(), "nothing added");
        }
    }

    @Test
    void existingZooOfAnotherRecipe() {
        Cli.ok("zoo", "build", "--config", Zoos.config("tetris-tiny.conf"), "--out", out().toString(),
                "--set", "zoo.factors.seeds=[1]", "--set", "zoo.factors.activation=[tanh]",
                "--set", "zoo.factors.optimizer=[adam]");
        long before = Zoos.rows(out().toString()).count();
        Cli.Run r = build("--set", "zoo.training.epochs=5");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("zoo.training"), r.err());
        assertEquals(before, Zoos.rows(out().toString()).count(), "nothing added");
    }
}
