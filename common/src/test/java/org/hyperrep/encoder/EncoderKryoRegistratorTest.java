package org.hyperrep.encoder;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What parameter averaging sends through Spark's Kryo (configured as the train job does) comes back equal. */
class EncoderKryoRegistratorTest {

    private static final Kryo KRYO = new KryoSerializer(new SparkConf()
            .set("spark.kryo.registrator", EncoderKryoRegistrator.class.getName())).newKryo();

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Output out = new Output(bytes)) {
            KRYO.writeClassAndObject(out, value);
        }
        try (Input in = new Input(bytes.toByteArray())) {
            return (T) KRYO.readClassAndObject(in);
        }
    }

    @Test
    void arraysOfEveryLayoutComeBackEqual() {
        INDArray floats = Nd4j.rand(DataType.FLOAT, 3, 5, 7);
        INDArray doubles = Nd4j.rand(DataType.DOUBLE, 4, 6);
        INDArray view = floats.get(NDArrayIndex.point(1), NDArrayIndex.interval(1, 4), NDArrayIndex.all());
        INDArray fOrder = Nd4j.rand(DataType.FLOAT, 'f', 5, 3);
        INDArray large = Nd4j.rand(DataType.FLOAT, 3, 500_000);   // several 1 MiB chunks
        for (INDArray a : new INDArray[]{floats, doubles, view, fOrder, large, Nd4j.scalar(2.5f),
                Nd4j.createFromArray(1, 2, 3), Nd4j.empty(DataType.FLOAT)}) {
            INDArray back = roundTrip(a);
            assertEquals(a.dataType(), back.dataType());
            assertArrayEquals(a.shape(), back.shape());
            assertEquals(a, back, "array " + a.shapeInfoToString());
        }
    }

    @Test
    void theBroadcastNetworkAndTheWorkersResultsComeBackEqual() {
        ComputationGraph graph = HyperRepresentationModel.build(EncoderFixtures.tetris(), EncoderFixtures.tiny(0.5));
        INDArray updater = Nd4j.rand(DataType.FLOAT, 1, 3 * graph.numParams());
        NetBroadcastTuple t = roundTrip(new NetBroadcastTuple(null, graph.getConfiguration(), graph.params(),
                updater, new AtomicInteger(7)));
        assertNull(t.getConfiguration());
        assertEquals(graph.getConfiguration().toJson(), t.getGraphConfiguration().toJson());
        assertEquals(graph.params(), t.getParameters());
        assertEquals(updater, t.getUpdaterState());
        assertEquals(7, t.getCounter().get());
        // a worker builds its network from it, as ParameterAveragingTrainingWorker does
        ComputationGraph worker = new ComputationGraph(t.getGraphConfiguration());
        worker.init(t.getParameters().dup(), false);
        assertEquals(graph.params(), worker.params());

        ParameterAveragingTrainingResult r = roundTrip(new ParameterAveragingTrainingResult(graph.params(), updater,
                1.25, null, null, null));
        assertEquals(graph.params(), r.getParameters());
        assertEquals(updater, r.getUpdaterState());
        assertEquals(1.25, r.getScore());
    }

    @Test
    void trainingSamplesComeBackEqual() {
        TrainingSample s = new TrainingSample(3, "m-1", 2, new float[]{1f, -2f, 3.5f});
        TrainingSample back = roundTrip(s);
        assertEquals(s.key(), back.key());
        assertEquals(s.modelId(), back.modelId());
        assertEquals(s.epoch(), back.epoch());
        assertArrayEquals(s.weights(), back.weights());
        assertTrue(KRYO.getRegistration(TrainingSample.class).getSerializer()
                instanceof EncoderKryoRegistrator.TrainingSampleSerializer);
    }
}
