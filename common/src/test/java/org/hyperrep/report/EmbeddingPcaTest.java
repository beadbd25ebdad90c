package org.hyperrep.report;

import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddingPcaTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() { spark = SparkTestSession.start(); }

    @AfterAll
    static void stop() { spark.stop(); }

    @Test
    void firstComponentFollowsTheDirectionOfTheVarianceAndSeparatesTheClusters() throws IOException {
        Dataset<Row> emb = Synthetic.twoClusters(spark, 16, 60, 4.0, 0.2, 1);
        PcaProjection p = EmbeddingPca.project("synthetic", emb);

        assertEquals(120, p.size());
        double[] r = p.explainedVarianceRatio();
        // variance 16 along d against 16 · 0.04 of noise: about 0.96
        assertTrue(r[0] > 0.9, "explained variance ratio of PC1: " + r[0]);
        assertTrue(r[1] < 0.05 && r[1] > 0, "PC2 holds only noise: " + r[1]);
        double maxA = Double.NEGATIVE_INFINITY, minA = Double.POSITIVE_INFINITY;
        double maxB = Double.NEGATIVE_INFINITY, minB = Double.POSITIVE_INFINITY;
        for (int i = 0; i < p.size(); i++) {
            // test accuracy tells the clusters apart, so this also checks the columns stayed aligned with x
            if (p.testAccuracy()[i] < 0.5) { maxA = Math.max(maxA, p.x()[i]); minA = Math.min(minA, p.x()[i]); }
            else { maxB = Math.max(maxB, p.x()[i]); minB = Math.min(minB, p.x()[i]); }
        }
        assertTrue(maxA < minB || maxB < minA, "PC1 separates the clusters: A [" + minA + ", " + maxA + "], B ["
                + minB + ", " + maxB + "]");
        // the clusters sit at ±4 along d, so ±4 on PC1 after centring
        assertEquals(8.0, Math.abs((maxA + minA) / 2 - (maxB + minB) / 2), 0.5);

        ReportOptions o = ReportOptions.defaults();
        assertValidPng(Plots.pcaByTestAccuracy(p, o), o.plotWidth(), o.plotHeight());
        assertValidPng(Plots.pcaByEpoch(p, o), o.plotWidth(), o.plotHeight());
    }

    @Test
    void pcaRefusesMissingColumns() {
        Dataset<Row> emb = Synthetic.twoClusters(spark, 4, 5, 1.0, 0.1, 2).drop("test_accuracy");
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(org.hyperrep.config.BadInputException.class,
                () -> EmbeddingPca.project("x", emb)).getMessage().contains("test_accuracy"));
    }

    @Test
    void testAccuracyPredictionsAreCollectedPerFeatureSetWithMllibsR2() throws IOException {
        Dataset<Row> preds = Synthetic.predictions(spark, 80, 3);
        List<FeatureSetPredictions> got = FeatureSetPredictions.testAccuracy(preds);

        assertEquals(List.of("good", "poor"), got.stream().map(FeatureSetPredictions::featureSet).toList());
        for (FeatureSetPredictions p : got) {
            assertEquals(80, p.size());
            double mllib = new RegressionEvaluator().setMetricName("r2").setLabelCol("true")
                    .setPredictionCol("predicted").evaluate(preds.filter(col("target").equalTo("test_accuracy")
                            .and(col("feature_set").equalTo(p.featureSet())))
                            .withColumn("predicted", col("predicted").cast("double")));
            assertEquals(mllib, p.r2(), 1e-9, p.featureSet());
        }
        assertTrue(got.get(0).r2() > 0.95 && got.get(1).r2() < 0.7, got.get(0).r2() + " " + got.get(1).r2());
        // samples in (model_id, epoch) order: the first model's true value comes first
        double first = preds.filter(col("model_id").equalTo("m000").and(col("target").equalTo("test_accuracy")))
                .first().getDouble(4);
        assertEquals(first, got.get(1).truth()[0]);

        ReportOptions o = ReportOptions.defaults().withPanels(300, 280, 2);
        BufferedImage img = assertValidPng(Plots.predictedVsTrue(got, o), 600, 280);
        assertNotNull(img);
    }

    static BufferedImage assertValidPng(byte[] png, int width, int height) throws IOException {
        assertNotNull(png);
        assertTrue(png.length > 5_000, "a plot with axes, points and text is more than a few bytes: " + png.length);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(img, "not a readable image");
        assertEquals(width, img.getWidth());
        assertEquals(height, img.getHeight());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) for (int x = 0; x < img.getWidth(); x += 3) colours.add(img.getRGB(x, y));
        assertTrue(colours.size() > 10, "the image is not blank: " + colours.size() + " colours");
        return img;
    }
}
