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
 * The executor side of a zoo build: one call trains the models of one task (a partition) and returns their
 * checkpoint rows. Dense architectures train as one population ({@link PopulationTrainer}) when
 * {@code zoo.build.population-size} is above 1; everything else trains model by model through DL4J
 * ({@link ModelTrainer}). The data set is loaded once per executor JVM and shared by every task in it; ND4J runs
 * one thread per task so that concurrent tasks fill the cores instead of fighting over them.
 */
public final class ZooWorker implements FlatMapFunction<Iterator<ModelSpec>, Row> {
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

    /** Whether models of this zoo train as populations. */
    public static boolean trainsPopulations(ZooConfig zoo) {
        return zoo.populationSize() > 1 && PopulationTrainer.supports(Architectures.byName(zoo.architecture()));
    }

    @Override
    public Iterator<Row> call(Iterator<ModelSpec> partition) {
        Nd4jThreads.limit(threadsPerTask);
        Architecture arch = Architectures.byName(zoo.architecture());
        List<ModelSpec> models = new ArrayList<>();
        partition.forEachRemaining(models::add);
        List<Row> rows = new ArrayList<>();
        if (trainsPopulations(zoo)) {
            PopulationTrainer trainer = new PopulationTrainer(arch, data(zoo.dataset()), zoo.training());
            List<List<Checkpoint>> trained = trainer.train(models.stream().map(ModelSpec::factors).toList());
            for (int i = 0; i < models.size(); i++) addRows(rows, models.get(i), trained.get(i));
            if (modelsDone != null) modelsDone.add(models.size());
        } else {
            ModelTrainer trainer = new ModelTrainer(arch, data(zoo.dataset()), zoo.training());
            for (ModelSpec model : models) {
                addRows(rows, model, trainer.train(model.factors()));
                if (modelsDone != null) modelsDone.add(1);
            }
        }
        return rows.iterator();
    }

    private void addRows(List<Row> rows, ModelSpec model, List<Checkpoint> checkpoints) {
        for (Checkpoint c : checkpoints) {
            rows.add(CheckpointSchema.toRow(zoo.name(), zoo.architecture(), zoo.dataset().name(), model, c));
        }
    }
}
