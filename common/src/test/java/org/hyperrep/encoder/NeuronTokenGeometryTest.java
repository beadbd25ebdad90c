package org.hyperrep.encoder;

import org.hyperrep.weights.LayerLayout;
import org.hyperrep.weights.WeightLayout;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class NeuronTokenGeometryTest {

    @Test
    void countsAndWidths() {
        NeuronTokenGeometry tetris = new NeuronTokenGeometry(EncoderFixtures.tetris());
        assertEquals(100, tetris.size());
        assertEquals(9, tetris.tokenCount());
        assertArrayEquals(new int[]{16, 5}, new int[]{tetris.width(0), tetris.width(1)});

        NeuronTokenGeometry cnn = new NeuronTokenGeometry(EncoderFixtures.cnnS());
        assertEquals(2464, cnn.size());
        assertEquals(48, cnn.tokenCount());
        int[] widths = new int[cnn.layerCount()];
        for (int l = 0; l < widths.length; l++) widths[l] = cnn.width(l);
        assertArrayEquals(new int[]{26, 201, 25, 37, 21}, widths);
        assertEquals(8 + 6 + 4, cnn.firstToken(3));
    }

    @Test
    void tokenIsTheUnitsWeightRowFollowedByItsBias() {
        WeightLayout layout = EncoderFixtures.cnnS();
        NeuronTokenGeometry g = new NeuronTokenGeometry(layout);
        int batch = 3;
        INDArray flat = Nd4j.rand(DataType.DOUBLE, batch, layout.size());
        for (int l = 0; l < layout.layers().size(); l++) {
            LayerLayout ll = layout.layers().get(l);
            INDArray tokens = g.tokens(flat, l);
            assertArrayEquals(new long[]{(long) batch * ll.out(), ll.tokenWidth()}, tokens.shape());
            for (int s = 0; s < batch; s++) {
                for (int j = 0; j < ll.out(); j++) {
                    INDArray token = tokens.getRow((long) s * ll.out() + j);
                    for (int c = 0; c < ll.fanIn(); c++) {
                        assertEquals(flat.getDouble(s, ll.offset() + (long) j * ll.fanIn() + c), token.getDouble(c));
                    }
                    assertEquals(flat.getDouble(s, ll.biasOffset() + j), token.getDouble(ll.fanIn()));
                }
            }
        }
    }

    @Test
    void scatterInvertsTokens() {
        for (WeightLayout layout : new WeightLayout[]{EncoderFixtures.tetris(), EncoderFixtures.cnnS()}) {
            NeuronTokenGeometry g = new NeuronTokenGeometry(layout);
            INDArray flat = Nd4j.rand(DataType.FLOAT, 4, layout.size());
            INDArray back = Nd4j.zeros(DataType.FLOAT, 4, layout.size());
            for (int l = 0; l < g.layerCount(); l++) g.scatter(g.tokens(flat, l), l, back);
            assertEquals(flat, back, layout.architecture());
        }
    }
}
