package org.tfmnist.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tfmnist.TfmnistException;

/**
 * {@code --batching_parameters_file} read as TF Serving reads it: the text format of its {@code
 * BatchingParameters} with wrapped values, TF Serving's defaults for the fields left out, and its
 * checks of {@code allowed_batch_sizes}, each error one line naming the file.
 */
@Tag("unit")
class BatchingParametersFileTest {
  @TempDir Path dir;

  @Test
  void readsTfServingsDocumentedExample() throws Exception {
    // the example of TF Serving's batching guide (tensorflow_serving/batching/README.md)
    Path file =
        Files.writeString(
            dir.resolve("batching.txt"),
            """
            max_batch_size { value: 128 }
            batch_timeout_micros { value: 0 }
            max_enqueued_batches { value: 1000000 }
            num_batch_threads { value: 8 }
            """);
    BatchingOptions b = BatchingParametersFile.read(file);
    assertEquals(
        new BatchingOptions(
            true, 128, 0, 8, 1_000_000, List.of(), false, BatchingOptions.DEFAULT_THREAD_POOL_NAME),
        b);
  }

  @Test
  void everyFieldAndTheBareForm() throws Exception {
    BatchingOptions b =
        BatchingParametersFile.parse(
            """
            max_batch_size: 8
            batch_timeout_micros { value: 2500 }
            max_enqueued_batches: 3
            num_batch_threads { value: 2 }
            thread_pool_name { value: "digits" }
            allowed_batch_sizes: 2
            allowed_batch_sizes: 4
            allowed_batch_sizes: 8
            pad_variable_length_inputs: true
            """,
            "b.txt");
    assertEquals(new BatchingOptions(true, 8, 2500, 2, 3, List.of(2, 4, 8), true, "digits"), b);
    assertEquals(24, b.queuedRowsBound());
  }

  @Test
  void fieldsLeftOutTakeTfServingsDefaults() throws Exception {
    BatchingOptions b = BatchingParametersFile.parse("", "empty.txt");
    assertEquals(BatchingOptions.tfServingDefaults(), b);
    assertEquals(1000, b.maxBatchSize());
    assertEquals(0, b.batchTimeoutMicros());
    assertEquals(10, b.maxEnqueuedBatches());
    assertEquals(Runtime.getRuntime().availableProcessors(), b.threads());
    assertEquals("model_server_batch_threads", b.threadPoolName());
  }

  @Test
  void tfServingsErrorsOneLineEach() {
    String[][] cases = {
      {
        "max_batch_size { value: 8 } allowed_batch_sizes: [2, 4]",
        "b.txt: Last entry in allowed_batch_sizes must match max_batch_size; last entry was 4;"
            + " expected 8"
      },
      {
        "allowed_batch_sizes: [4, 2, 1000]",
        "b.txt: allowed_batch_sizes entries must be monotonically increasing"
      },
      {"allowed_batch_sizes: [500]", "expected 1000"},
      {"num_batch_threads { value: 0 }", "b.txt: num_batch_threads must be positive"},
      {"max_batch_size { value: -1 }", "b.txt: max_batch_size must be positive"},
      {"batch_timeout_micros { value: -5 }", "b.txt: batch_timeout_micros must be non-negative"},
      {"max_enqueued_batches { value: 0 }", "b.txt: max_enqueued_batches must be positive"},
      {"max_batch_size { value: 8 }\nmax_batchsize { value: 8 }", "b.txt:2:"},
      {"enable_large_batch_splitting { value: true }", "enable_large_batch_splitting"},
    };
    for (String[] c : cases) {
      TfmnistException e =
          assertThrows(
              TfmnistException.class, () -> BatchingParametersFile.parse(c[0], "b.txt"), c[0]);
      assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("nope.txt");
    TfmnistException e =
        assertThrows(TfmnistException.class, () -> BatchingParametersFile.read(missing));
    assertTrue(e.getMessage().startsWith(missing + ": cannot read"), e.getMessage());
  }
}
