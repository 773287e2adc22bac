package org.tfmnist.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.awt.image.BufferedImage;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Tag;
import org.tfmnist.TfmnistException;

/**
 * Coverage-guided fuzzing of image preparation (Jazzer): decoding with its size checks and
 * subsampling ({@link ImageDecoder}), then {@link ImagePreprocessor}. Whatever the bytes, the
 * result is 784 values in 0..1 or a {@link TfmnistException}; any other exception is a bug, and so
 * is allocating more than {@link #BOUND} (the decoded picture is at most 2 megapixels and its
 * preparation about 60 bytes a pixel). In the suite the committed corpus ({@code
 * ImageDecoderFuzzTestInputs/}: PNG 8/16-bit, JPEG, GIF, BMP, a PNG declaring 50,000 x 50,000) runs
 * as regression tests; {@code JAZZER_FUZZ=1} fuzzes (see .ci/run).
 */
@Tag("unit")
class ImageDecoderFuzzTest {
  /**
   * Allocation allowed for one picture, input bytes aside: the stated 150 MB for preparing the
   * decoded picture, plus the JVM's own allocations on the thread (class loading, Jazzer's
   * instrumentation). A decoder that honoured a forged header would need gigabytes.
   */
  static final long BOUND = 256L << 20;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @FuzzTest(maxDuration = "4s")
  void decodesOrRejects(byte[] data) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    try {
      BufferedImage image = ImageDecoder.decode("fuzz", data);
      assertTrue((long) image.getWidth() * image.getHeight() <= ImageDecoder.MAX_DECODED_PIXELS);
      float[] x = ImagePreprocessor.preprocess(image, "fuzz");
      assertEquals(784, x.length);
      for (float f : x) {
        assertTrue(f >= 0 && f <= 1, "value " + f);
      }
    } catch (TfmnistException expected) {
      // the documented error
    }
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    assertTrue(
        allocated <= BOUND + 4L * data.length,
        "allocated " + allocated + " bytes for " + data.length + " input bytes");
  }
}
