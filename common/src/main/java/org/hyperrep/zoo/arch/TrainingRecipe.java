package org.hyperrep.zoo.arch;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.weights.WeightInit;
import org.hyperrep.zoo.GeneratingFactors;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;

import java.util.List;

/**
 * How the generating factors of docs/zoos.md become DL4J settings. One place, so every architecture trains with
 * the same recipe and a reader can check the mapping against the reference (PyTorch) zoo code in one screen.
 *
 * <ul>
 *   <li><b>activation</b>: tanh, relu, sigmoid, gelu map to DL4J's functions of that name. DL4J's GELU is the
 *       sigmoid approximation x·σ(1.702x) (within 0.02 of PyTorch's exact erf form, which DL4J lacks). Its
 *       "precise" variant is not used: in 1.0.0-M2.1 it computes x·σ(1.596x), the tanh form without its cubic
 *       term, further from the exact GELU, and its gradient does not match its forward pass.</li>
 *   <li><b>init</b> (weights only; DL4J starts biases at 0, the reference code at 0.01):
 *       uniform → {@link WeightInit#UNIFORM}, U(−a, a) with a = 1/√fanIn;
 *       normal → {@link WeightInit#NORMAL}, N(0, 1/fanIn);
 *       kaiming_uniform → {@link WeightInit#RELU_UNIFORM}, U(−s, s) with s = √(6/fanIn);
 *       kaiming_normal → {@link WeightInit#RELU}, N(0, 2/fanIn).
 *       fanIn is c_in·kh·kw for conv layers. The two Kaiming schemes equal PyTorch's {@code kaiming_*_} defaults;
 *       uniform and normal are fan-scaled, whereas the reference code's {@code uniform_}/{@code normal_} draw
 *       U(0, 1) and N(0, 1).</li>
 *   <li><b>optimizer</b>: adam → {@link Adam}(lr) with DL4J's defaults (β = 0.9, 0.999, ε = 1e-8, as PyTorch);
 *       sgd → {@link Nesterovs}(lr, 0.9). DL4J has no heavy-ball momentum updater, so "SGD with momentum 0.9" is
 *       <em>Nesterov</em> momentum here, while the reference code uses PyTorch's classical momentum.</li>
 *   <li><b>weight decay</b>: DL4J {@code l2(wd)}: adds wd·w to the gradient before the updater (and 0.5·wd·‖w‖² to
 *       the score), the coupled L2 of PyTorch's {@code weight_decay} for both SGD and Adam. It applies to weights
 *       only; PyTorch decays biases too. 0 = no regularization at all.</li>
 *   <li><b>dropout</b>: our factor is the probability to DROP a unit; DL4J's dropout takes the probability to
 *       RETAIN one, so the layers get 1 − p (inverted dropout, as PyTorch). p = 0 means no dropout layers.</li>
 *   <li>Every configuration is seeded with {@code factors.seed()} and computes in {@link DataType#FLOAT}.</li>
 *   <li>Speed: cnn-s and cnn-s3 run each conv [→ pool] → act as one hand-written {@link FusedConvLayer} (Java
 *       Vector API kernels, NCHW) and their dense head (flatten → dense → act [→ dropout] → dense → softmax) as one
 *       {@link FusedDenseHead}; cnn-unterthiner's strided 'same' convolutions stay DL4J layers, for which this class
 *       turns on DL4J's oneDNN helpers ({@link OneDnn}) and which compute in NHWC
 *       ({@link LayeredArchitecture#FORMAT}). Zoo models train with {@link InPlaceUpdater}, DL4J's updater kept on
 *       its standard path (M2.1 otherwise builds views of every parameter array on every step). None of this
 *       changes what a network computes.</li>
 * </ul>
 */
public final class TrainingRecipe {
    static {
        OneDnn.enableHelpers();
    }

    public static final List<String> ACTIVATIONS = List.of("tanh", "relu", "sigmoid", "gelu");
    public static final List<String> INITS = List.of("uniform", "normal", "kaiming_uniform", "kaiming_normal");
    public static final List<String> OPTIMIZERS = List.of("adam", "sgd");

    /** Momentum of the "sgd" optimizer (docs/zoos.md). */
    public static final double SGD_MOMENTUM = 0.9;

    private TrainingRecipe() { }

    /** The activation function for a factor value (case-sensitive: factor strings are stored labels). */
    public static Activation activation(String name) {
        return switch (String.valueOf(name)) {
            case "tanh" -> Activation.TANH;
            case "relu" -> Activation.RELU;
            case "sigmoid" -> Activation.SIGMOID;
            case "gelu" -> Activation.GELU;
            default -> throw unknown("activation", name, ACTIVATIONS);
        };
    }

    /** The weight initialization scheme for a factor value. */
    public static WeightInit weightInit(String name) {
        return switch (String.valueOf(name)) {
            case "uniform" -> WeightInit.UNIFORM;
            case "normal" -> WeightInit.NORMAL;
            case "kaiming_uniform" -> WeightInit.RELU_UNIFORM;
            case "kaiming_normal" -> WeightInit.RELU;
            default -> throw unknown("init", name, INITS);
        };
    }

    /** The updater for an optimizer name and learning rate. */
    public static IUpdater updater(String optimizer, double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
        }
        return switch (String.valueOf(optimizer)) {
            case "adam" -> new Adam(learningRate);
            case "sgd" -> new Nesterovs(learningRate, SGD_MOMENTUM);
            default -> throw unknown("optimizer", optimizer, OPTIMIZERS);
        };
    }

    /** DL4J's retain probability for a drop probability p in [0, 1). */
    public static double retainProbability(double dropProbability) {
        if (!(dropProbability >= 0 && dropProbability < 1)) {
            throw new IllegalArgumentException("dropout (drop probability) must be in [0, 1), got " + dropProbability);
        }
        return 1.0 - dropProbability;
    }

    /** Whether the factors ask for dropout layers at all. */
    public static boolean hasDropout(GeneratingFactors factors) {
        return retainProbability(factors.dropout()) < 1.0;
    }

    /**
     * The network-wide part of a configuration: seed, FLOAT, updater, weight init, L2 and the default activation
     * (layers that need another one, e.g. identity convolutions before pooling or the softmax output, set it).
     * Validates every factor, so a bad value fails before any layer is built.
     */
    public static NeuralNetConfiguration.Builder builder(GeneratingFactors factors) {
        retainProbability(factors.dropout());
        if (!(factors.weightDecay() >= 0) || Double.isInfinite(factors.weightDecay())) {
            throw new IllegalArgumentException("weight decay must be >= 0 and finite, got " + factors.weightDecay());
        }
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
                .seed(factors.seed())
                .dataType(DataType.FLOAT)
                .updater(updater(factors.optimizer(), factors.learningRate()))
                .weightInit(weightInit(factors.init()))
                .activation(activation(factors.activation()));
        if (factors.weightDecay() > 0) {
            b.l2(factors.weightDecay());
        }
        return b;
    }

    private static IllegalArgumentException unknown(String factor, String value, List<String> allowed) {
        return new IllegalArgumentException("unknown " + factor + " '" + value + "'; allowed: " + allowed);
    }
}
