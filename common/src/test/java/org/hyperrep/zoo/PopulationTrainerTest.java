package org.hyperrep.zoo;

import org.hyperrep.config.DatasetSpec;
import org.hyperrep.config.TrainingSpec;
import org.hyperrep.zoo.arch.Architecture;
import org.hyperrep.zoo.arch.Architectures;
import org.hyperrep.zoo.data.Datasets;
import org.hyperrep.zoo.data.ZooData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link PopulationTrainer}: every member of a population ends where {@link ModelTrainer} (DL4J's layers and
 * updater) takes the same model alone — weights, metrics and status of every checkpoint, to float tolerance, after
 * several epochs — for every activation, init, optimizer, weight decay, dropout and training fraction; and a
 * diverging member does not stop its neighbours.
 */
class PopulationTrainerTest {
    private static final Architecture MLP = Architectures.byName("tetris-mlp");
    private static ZooData data;

    @BeforeAll
    static void data() {
        data = Datasets.load(new DatasetSpec("tetris", "", 1.0, 0, 42, 400, 0.1));
    }

    private static TrainingSpec training(int epochs) {
        return new TrainingSpec(epochs, IntStream.rangeClosed(0, epochs).boxed().toList(), 32, 150);
    }

    /** Factors that cover every value of every factor at least once, with learning rates that move the weights. */
    private static List<GeneratingFactors> coveringPopulation() {
        String[] acts = {"tanh", "relu", "sigmoid", "gelu"};
        String[] inits = {"uniform", "normal", "kaiming_uniform", "kaiming_normal"};
        String[] opts = {"adam", "sgd"};
        double[] wds = {0, 1e-3};
        double[] drops = {0, 0.5};
        double[] fractions = {1.0, 0.5};
        List<GeneratingFactors> out = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String opt = opts[i % 2];
            double lr = opt.equals("adam") ? 1e-2 : 5e-2;
            out.add(new GeneratingFactors(100 + i, acts[i % 4], inits[(i / 4) % 4], opt, lr, wds[(i / 2) % 2],
                    drops[(i / 8) % 2], fractions[(i / 3) % 2]));
        }
        return out;
    }

    @Test
    void everyMemberMatchesTheModelTrainedAloneByDl4j() {
        TrainingSpec t = training(4);
        List<GeneratingFactors> population = coveringPopulation();
        List<List<Checkpoint>> together = new PopulationTrainer(MLP, data, t).train(population);
        ModelTrainer alone = new ModelTrainer(MLP, data, t);
        assertEquals(population.size(), together.size());
        for (int i = 0; i < population.size(); i++) {
            GeneratingFactors f = population.get(i);
            List<Checkpoint> reference = alone.train(f);
            List<Checkpoint> member = together.get(i);
            assertEquals(reference.size(), member.size(), f.toString());
            for (int c = 0; c < reference.size(); c++) {
                Checkpoint r = reference.get(c), m = member.get(c);
                String where = f + " epoch " + r.epoch();
                assertEquals(r.epoch(), m.epoch(), where);
                assertEquals(r.status(), m.status(), where);
                assertClose(r.weights(), m.weights(), where);
                assertEquals(r.metrics().testAccuracy(), m.metrics().testAccuracy(), 0.005, where);
                assertEquals(r.metrics().trainLoss(), m.metrics().trainLoss(), 1e-4, where);
                assertEquals(r.metrics().validationLoss(), m.metrics().validationLoss(), 1e-4, where);
            }
            float[] first = member.get(0).weights(), last = member.get(member.size() - 1).weights();
            assertTrue(maxAbsDiff(first, last) > 0.01, "training moved " + f);
        }
    }

    @Test
    void aDivergingMemberIsRecordedAsDl4jRecordsItAndItsNeighboursTrainOn() {
        TrainingSpec t = training(3);
        GeneratingFactors blowsUp = new GeneratingFactors(7, "relu", "kaiming_normal", "sgd", 1e5, 0, 0, 1.0);
        GeneratingFactors fine = new GeneratingFactors(8, "tanh", "uniform", "adam", 1e-2, 1e-3, 0, 1.0);
        List<List<Checkpoint>> together = new PopulationTrainer(MLP, data, t).train(List.of(blowsUp, fine));
        ModelTrainer alone = new ModelTrainer(MLP, data, t);
        List<Checkpoint> reference = alone.train(blowsUp);
        assertEquals(Checkpoint.Status.DIVERGED, reference.get(reference.size() - 1).status(), "the case diverges in DL4J");
        for (int c = 0; c < reference.size(); c++) {
            assertEquals(reference.get(c).status(), together.get(0).get(c).status(), "epoch " + c);
        }
        assertTrue(together.get(0).get(t.epochs()).weights().length == MLP.parameterCount());
        List<Checkpoint> neighbour = together.get(1);
        assertTrue(neighbour.stream().allMatch(c -> c.status() == Checkpoint.Status.OK), "the neighbour trains on");
        assertClose(alone.train(fine).get(t.epochs()).weights(), neighbour.get(t.epochs()).weights(), "neighbour");
    }

    private static void assertClose(float[] expected, float[] actual, String where) {
        assertEquals(expected.length, actual.length, where);
        double d = maxAbsDiff(expected, actual);
        assertTrue(d < 1e-5, where + ": weights differ by " + d);
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double d = 0;
        for (int j = 0; j < a.length; j++) d = Math.max(d, Math.abs(a[j] - b[j]));
        return d;
    }
}
