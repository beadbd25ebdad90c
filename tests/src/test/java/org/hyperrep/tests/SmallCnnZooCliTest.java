package org.hyperrep.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code zoo import --format small-cnn-zoo}, {@code zoo describe} and {@code zoo export} through the CLI on files
 * written in the published Small CNN Zoo layout, and a bad input.
 */
class SmallCnnZooCliTest {
    private static final String LAYOUT = """
            varname,start_idx,end_idx,size,shape
            sequential/conv2d/bias:0,0,16,16,"(16,)"
            sequential/conv2d/kernel:0,16,160,144,"(3, 3, 1, 16)"
            sequential/conv2d_1/bias:0,160,176,16,"(16,)"
            sequential/conv2d_1/kernel:0,176,2480,2304,"(3, 3, 16, 16)"
            sequential/conv2d_2/bias:0,2480,2496,16,"(16,)"
            sequential/conv2d_2/kernel:0,2496,4800,2304,"(3, 3, 16, 16)"
            sequential/dense/bias:0,4800,4810,10,"(10,)"
            sequential/dense/kernel:0,4810,4970,160,"(16, 10)"
            """;
    private static final String METRICS = """
            config.activation,config.b_init,config.dataset,config.dnn_architecture,config.dropout,config.epochs,\
            config.epochs_between_checkpoints,config.init_std,config.l2reg,config.learning_rate,config.num_layers,\
            config.num_units,config.optimizer,config.random_seed,config.train_fraction,config.w_init,modeldir,step,\
            test_accuracy,test_loss,train_accuracy,train_loss
            relu,zeros,mnist,cnn,0.1,86,20,0.1,0.001,0.01,3,16,adam,42,1.0,he_normal,/w/1/,0,0.1,2.3,0.1,2.3
            relu,zeros,mnist,cnn,0.1,86,20,0.1,0.001,0.01,3,16,adam,42,1.0,he_normal,/w/1/,86,0.97,0.1,0.98,0.08
            tanh,zeros,mnist,cnn,0.0,86,20,0.1,0.0,0.5,3,16,sgd,42,0.1,glorot_uniform,/w/2/,86,0.1,,0.1,
            """;

    @TempDir
    Path tmp;

    private Path writeSource(int weightRows) throws IOException {
        Path dir = tmp.resolve("fmnist-src");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("layout.csv"), LAYOUT);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("metrics.csv.gz")))) {
            out.write(METRICS.getBytes(StandardCharsets.UTF_8));
        }
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + weightRows + ", 4970), }";
        String header = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + weightRows * 4970 * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        for (int r = 0; r < weightRows; r++) {
            for (int j = 0; j < 4970; j++) b.putFloat(r == 2 && j == 3000 ? Float.NaN : (float) Math.sin(r * 4970 + j));
        }
        Files.write(dir.resolve("weights.npy"), b.array());
        return dir;
    }

    @Test
    void importDescribeExport() throws IOException {
        Path src = writeSource(3);
        String zoo = tmp.resolve("zoo").toString();
        Cli.ok("zoo", "import", "--format", "small-cnn-zoo", src.toString(), "--out", zoo, "--master", "local[1]");
        assertTrue(Files.exists(Path.of(zoo, "zoo.json")));
        assertEquals(3, Zoos.rows(zoo).count());

        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Cli.ok("zoo", "describe", zoo, "--master", "local[1]");
        } finally {
            System.setOut(stdout);
        }
        String description = captured.toString(StandardCharsets.UTF_8);
        System.out.print(description);
        assertTrue(description.contains("cnn-unterthiner (4970 parameters"), description);
        assertTrue(description.contains("diverged"), description);
        assertTrue(description.contains("he_normal"), description);

        Path out = tmp.resolve("exported");
        Cli.ok("zoo", "export", "--format", "small-cnn-zoo", zoo, "--out", out.toString(), "--master", "local[1]");
        assertArrayEquals(Files.readAllBytes(src.resolve("weights.npy")), Files.readAllBytes(out.resolve("weights.npy")),
                "weights.npy comes back byte for byte");
        assertEquals(LAYOUT, Files.readString(out.resolve("layout.csv")));
        assertTrue(Files.exists(out.resolve("metrics.csv.gz")));
    }

    @Test
    void rowCountMismatchExitsWithTwoAndWritesNothing() throws IOException {
        Path src = writeSource(2);
        Path zoo = tmp.resolve("zoo");
        Cli.Run r = Cli.run("zoo", "import", "--format", "small-cnn-zoo", src.toString(), "--out", zoo.toString(),
                "--master", "local[1]");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("weights.npy has 2 rows") && r.err().contains("metrics.csv.gz has 3"), r.err());
        assertFalse(Files.exists(zoo), "nothing written");
    }

    @Test
    void exportRefusesAnotherArchitecture() {
        Path zoo = tmp.resolve("tetris");
        Cli.ok("zoo", "build", "--config", Zoos.config("tetris-tiny.conf"), "--out", zoo.toString(),
                "--set", "zoo.factors.seeds=[1]", "--set", "zoo.factors.activation=[tanh]",
                "--set", "zoo.factors.optimizer=[adam]");
        Path out = tmp.resolve("out");
        Cli.Run r = Cli.run("zoo", "export", "--format", "small-cnn-zoo", zoo.toString(), "--out", out.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("tetris-mlp"), r.err());
        assertFalse(Files.exists(out), "nothing written");
    }
}
