package org.hyperrep.report;

import org.hyperrep.config.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultsTableTest {
    private static final List<String> FS = List.of("W", "s(W)", "E_cD");

    /** Two rows given in the wrong order, one value missing. */
    private static ResultsTable twoRows() {
        Map<String, Double> epoch = new HashMap<>();
        epoch.put("W", 26.6);
        epoch.put("s(W)", null);
        epoch.put("E_cD", 51.3);
        return new ResultsTable(FS, List.of(
                new ResultsTable.Row(Targets.TEST_ACCURACY, ResultsTable.R2,
                        Map.of("W", 70.94, "s(W)", 78.51, "E_cD", 96.24)),
                new ResultsTable.Row(Targets.EPOCH, ResultsTable.R2, epoch)));
    }

    @Test
    void markdownHasThePapersLayoutWithTheBestValueInBold() {
        assertEquals("""
                | target | metric | W | s(W) | E_cD |
                | --- | --- | ---: | ---: | ---: |
                | epoch | R² % | 26.6 | – | **51.3** |
                | test accuracy | R² % | 70.9 | 78.5 | **96.2** |
                """, twoRows().toMarkdown());
    }

    @Test
    void csvKeepsTheUnroundedValuesAndLeavesMissingOnesEmpty() {
        assertEquals("""
                target,metric,W,s(W),E_cD,note
                epoch,R² %,26.6,,51.3,
                test_accuracy,R² %,70.94,78.51,96.24,
                """, twoRows().toCsv());
    }

    @Test
    void rowsFollowThePapersOrderWithKendallTauLast() {
        ResultsTable t = new ResultsTable(List.of("W"), List.of(
                new ResultsTable.Row(Targets.TEST_ACCURACY, ResultsTable.KENDALL_TAU, Map.of("W", 0.5)),
                new ResultsTable.Row(Targets.OPTIMIZER, ResultsTable.ACCURACY, Map.of("W", 70.0)),
                new ResultsTable.Row("sparsity", ResultsTable.R2, Map.of("W", 1.0)),
                new ResultsTable.Row(Targets.DROPOUT, ResultsTable.R2, Map.of("W", 20.0)),
                new ResultsTable.Row(Targets.EPOCH, ResultsTable.R2, Map.of("W", 30.0))));
        assertEquals(List.of("epoch/R² %", "dropout/R² %", "optimizer/accuracy %", "sparsity/R² %",
                        "test_accuracy/Kendall τ"),
                t.rows().stream().map(r -> r.target() + "/" + r.metric()).toList());
        assertEquals("0.500", ResultsTable.format(ResultsTable.KENDALL_TAU, 0.5));
    }

    @Test
    void tiesAreAllBoldAndNotesGetAColumn() {
        ResultsTable t = new ResultsTable(List.of("W", "E_cD"), List.of(
                new ResultsTable.Row(Targets.DROPOUT, ResultsTable.R2, Map.of("W", 20.0, "E_cD", 20.0), null,
                        "dropout | fixed")));
        assertEquals(Set.of("W", "E_cD"), t.best(t.rows().get(0)));
        assertEquals("""
                | target | metric | W | E_cD | note |
                | --- | --- | ---: | ---: | --- |
                | dropout | R² % | **20.0** | **20.0** | dropout \\| fixed |
                """, t.toMarkdown());
    }

    @Test
    void paperReferenceFillsSeparateColumnsThatNeverWinTheRow() {
        ResultsTable t = twoRows().withPaperReference("fashion_mnist-hyp");
        assertEquals(List.of("paper W", "paper s(W)", "paper E_cD"), t.referenceColumns());
        assertEquals("paper, F-MNIST-Hyp", t.referenceLabel());
        // every paper target is present, the paper's own rows included
        assertEquals(Targets.ORDER, t.rows().stream().map(ResultsTable.Row::target).toList());
        ResultsTable.Row acc = t.rows().get(1);
        assertEquals(96.2, ResultsTable.reference(acc, "paper E_cD"));
        assertEquals(70.9, ResultsTable.reference(acc, "paper W"));
        ResultsTable.Row init = t.rows().get(8);
        assertEquals(ResultsTable.ACCURACY, init.metric());
        assertEquals(95.7, ResultsTable.reference(init, "paper W"));
        assertTrue(t.best(init).isEmpty(), "a row with only reference values has no best value");
        // epoch: paper E_cD 51.3 ties our 51.3 but only our columns compete
        assertEquals(Set.of("E_cD"), t.best(t.rows().get(0)));
        String md = t.toMarkdown();
        assertTrue(md.startsWith("| target | metric | W | s(W) | E_cD | *paper W* | *paper s(W)* | *paper E_cD* |\n"), md);
        assertTrue(md.contains("| test accuracy | R² % | 70.9 | 78.5 | **96.2** | *70.9* | *78.5* | *96.2* |\n"), md);
        assertTrue(md.contains("| init | accuracy % | – | – | – | *95.7* | *76.5* | *86.7* |\n"), md);
        assertTrue(md.contains("Italic columns: paper, F-MNIST-Hyp"), md);
        assertTrue(t.toCsv().startsWith("target,metric,W,s(W),E_cD,paper W,paper s(W),paper E_cD,note\n"));

        ResultsTable svhn = ResultsTable.comparedWithPaper(FS, List.of(), "SVHN-Hyp");
        assertEquals(9.0, ResultsTable.reference(svhn.rows().get(5), "paper W"));
        assertThrows(BadInputException.class, () -> twoRows().withPaperReference("imagenet-hyp"));
    }

    @Test
    void valuesForUnknownColumnsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ResultsTable(List.of("W"), List.of(
                new ResultsTable.Row(Targets.EPOCH, ResultsTable.R2, Map.of("E_cD", 1.0)))));
        assertThrows(IllegalArgumentException.class, () -> new ResultsTable(List.of("W"), List.of(
                new ResultsTable.Row(Targets.EPOCH, ResultsTable.R2, Map.of()),
                new ResultsTable.Row(Targets.EPOCH, ResultsTable.R2, Map.of()))));
    }
}
