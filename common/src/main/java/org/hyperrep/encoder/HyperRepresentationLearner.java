package org.hyperrep.encoder;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.hyperrep.weights.WeightLayout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The hyper-representation learner as a Spark ML {@link Estimator}: {@code fit} trains the encoder on the weight
 * vectors of a DataFrame (column {@code weights}; every row is one sample) and returns a
 * {@link HyperRepresentationEncoder} whose {@code transform} adds the embedding column. The {@code hyperrep train}
 * job does the same with a zoo's splits, monitoring and provenance.
 */
public final class HyperRepresentationLearner extends Estimator<HyperRepresentationEncoder> {
    private final String uid;
    private final EncoderConfig config;
    private final WeightLayout layout;
    private final Param<String> weightsCol;

    /** Spark ML finds params through public no-argument methods. */
    public Param<String> weightsCol() { return weightsCol; }
    private final Param<String> checkpointDir;

    public Param<String> checkpointDir() { return checkpointDir; }

    public HyperRepresentationLearner(EncoderConfig config, WeightLayout layout) {
        this(Identifiable$.MODULE$.randomUID("hyperRepLearner"), config, layout);
    }

    private HyperRepresentationLearner(String uid, EncoderConfig config, WeightLayout layout) {
        this.uid = uid;
        this.config = config;
        this.layout = layout;
        this.weightsCol = new Param<>(this, "weightsCol", "input column: the canonical weight vector (array<float>)");
        this.checkpointDir = new Param<>(this, "checkpointDir", "where training checkpoints go (resumed if present)");
        setDefault(weightsCol, "weights");
        setDefault(checkpointDir, System.getProperty("java.io.tmpdir") + "/hyperrep-learner-" + uid);
    }

    public HyperRepresentationLearner setWeightsCol(String c) { set(weightsCol, c); return this; }
    public HyperRepresentationLearner setCheckpointDir(String d) { set(checkpointDir, d); return this; }

    @Override
    public String uid() { return uid; }

    @Override
    public HyperRepresentationEncoder fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        List<TrainingSample> samples = new ArrayList<>();
        for (Row r : dataset.toDF().select(getOrDefault(weightsCol)).collectAsList()) {
            samples.add(new TrainingSample(samples.size(), "row-" + samples.size(), 0,
                    TrainingSamples.floats(r.getList(0))));
        }
        EncoderStore store = new EncoderStore(getOrDefault(checkpointDir));
        EncoderTrainer trainer = new EncoderTrainer(config, layout, store,
                JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext()));
        ComputationGraph graph = trainer.train(samples, samples, uid + ":" + samples.size());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(graph, bytes, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HyperRepresentationEncoder(bytes.toByteArray()).setWeightsCol(getOrDefault(weightsCol))
                .setParent(this);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return new HyperRepresentationEncoder(new byte[0]).setWeightsCol(getOrDefault(weightsCol)).transformSchema(schema);
    }

    @Override
    public HyperRepresentationLearner copy(ParamMap extra) {
        return copyValues(new HyperRepresentationLearner(uid, config, layout), extra);
    }
}
