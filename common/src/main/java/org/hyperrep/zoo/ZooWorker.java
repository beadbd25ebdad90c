package org.hyperrep.zoo;

import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.hyperrep.config.DatasetSpec;
import org.hyperrep.config.ZooConfig;
import org.hyperrep.store.CheckpointSchema;
import org.hyperrep.zoo.arch.Architecture;
import org.hyperrep.zoo.arch.Architectures;
import org.hyperrep.zoo.data.Datasets;
import org.hyperrep.zoo.data.ZooData;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The executor side of a zoo build: one call trains one model and returns its checkpoint rows. The data set is
 * loaded once per executor JVM and shared by every task in it; ND4J runs one thread per task so that concurrent
 * tasks fill the cores instead of fighting over them.
 */
public final class ZooWorker implements FlatMapFunction<ModelSpec, Row> {
    private static final Map<DatasetSpec, ZooData> DATA = new ConcurrentHashMap<>();

    private final ZooConfig zoo;
    private final int threadsPerTask;
    private final LongAccumulator modelsDone;

    public ZooWorker(ZooConfig zoo, int threadsPerTask, LongAccumulator modelsDone) {
        this.zoo = zoo;
        this.threadsPerTask = threadsPerTask;
        this.modelsDone = modelsDone;
    }

    /** The data set of this JVM, loaded on first use. */
    public static ZooData data(DatasetSpec spec) {
        return DATA.computeIfAbsent(spec, Datasets::load);
    }

    @Override
    public Iterator<Row> call(ModelSpec model) {
        Nd4jThreads.limit(threadsPerTask);
        Architecture arch = Architectures.byName(zoo.architecture());
        ModelTrainer trainer = new ModelTrainer(arch, data(zoo.dataset()), zoo.training());
        List<Row> rows = new ArrayList<>();
        for (Checkpoint c : trainer.train(model.factors())) {
            rows.add(CheckpointSchema.toRow(zoo.name(), zoo.architecture(), zoo.dataset().name(), model, c));
        }
        if (modelsDone != null) modelsDone.add(1);
        return rows.iterator();
    }
}
