package org.hyperrep.encoder;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.apache.spark.serializer.KryoRegistrator;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kryo set-up of the train job (Spark property {@code spark.kryo.registrator}, set by {@code spark.train-conf} in
 * the defaults). DL4J's parameter averaging ships the whole network (parameters and Adam state) to every worker and
 * back at every averaging step; ND4J's own serialization, Java's and nd4j-kryo's alike, writes an array one element
 * at a time through a {@code DataOutputStream}, which took about a quarter of all CPU time when training the paper's
 * 45M-parameter encoder on local[2]. Here arrays travel as their raw bytes, and the broadcast network's
 * configuration as DL4J's JSON.
 *
 * <p>{@link TrainingSample} (shuffled into minibatches) gets its own serializer: Kryo 4 sets fields through
 * {@code Unsafe}, which Java 17 refuses for records, and Kryo's Java-serialization fallback cannot see application
 * classes on a cluster's executors (ClassNotFoundException on the standalone test cluster).
 */
public class EncoderKryoRegistrator implements KryoRegistrator {

    @Override
    public void registerClasses(Kryo kryo) {
        NdArraySerializer arrays = new NdArraySerializer();
        kryo.addDefaultSerializer(INDArray.class, arrays);
        kryo.register(NetBroadcastTuple.class, new NetBroadcastTupleSerializer(arrays));
        kryo.register(TrainingSample.class, new TrainingSampleSerializer());
    }

    /** A training sample field by field. */
    static final class TrainingSampleSerializer extends Serializer<TrainingSample> {
        @Override
        public void write(Kryo kryo, Output out, TrainingSample s) {
            out.writeInt(s.key());
            out.writeString(s.modelId());
            out.writeInt(s.epoch());
            out.writeInt(s.weights().length, true);
            out.writeFloats(s.weights());
        }

        @Override
        public TrainingSample read(Kryo kryo, Input in, Class<TrainingSample> type) {
            int key = in.readInt();
            String modelId = in.readString();
            int epoch = in.readInt();
            float[] weights = in.readFloats(in.readInt(true));
            return new TrainingSample(key, modelId, epoch, weights);
        }
    }

    /** An ND4J array as data type, shape and its values' bytes in c order (a detached array when read). */
    static final class NdArraySerializer extends Serializer<INDArray> {
        private static final int CHUNK = 1 << 20;

        @Override
        public void write(Kryo kryo, Output out, INDArray a) {
            INDArray c = a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
            out.writeString(c.dataType().name());
            long[] shape = c.shape();
            out.writeInt(shape.length, true);
            for (long d : shape) out.writeLong(d, true);
            boolean empty = c.isEmpty();
            out.writeBoolean(empty);
            if (empty) return;
            long bytes = c.length() * c.dataType().width();
            ByteBuffer src = c.data().asNio();
            byte[] chunk = new byte[(int) Math.min(CHUNK, bytes)];
            for (long done = 0; done < bytes; ) {
                int n = (int) Math.min(chunk.length, bytes - done);
                src.get(chunk, 0, n);
                out.writeBytes(chunk, 0, n);
                done += n;
            }
        }

        @Override
        public INDArray read(Kryo kryo, Input in, Class<INDArray> type) {
            DataType dt = DataType.valueOf(in.readString());
            long[] shape = new long[in.readInt(true)];
            for (int i = 0; i < shape.length; i++) shape[i] = in.readLong(true);
            if (in.readBoolean()) return Nd4j.empty(dt);
            INDArray a = Nd4j.createUninitializedDetached(dt, shape);
            long bytes = a.length() * dt.width();
            ByteBuffer dst = a.data().asNio();
            byte[] chunk = new byte[(int) Math.min(CHUNK, bytes)];
            for (long done = 0; done < bytes; ) {
                int n = (int) Math.min(chunk.length, bytes - done);
                in.readBytes(chunk, 0, n);
                dst.put(chunk, 0, n);
                done += n;
            }
            return a;
        }
    }

    /** DL4J's broadcast of the network: configuration as JSON, parameters and updater state as raw arrays. */
    static final class NetBroadcastTupleSerializer extends Serializer<NetBroadcastTuple> {
        private final NdArraySerializer arrays;

        NetBroadcastTupleSerializer(NdArraySerializer arrays) { this.arrays = arrays; }

        @Override
        public void write(Kryo kryo, Output out, NetBroadcastTuple t) {
            boolean graph = t.getGraphConfiguration() != null;
            out.writeBoolean(graph);
            out.writeString(graph ? t.getGraphConfiguration().toJson() : t.getConfiguration().toJson());
            kryo.writeObjectOrNull(out, t.getParameters(), arrays);
            kryo.writeObjectOrNull(out, t.getUpdaterState(), arrays);
            out.writeInt(t.getCounter() == null ? 0 : t.getCounter().get());
        }

        @Override
        public NetBroadcastTuple read(Kryo kryo, Input in, Class<NetBroadcastTuple> type) {
            boolean graph = in.readBoolean();
            String json = in.readString();
            INDArray params = kryo.readObjectOrNull(in, INDArray.class, arrays);
            INDArray updater = kryo.readObjectOrNull(in, INDArray.class, arrays);
            AtomicInteger counter = new AtomicInteger(in.readInt());
            return graph
                    ? new NetBroadcastTuple(null, ComputationGraphConfiguration.fromJson(json), params, updater, counter)
                    : new NetBroadcastTuple(MultiLayerConfiguration.fromJson(json), null, params, updater, counter);
        }
    }
}
