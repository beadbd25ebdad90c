package org.hyperrep.zoo.arch;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.hyperrep.weights.WeightLayout;
import org.hyperrep.zoo.GeneratingFactors;

/**
 * {@code tetris-mlp} (docs/zoos.md): Dense 16→5 without bias → activation [→ dropout] → Dense 5→4 without bias,
 * softmax; 100 parameters. Inputs are the 4×4 Tetris images flattened row by row into 16 features.
 */
final class TetrisMlp extends LayeredArchitecture {
    private static final long serialVersionUID = 1L;

    TetrisMlp() {
        super("tetris-mlp", new int[]{1, 1, 16}, 4, WeightLayout.builder("tetris-mlp")
                .dense("dense1", 16, 5, false)
                .dense("dense2", 5, 4, false)
                .build());
    }

    @Override
    void addLayers(NeuralNetConfiguration.ListBuilder list, GeneratingFactors factors) {
        list.layer(Layers.dense("dense1", 5, false));
        Layers.dropout(list, factors);
        list.layer(Layers.softmaxOutput("dense2", 4, false));
    }

    @Override
    InputType inputType() { return InputType.feedForward(16); }
}
