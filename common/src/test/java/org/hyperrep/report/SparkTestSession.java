package org.hyperrep.report;

import org.apache.spark.sql.SparkSession;

/** The small local Spark session of the report tests: two cores, no UI, few shuffle partitions. */
final class SparkTestSession {
    private SparkTestSession() {}

    static SparkSession start() {
        return SparkSession.builder().master("local[2]").appName("hyperrep-report-tests")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }
}
