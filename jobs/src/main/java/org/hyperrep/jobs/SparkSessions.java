package org.hyperrep.jobs;

import com.typesafe.config.Config;
import org.apache.spark.sql.SparkSession;

import java.util.Map;

/**
 * Creates the SparkSession of a job: the master from {@code --master}, else from the config ({@code spark.master},
 * {@code local[*]} by default), and every property of {@code spark.conf}. Under spark-submit the master and
 * properties given there win, as Spark users expect.
 */
final class SparkSessions {
    private SparkSessions() {}

    static SparkSession create(String appName, Config config, String masterOption) {
        return create(appName, config, masterOption, null);
    }

    /** As {@link #create(String, Config, String)}, with the properties of {@code spark.<extraConf>} on top. */
    static SparkSession create(String appName, Config config, String masterOption, String extraConf) {
        SparkSession.Builder b = SparkSession.builder().appName("hyperrep " + appName);
        boolean submitted = System.getProperty("spark.master") != null;
        if (masterOption != null) {
            b.master(masterOption);
        } else if (!submitted) {
            b.master(config.getString("spark.master"));
        }
        Map<String, Object> conf = new java.util.LinkedHashMap<>(config.getConfig("spark.conf").root().unwrapped());
        if (extraConf != null) conf.putAll(config.getConfig("spark." + extraConf).root().unwrapped());
        for (Map.Entry<String, Object> e : conf.entrySet()) {
            if (!submitted || System.getProperty(e.getKey()) == null) b.config(e.getKey(), String.valueOf(e.getValue()));
        }
        return b.getOrCreate();
    }
}
