package org.tfmnist.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TfmnistException;

/** metrics.csv read back by column name, with and without the validation columns. */
@Tag("unit")
class MetricsTableTest {
  @Test
  void readsTheTutorialColumns(@TempDir Path tmp) throws Exception {
    Path file =
        Files.writeString(
            tmp.resolve("metrics.csv"),
            "epoch,step,loss,accuracy,test_loss,test_accuracy,elapsed_seconds\n"
                + "1,80,0.611200,0.828000,0.403200,0.889500,0.210\n"
                + "2,160,0.350000,0.900000,0.350000,0.897000,0.400\n");
    MetricsTable table = MetricsTable.read(file);
    assertFalse(table.hasValidation());
    assertEquals(2, table.rows().size());
    assertEquals(
        new MetricsTable.Row(2, 160, 0.35, 0.9, Double.NaN, Double.NaN, 0.35, 0.897, 0.4),
        table.last());
    assertArrayEquals(new double[] {0.8895, 0.897}, table.column(MetricsTable.Row::testAccuracy));
  }

  @Test
  void readsValidationColumnsByNameInAnyOrder(@TempDir Path tmp) throws Exception {
    Path file =
        Files.writeString(
            tmp.resolve("metrics.csv"),
            "step,epoch,val_accuracy,loss,accuracy,val_loss,test_loss,test_accuracy,elapsed_seconds\n"
                + "375,1,0.91,0.5,0.85,0.31,0.33,0.905,12.5\n"
                + "750,2"); // a row cut off by a killed run is skipped
    MetricsTable table = MetricsTable.read(file);
    assertTrue(table.hasValidation());
    assertEquals(1, table.rows().size());
    assertEquals(
        new MetricsTable.Row(1, 375, 0.5, 0.85, 0.31, 0.91, 0.33, 0.905, 12.5), table.last());
  }

  @Test
  void badFilesAreOneLineErrorsNamingTheFile(@TempDir Path tmp) throws Exception {
    Path missing = tmp.resolve("metrics.csv");
    assertEquals(
        missing + ": not found",
        assertThrows(TfmnistException.class, () -> MetricsTable.read(missing)).getMessage());

    Path noTest =
        Files.writeString(
            tmp.resolve("a.csv"), "epoch,step,loss,accuracy,elapsed_seconds\n1,2,3,4,5\n");
    assertEquals(
        noTest
            + ": no 'test_loss' column (expected epoch,step,loss,accuracy,test_loss,test_accuracy,elapsed_seconds)",
        assertThrows(TfmnistException.class, () -> MetricsTable.read(noTest)).getMessage());

    Path word =
        Files.writeString(
            tmp.resolve("b.csv"),
            "epoch,step,loss,accuracy,test_loss,test_accuracy,elapsed_seconds\n1,80,0.5,0.9,0.4,high,1.0\n");
    String message =
        assertThrows(TfmnistException.class, () -> MetricsTable.read(word)).getMessage();
    assertTrue(message.startsWith(word + ": line 2: not a number"), message);

    Path empty =
        Files.writeString(
            tmp.resolve("c.csv"),
            "epoch,step,loss,accuracy,test_loss,test_accuracy,elapsed_seconds\n");
    MetricsTable table = MetricsTable.read(empty);
    assertTrue(table.isEmpty());
    assertTrue(
        assertThrows(TfmnistException.class, table::last)
            .getMessage()
            .startsWith(empty + ": no rows"));
  }
}
