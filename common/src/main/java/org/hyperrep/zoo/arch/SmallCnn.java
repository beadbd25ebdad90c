package org.hyperrep.zoo.arch;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.hyperrep.weights.WeightLayout;
import org.hyperrep.zoo.GeneratingFactors;

/**
 * The paper's small CNN (docs/zoos.md), {@code cnn-s} for one input channel (MNIST, Fashion-MNIST; 2464
 * parameters) and {@code cnn-s3} for three (CIFAR-10, SVHN; 2864):
 * Conv c→8 k5 → MaxPool2 → act [→ dropout] → Conv 8→6 k5 → MaxPool2 → act [→ dropout] → Conv 6→4 k2 → act →
 * Flatten(4·3·3 = 36, channel-major) → Dense 36→20 → act [→ dropout] → Dense 20→10 softmax.
 * Pooling comes before the activation, so the first two convolutions are linear and followed by a pooling layer
 * and an activation layer.
 *
 * <p><b>Input size, also for cnn-s3: c×28×28.</b> 2864 = 2464 + 400 is only reachable if the three extra input
 * channels are the sole change: with 32×32 inputs the maps shrink 28→14→10→5→4, the flatten is 4·4·4 = 64 and the
 * count would be 3424. The reference zoo code resizes CIFAR-10 and SVHN images to 28×28
 * ({@code transforms.Resize((28, 28))}, its network is commented "ASSUMES 28x28"), so hyperrep does the same: the
 * data loader resizes 32×32 images to 28×28 before they reach this network. Parameter-free alternatives that accept
 * 32×32 (a 2-pixel crop, a 3×3 pooling) would each compute a function the reference zoos never had.
 */
final class SmallCnn extends LayeredArchitecture {
    private static final long serialVersionUID = 1L;

    SmallCnn(String name, int channels) {
        super(name, new int[]{channels, 28, 28}, 10, WeightLayout.builder(name)
                .conv("conv1", channels, 8, 5, 5, true)
                .conv("conv2", 8, 6, 5, 5, true)
                .conv("conv3", 6, 4, 2, 2, true)
                .dense("dense1", 36, 20, true, 9)
                .dense("dense2", 20, 10, true)
                .build());
    }

    @Override
    void addLayers(NeuralNetConfiguration.ListBuilder list, GeneratingFactors factors) {
        list.layer(Layers.linearConv("conv1", 8, 5));       // 28 → 24
        list.layer(Layers.maxPool2());                        // 24 → 12
        list.layer(Layers.activation(factors));
        Layers.dropout(list, factors);
        list.layer(Layers.linearConv("conv2", 6, 5));       // 12 → 8
        list.layer(Layers.maxPool2());                        // 8 → 4
        list.layer(Layers.activation(factors));
        Layers.dropout(list, factors);
        list.layer(Layers.linearConv("conv3", 4, 2));       // 4 → 3, no dropout here (as the reference)
        list.layer(Layers.activation(factors));
        list.layer(Layers.dense("dense1", 20, true));        // the input type inserts the 4·3·3 flatten
        Layers.dropout(list, factors);
        list.layer(Layers.softmaxOutput("dense2", 10, true));
    }

    @Override
    boolean hasFusedLayers() { return true; }

    /**
     * The same network with each conv [→ pool] → act run as one {@link FusedConvLayer} and the dense head as one
     * {@link FusedDenseHead}: 4 DL4J layers instead of 11 (without dropout), no NHWC permutes, no flatten.
     */
    @Override
    void addFusedLayers(NeuralNetConfiguration.ListBuilder list, GeneratingFactors factors) {
        var act = TrainingRecipe.activation(factors.activation());
        list.layer(FusedConvLayer.of("conv1", 8, 5, true, act, false));   // 28 → 24 → 12; first layer: no dL/dx
        Layers.dropout(list, factors);
        list.layer(FusedConvLayer.of("conv2", 6, 5, true, act, true));    // 12 → 8 → 4
        Layers.dropout(list, factors);
        list.layer(FusedConvLayer.of("conv3", 4, 2, false, act, true));   // 4 → 3
        // flatten → dense1 → act [→ dropout] → dense2 → softmax, one layer
        list.layer(FusedDenseHead.of("dense1", 20, act, TrainingRecipe.hasDropout(factors)
                ? TrainingRecipe.retainProbability(factors.dropout()) : 1.0, "dense2", 10));
    }
}
