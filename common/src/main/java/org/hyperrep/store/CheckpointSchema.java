package org.hyperrep.store;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.hyperrep.zoo.Checkpoint;
import org.hyperrep.zoo.GeneratingFactors;
import org.hyperrep.zoo.ModelSpec;

/**
 * The rows of a zoo's {@code checkpoints/} Parquet data: one row per (model, epoch) with the model's factors, the
 * checkpoint's metrics and status, and its weights as the canonical vector (a list of floats). The same schema is
 * kept, with its version, in {@code data-schemas/checkpoints.schema.json}; a test keeps the two equal.
 */
public final class CheckpointSchema {
    public static final String NAME = "checkpoints";
    public static final int VERSION = 1;

    public static final StructType SCHEMA = new StructType(new StructField[]{
            field("zoo", DataTypes.StringType, false),
            field("model_id", DataTypes.StringType, false),
            field("epoch", DataTypes.IntegerType, false),
            field("split", DataTypes.StringType, false),
            field("architecture", DataTypes.StringType, false),
            field("dataset", DataTypes.StringType, false),
            field("seed", DataTypes.LongType, false),
            field("activation", DataTypes.StringType, false),
            field("init", DataTypes.StringType, false),
            field("optimizer", DataTypes.StringType, false),
            field("learning_rate", DataTypes.DoubleType, false),
            field("weight_decay", DataTypes.DoubleType, false),
            field("dropout", DataTypes.DoubleType, false),
            field("train_fraction", DataTypes.DoubleType, false),
            field("status", DataTypes.StringType, false),
            field("train_accuracy", DataTypes.DoubleType, false),
            field("train_loss", DataTypes.DoubleType, false),
            field("validation_accuracy", DataTypes.DoubleType, false),
            field("validation_loss", DataTypes.DoubleType, false),
            field("test_accuracy", DataTypes.DoubleType, false),
            field("test_loss", DataTypes.DoubleType, false),
            field("generalization_gap", DataTypes.DoubleType, false),
            field("weights", DataTypes.createArrayType(DataTypes.FloatType, false), false),
    });

    private CheckpointSchema() {}

    private static StructField field(String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
        return DataTypes.createStructField(name, type, nullable);
    }

    public static Row toRow(String zoo, String architecture, String dataset, ModelSpec model, Checkpoint c) {
        GeneratingFactors f = model.factors();
        Checkpoint.Metrics m = c.metrics();
        return RowFactory.create(zoo, model.modelId(), c.epoch(), model.split(), architecture, dataset, f.seed(),
                f.activation(), f.init(), f.optimizer(), f.learningRate(), f.weightDecay(), f.dropout(),
                f.trainFraction(), c.status().label(), m.trainAccuracy(), m.trainLoss(), m.validationAccuracy(),
                m.validationLoss(), m.testAccuracy(), m.testLoss(), m.trainAccuracy() - m.testAccuracy(),
                c.weights());
    }
}
