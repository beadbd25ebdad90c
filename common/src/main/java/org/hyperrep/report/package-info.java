/**
 * The downstream report: the results table in the layout of the paper's table (targets as rows, feature sets as
 * columns) as Markdown and CSV, PNG plots drawn with XChart (predicted vs true test accuracy per feature set, a 2-D
 * MLlib PCA of the embeddings, the encoder's loss curves) and one self-contained HTML file that embeds them.
 *
 * <p>Inputs are plain records ({@link org.hyperrep.report.ResultsTable}, {@link org.hyperrep.report.FeatureSetPredictions},
 * {@link org.hyperrep.report.PcaProjection}, {@link org.hyperrep.report.EpochLosses}) so that a job can fill them from
 * whatever it computed; {@link org.hyperrep.report.ReportWriter} writes everything into one directory URI.
 */
package org.hyperrep.report;
