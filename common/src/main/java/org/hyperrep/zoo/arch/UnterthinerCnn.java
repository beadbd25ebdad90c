package org.hyperrep.zoo.arch;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.hyperrep.weights.WeightLayout;
import org.hyperrep.zoo.GeneratingFactors;

/**
 * {@code cnn-unterthiner}, the network of the Small CNN Zoo (Unterthiner et al. 2020; docs/zoos.md):
 * 3 × [Conv 16 filters 3×3 stride 2 → act [→ dropout]] → global average pool → Dense 16→10 softmax; no padding
 * ('valid', Keras' default, as in the zoo's {@code train_network.py}, so imported Small CNN Zoo weights compute the
 * network that was trained); 4970 parameters, grayscale 1×28×28 input (maps 28 → 13 → 6 → 2). Global pooling makes the parameter count
 * independent of the image size; the input shape is fixed at 28×28 here.
 */
final class UnterthinerCnn extends LayeredArchitecture {
    private static final long serialVersionUID = 1L;

    UnterthinerCnn() {
        super("cnn-unterthiner", new int[]{1, 28, 28}, 10, WeightLayout.builder("cnn-unterthiner")
                .conv("conv1", 1, 16, 3, 3, true)
                .conv("conv2", 16, 16, 3, 3, true)
                .conv("conv3", 16, 16, 3, 3, true)
                .dense("dense1", 16, 10, true)
                .build());
    }

    @Override
    void addLayers(NeuralNetConfiguration.ListBuilder list, GeneratingFactors factors) {
        for (String conv : new String[]{"conv1", "conv2", "conv3"}) {
            list.layer(Layers.validConvStride2(conv, 16, 3));
            list.layer(Layers.activation(factors));
            Layers.dropout(list, factors);
        }
        list.layer(Layers.globalAveragePool());
        list.layer(Layers.softmaxOutput("dense1", 10, true));
    }
}
