package org.hyperrep.tests;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.hyperrep.config.ConfigFiles;
import org.hyperrep.encoder.EncoderConfig;
import org.hyperrep.encoder.HyperRepresentationEncoder;
import org.hyperrep.encoder.HyperRepresentationLearner;
import org.hyperrep.store.ZooStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The learner is a Spark ML Estimator, its model a Transformer that adds `embedding` and persists. */
class SparkMlStagesTest {
    @TempDir
    Path tmp;

    @Test
    void fitTransformSaveLoad() throws Exception {
        String zoo = tmp.resolve("zoo").toString();
        Cli.ok("zoo", "build", "--config", Zoos.config("tetris-tiny.conf"), "--out", zoo,
                "--set", "zoo.factors.activation=[tanh]", "--set", "zoo.factors.optimizer=[adam]",
                "--set", "zoo.factors.seeds={from=1,to=8}");
        Dataset<Row> rows = new ZooStore(zoo).checkpoints(Zoos.spark()).filter(col("status").equalTo("ok"));
        EncoderConfig config = EncoderConfig.from(ConfigFiles.load(
                new File(TrainEmbedEndToEndTest.root(), "conf/encoders/tetris-small.conf"),
                List.of("encoder.training.epochs=2", "encoder.training.batch-size=8", "encoder.training.engine=local")));
        HyperRepresentationLearner learner = new HyperRepresentationLearner(config,
                new ZooStore(zoo).requireManifest().layout()).setCheckpointDir(tmp.resolve("ckpt").toString());

        PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[]{learner}).fit(rows);
        Dataset<Row> out = pipeline.transform(rows);
        assertEquals(rows.count(), out.count());
        assertEquals(rows.columns().length + 1, out.columns().length, "one column added, none removed");
        assertEquals("embedding", out.columns()[out.columns().length - 1]);
        assertEquals(16, out.first().<Float>getList(out.schema().fieldIndex("embedding")).size());

        HyperRepresentationEncoder model = (HyperRepresentationEncoder) pipeline.stages()[0];
        String saved = tmp.resolve("model").toString();
        model.write().save(saved);
        HyperRepresentationEncoder loaded = HyperRepresentationEncoder.load(saved);
        assertEquals(model.uid(), loaded.uid());
        Row a = model.transform(rows.limit(5)).orderBy("model_id", "epoch").first();
        Row b = loaded.transform(rows.limit(5)).orderBy("model_id", "epoch").first();
        assertArrayEquals(floats(a), floats(b), 0f, "a loaded model embeds identically");

        assertThrows(IllegalArgumentException.class, () -> model.transform(rows.drop("weights")),
                "transformSchema refuses a frame without the weights column");
    }

    private static float[] floats(Row r) {
        List<Float> l = r.getList(r.fieldIndex("embedding"));
        float[] f = new float[l.size()];
        for (int i = 0; i < f.length; i++) f[i] = l.get(i);
        return f;
    }
}
