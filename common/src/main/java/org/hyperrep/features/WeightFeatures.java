package org.hyperrep.features;

import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.NumericAttribute;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;

import static org.apache.spark.sql.functions.col;

/**
 * Shared shape of the weight-feature stages: one input column holding a weight vector (array&lt;float&gt; as the
 * zoo stores it, array&lt;double&gt;, or an ml.linalg Vector), one output column holding a dense Vector; the input
 * is validated before any work starts; params persist with {@code write().save(path)} and each concrete class's
 * static {@code load(path)}.
 */
public abstract class WeightFeatures<T extends WeightFeatures<T>> extends Transformer implements DefaultParamsWritable {
    private final String uid;
    private final Param<String> inputCol;
    private final Param<String> outputCol;

    protected WeightFeatures(String uid, String defaultInput, String defaultOutput) {
        this.uid = uid;
        this.inputCol = new Param<>(this, "inputCol",
                "input column: the canonical weight vector (array<float>, array<double> or vector)");
        this.outputCol = new Param<>(this, "outputCol", "output column: the features (vector)");
        setDefault(inputCol, defaultInput);
        setDefault(outputCol, defaultOutput);
    }

    /** Spark ML finds params through public no-argument methods. */
    public Param<String> inputCol() { return inputCol; }

    public Param<String> outputCol() { return outputCol; }

    @SuppressWarnings("unchecked")
    public T setInputCol(String c) { set(inputCol, c); return (T) this; }

    @SuppressWarnings("unchecked")
    public T setOutputCol(String c) { set(outputCol, c); return (T) this; }

    public String getInputCol() { return getOrDefault(inputCol); }

    public String getOutputCol() { return getOrDefault(outputCol); }

    @Override
    public String uid() { return uid; }

    /** The features column computed from the input as a Vector column. */
    protected abstract Column features(Column weightVector);

    /** Names of the output features (stored as ML attributes on the output column), or null when unknown. */
    protected abstract String[] featureNames();

    /** Checks the stage's own params before any work; a clear exception when one is missing or wrong. */
    protected void validateParams() {}

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        Column in = col(getInputCol());
        Column vector = isVector(dataset.schema().apply(getInputCol()).dataType())
                ? in : org.apache.spark.ml.functions.array_to_vector(in);
        return dataset.toDF().withColumn(getOutputCol(), features(vector)
                .as(getOutputCol(), out.apply(getOutputCol()).metadata()));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        validateParams();
        String in = getInputCol();
        if (!Arrays.asList(schema.fieldNames()).contains(in)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": input column '" + in
                    + "' is missing; columns: " + String.join(", ", schema.fieldNames()));
        }
        DataType type = schema.apply(in).dataType();
        if (!acceptsInput(type)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": input column '" + in
                    + "' must be array<float>, array<double>" + (acceptsVectors() ? " or vector" : "") + ", is "
                    + type.simpleString());
        }
        if (Arrays.asList(schema.fieldNames()).contains(getOutputCol())) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": output column '" + getOutputCol()
                    + "' already exists");
        }
        String[] names = featureNames();
        StructField field = names == null
                ? new StructField(getOutputCol(), SQLDataTypes.VectorType(), true, org.apache.spark.sql.types.Metadata.empty())
                : new AttributeGroup(getOutputCol(), Arrays.stream(names)
                        .map(n -> NumericAttribute.defaultAttr().withName(n)).toArray(Attribute[]::new)).toStructField();
        return schema.add(field);
    }

    /** Whether an ml.linalg Vector input column is accepted (the statistics stages take W as well). */
    protected boolean acceptsVectors() { return true; }

    private boolean acceptsInput(DataType type) {
        if (type instanceof ArrayType a) {
            return a.elementType().equals(DataTypes.FloatType) || a.elementType().equals(DataTypes.DoubleType);
        }
        return acceptsVectors() && isVector(type);
    }

    private static boolean isVector(DataType type) {
        return type.sameType(SQLDataTypes.VectorType());
    }

    @Override
    public T copy(ParamMap extra) { return defaultCopy(extra); }
}
