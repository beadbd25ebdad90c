package org.hyperrep.store.smallcnn;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a small Small CNN Zoo directory straight from the format's specification (not through the code under
 * test): layout.csv as published, weights.npy with a hand-built version 1.0 header, metrics.csv.gz as pandas writes
 * it. Each weight encodes where it sits in the source row: row r, column j holds {@code r * 5000 + j}, exact in
 * float32, so the canonical position of every (layer, TF index) can be asserted.
 */
final class SmallCnnZooFiles {
    static final int PARAMS = 4970;
    static final String LAYOUT = """
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
    static final String HEADER = "config.activation,config.b_init,config.dataset,config.dnn_architecture,"
            + "config.dropout,config.epochs,config.epochs_between_checkpoints,config.init_std,config.l2reg,"
            + "config.learning_rate,config.num_layers,config.num_units,config.optimizer,config.random_seed,"
            + "config.train_fraction,config.w_init,modeldir,step,test_accuracy,test_loss,train_accuracy,train_loss";
    /** Two models, three checkpoints each; row 5 (model B, step 86) diverged. */
    static final List<String> METRICS_ROWS = List.of(
            "relu,zeros,fashion_mnist,cnn,0.05,86,20,0.1,0.0015,0.0042,3,16,adam,42,0.5,he_normal,"
                    + "/tmp/zoo/4/1/,0,0.0987,2.3031,0.1003,2.3029",
            "relu,zeros,fashion_mnist,cnn,0.05,86,20,0.1,0.0015,0.0042,3,16,adam,42,0.5,he_normal,"
                    + "/tmp/zoo/4/1/,1,0.7112,0.8014,0.7251,0.7733",
            "relu,zeros,fashion_mnist,cnn,0.05,86,20,0.1,0.0015,0.0042,3,16,adam,42,0.5,he_normal,"
                    + "/tmp/zoo/4/1/,86,0.8405,0.4421,0.8712,0.3598",
            "tanh,zeros,fashion_mnist,cnn,0.0,86,20,0.03,1e-06,0.3,3,16,sgd,42,1.0,RandomNormal,"
                    + "/tmp/zoo/7/1/,0,0.1,2.31,0.1,2.31",
            "tanh,zeros,fashion_mnist,cnn,0.0,86,20,0.03,1e-06,0.3,3,16,sgd,42,1.0,RandomNormal,"
                    + "/tmp/zoo/7/1/,1,0.1,2.4,0.1,2.41",
            "tanh,zeros,fashion_mnist,cnn,0.0,86,20,0.03,1e-06,0.3,3,16,sgd,42,1.0,RandomNormal,"
                    + "/tmp/zoo/7/1/,86,0.1,,0.1,");
    static final int DIVERGED_ROW = 5;

    private SmallCnnZooFiles() {}

    static float value(int row, int column) { return row * 5000 + column; }

    static void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("layout.csv"), LAYOUT);
        writeMetrics(dir, METRICS_ROWS);
        float[][] rows = new float[METRICS_ROWS.size()][PARAMS];
        for (int r = 0; r < rows.length; r++) for (int j = 0; j < PARAMS; j++) rows[r][j] = value(r, j);
        rows[DIVERGED_ROW][1000] = Float.NaN;
        rows[DIVERGED_ROW][4900] = Float.POSITIVE_INFINITY;
        writeNpy(dir.resolve("weights.npy"), rows, "<f4", 1);
    }

    static void writeMetrics(Path dir, List<String> rows) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("metrics.csv.gz")))) {
            List<String> lines = new ArrayList<>(List.of(HEADER));
            lines.addAll(rows);
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A .npy file as numpy.save writes it: magic, version, header length, dict padded to 64 bytes, then data. */
    static void writeNpy(Path file, float[][] rows, String descr, int major) throws IOException {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + rows.length + ", "
                + rows[0].length + "), }";
        int preamble = major == 1 ? 10 : 12;
        int pad = (64 - (preamble + dict.length() + 1) % 64) % 64;
        byte[] header = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(preamble + header.length + rows.length * rows[0].length * 4)
                .order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) b.putShort((short) header.length); else b.putInt(header.length);
        b.put(header);
        for (float[] row : rows) for (float v : row) b.putFloat(v);
        Files.write(file, b.array());
    }

    /** The bytes of a .npy file after its header. */
    static byte[] npyData(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int start = all[6] == 1 ? 10 + (b.getShort(8) & 0xffff) : 12 + b.getInt(8);
        return java.util.Arrays.copyOfRange(all, start, all.length);
    }

    static String npyHeader(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int len = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).getShort(8) & 0xffff;
        return new String(all, 10, len, StandardCharsets.US_ASCII);
    }
}
