package org.hyperrep.weights;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.hyperrep.zoo.GeneratingFactors;
import org.hyperrep.zoo.arch.Architecture;
import org.hyperrep.zoo.arch.NetworkInputs;
import org.hyperrep.zoo.data.IdxReader;
import org.hyperrep.zoo.data.ImageData;
import org.hyperrep.zoo.data.TetrisData;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Real data and briefly trained networks for the weight tests: Tetris, and the Fashion-MNIST fixture. */
final class TrainedModels {
    private TrainedModels() { }

    /** Training and held-out images suited to an architecture (Tetris, Fashion-MNIST in 1 or 3 channels). */
    record Data(ImageData train, ImageData test) { }

    static Data dataFor(Architecture arch) {
        if (arch.name().equals("tetris-mlp")) {
            return new Data(TetrisData.generate(600, TetrisData.DEFAULT_NOISE, 1),
                    TetrisData.generate(200, TetrisData.DEFAULT_NOISE, 2));
        }
        ImageData train = IdxReader.read(fixture("train-images-idx3-ubyte.gz"), fixture("train-labels-idx1-ubyte.gz"));
        ImageData test = IdxReader.read(fixture("t10k-images-idx3-ubyte.gz"), fixture("t10k-labels-idx1-ubyte.gz"));
        int channels = arch.inputShape()[0];
        return new Data(replicateChannels(train, channels), replicateChannels(test, channels));
    }

    static GeneratingFactors factors(long seed, String activation, double dropout) {
        return new GeneratingFactors(seed, activation, "kaiming_uniform", "adam", 3e-3, 1e-4, dropout, 1.0);
    }

    static MultiLayerNetwork network(Architecture arch, GeneratingFactors f) {
        MultiLayerNetwork net = new MultiLayerNetwork(arch.configuration(f));
        net.init();
        return net;
    }

    /** A network trained for some epochs of minibatches over the training images, in order. */
    static MultiLayerNetwork train(Architecture arch, GeneratingFactors f, ImageData train, int epochs, int batch) {
        MultiLayerNetwork net = network(arch, f);
        for (int e = 0; e < epochs; e++) {
            for (int from = 0; from < train.size(); from += batch) {
                net.fit(NetworkInputs.dataSet(arch, train, from, Math.min(train.size(), from + batch)));
            }
        }
        return net;
    }

    /** Share of the images the network classifies right (inference mode: no dropout). */
    static double accuracy(MultiLayerNetwork net, Architecture arch, ImageData data) {
        INDArray p = net.output(NetworkInputs.features(arch, data, 0, data.size()), false);
        int[] labels = data.labels();
        int right = 0;
        for (int i = 0; i < data.size(); i++) {
            if (p.getRow(i).argMax().getInt(0) == labels[i]) right++;
        }
        return right / (double) data.size();
    }

    /** Grayscale images as {@code channels} identical channels (cnn-s3 takes 3×28×28). */
    static ImageData replicateChannels(ImageData gray, int channels) {
        if (channels == 1) return gray;
        int plane = gray.pixelsPerImage();
        float[] px = new float[gray.size() * plane * channels];
        for (int i = 0; i < gray.size(); i++) {
            for (int c = 0; c < channels; c++) {
                System.arraycopy(gray.pixels(), i * plane, px, (i * channels + c) * plane, plane);
            }
        }
        return new ImageData(channels, gray.height(), gray.width(), gray.numClasses(), px, gray.labels());
    }

    private static String fixture(String name) {
        URL url = TrainedModels.class.getResource("/fixtures/fashion-mnist/" + name);
        if (url == null) throw new IllegalStateException("fixture " + name + " missing from the test class path");
        try {
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
