/**
 * The Small CNN Zoo format of Unterthiner et al. 2020, "Predicting Neural Network Accuracy from Weights"
 * (arXiv 2002.11448; data and code in google-research/google-research, folder {@code dnn_predict_accuracy}), read
 * and written exactly (docs/zoos.md).
 *
 * <p>Per data set (mnist, fashion_mnist, cifar10 and svhn_cropped in grayscale; 30,000 models each, 9 checkpoints
 * at epochs 0, 1, 2, 3, 20, 40, 60, 80, 86; a few runs crashed, so e.g. MNIST has 269,973 rows, not 270,000):
 * <ul>
 *   <li>{@code weights.npy}: float32 matrix, one checkpoint per row, 4970 columns ({@link NpyFloatMatrix});
 *   <li>{@code layout.csv}: {@code varname,start_idx,end_idx,size,shape}, per Keras layer the bias before the
 *       kernel, kernels in TensorFlow order ({@link SmallCnnLayout});
 *   <li>{@code metrics.csv.gz}: the training flags, {@code modeldir}, {@code step} (= epoch) and train/test
 *       accuracy and loss per row ({@link SmallCnnMetrics}, {@link SmallCnnRecord}).
 * </ul>
 * The network ({@code build_cnn} in {@code dnn_predict_accuracy/train_network.py}): 3 × Keras {@code Conv2D(16,
 * 3, strides=2)} with the activation, each followed by dropout when the rate is positive, then
 * {@code GlobalAveragePooling2D} and {@code Dense(10)} (logits; the loss is computed from logits). Keras'
 * default padding is {@code 'valid'} (28 → 13 → 6 → 2), as in hyperrep's {@code cnn-unterthiner}, so imported
 * weights evaluated in hyperrep compute the network that was trained.
 *
 * <p>{@link SmallCnnImport} writes a normal hyperrep zoo; {@link SmallCnnExport} writes the three files back;
 * {@link SmallCnnSource} is what an imported zoo keeps to make that exact.
 */
package org.hyperrep.store.smallcnn;
