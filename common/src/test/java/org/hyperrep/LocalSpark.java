package org.hyperrep;

import org.apache.spark.sql.SparkSession;

/** The small local Spark session of the library's tests: two cores, no UI, few shuffle partitions. */
public final class LocalSpark {
    private LocalSpark() {}

    public static SparkSession start(String app) {
        return SparkSession.builder().master("local[2]").appName(app)
                .config("spark.ui.enabled", false)
                .config("spark.sql.shuffle.partitions", 4)
                .getOrCreate();
    }
}
