package org.hyperrep.encoder;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.hyperrep.store.HadoopFiles;
import org.hyperrep.store.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A trained hyper-representation encoder as a Spark ML {@link Model}: {@code transform} adds the embedding of each
 * row's weights as a new column (default {@code embedding}) and changes nothing else. Persists with
 * {@code write().save(path)} and {@link #load(String)} (the DL4J model file plus a JSON record of the params).
 */
public final class HyperRepresentationEncoder extends Model<HyperRepresentationEncoder> implements MLWritable {
    private final String uid;
    private final byte[] modelBytes;
    private final Param<String> weightsCol;

    /** Spark ML finds params through public no-argument methods. */
    public Param<String> weightsCol() { return weightsCol; }
    private final Param<String> outputCol;

    public Param<String> outputCol() { return outputCol; }

    public HyperRepresentationEncoder(String uid, byte[] modelBytes) {
        this.uid = uid;
        this.modelBytes = modelBytes;
        this.weightsCol = new Param<>(this, "weightsCol", "input column: the canonical weight vector (array<float>)");
        this.outputCol = new Param<>(this, "outputCol", "output column: the embedding (array<float>)");
        setDefault(weightsCol, "weights");
        setDefault(outputCol, "embedding");
    }

    public HyperRepresentationEncoder(byte[] modelBytes) {
        this(Identifiable$.MODULE$.randomUID("hyperRepEncoder"), modelBytes);
    }

    public HyperRepresentationEncoder setWeightsCol(String c) { set(weightsCol, c); return this; }
    public HyperRepresentationEncoder setOutputCol(String c) { set(outputCol, c); return this; }
    public String getWeightsCol() { return getOrDefault(weightsCol); }
    public String getOutputCol() { return getOrDefault(outputCol); }

    /** The DL4J model file of the encoder. */
    public byte[] modelBytes() { return modelBytes.clone(); }

    @Override
    public String uid() { return uid; }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        Broadcast<byte[]> model = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext())
                .broadcast(modelBytes);
        return Embedder.embed(dataset.toDF(), getWeightsCol(), getOutputCol(), model);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        String in = getWeightsCol();
        if (!java.util.Arrays.asList(schema.fieldNames()).contains(in)) {
            throw new IllegalArgumentException("input column '" + in + "' is missing; columns: "
                    + String.join(", ", schema.fieldNames()));
        }
        if (!schema.apply(in).dataType().sameType(DataTypes.createArrayType(DataTypes.FloatType))) {
            throw new IllegalArgumentException("column '" + in + "' must be array<float>, is "
                    + schema.apply(in).dataType().simpleString());
        }
        if (java.util.Arrays.asList(schema.fieldNames()).contains(getOutputCol())) {
            throw new IllegalArgumentException("output column '" + getOutputCol() + "' already exists");
        }
        return schema.add(getOutputCol(), DataTypes.createArrayType(DataTypes.FloatType, false), false);
    }

    @Override
    public HyperRepresentationEncoder copy(ParamMap extra) {
        return copyValues(new HyperRepresentationEncoder(uid, modelBytes), extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        HyperRepresentationEncoder self = this;
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                Path dir = new Path(path);
                try (FSDataOutputStream out = HadoopFiles.fs(dir).create(new Path(dir, EncoderStore.MODEL), true)) {
                    out.write(self.modelBytes);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot save the encoder to " + path, e);
                }
                HadoopFiles.writeTextAtomically(new Path(dir, "metadata.json"), json(Map.of("class",
                        HyperRepresentationEncoder.class.getName(), "uid", self.uid, "weightsCol", self.getWeightsCol(),
                        "outputCol", self.getOutputCol())));
            }
        };
    }

    /** Loads a model saved with {@code write().save(path)}. */
    @SuppressWarnings("unchecked")
    public static HyperRepresentationEncoder load(String path) {
        Path dir = new Path(path);
        try (InputStream in = HadoopFiles.fs(dir).open(new Path(dir, EncoderStore.MODEL))) {
            byte[] bytes = in.readAllBytes();
            Map<String, String> meta = Json.MAPPER.readValue(HadoopFiles.readText(new Path(dir, "metadata.json")), Map.class);
            return new HyperRepresentationEncoder(meta.get("uid"), bytes).setWeightsCol(meta.get("weightsCol"))
                    .setOutputCol(meta.get("outputCol"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the encoder from " + path, e);
        }
    }

    private static String json(Object o) {
        try {
            return Json.MAPPER.writeValueAsString(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
