package org.tfmnist.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Tag;

/**
 * Coverage-guided fuzzing of the IDX reader (Jazzer). Whatever the bytes, raw or gzip, the reader
 * returns data or throws {@link DataException}; any other exception is a bug, and so is an
 * allocation beyond {@link IdxFile}'s stated bound (a few bytes per payload byte the file really
 * holds, plus one 1 MiB chunk): a forged header must not make it allocate what the file lacks. In
 * the suite the committed corpus ({@code IdxFileFuzzTestInputs/}) runs as regression tests; {@code
 * JAZZER_FUZZ=1} fuzzes (see .ci/run).
 */
@Tag("unit")
class IdxFileFuzzTest {
  private static final Path FILE = scratchFile();

  /**
   * The JVM's own allocations on the test's thread (class loading, Jazzer's instrumentation of a
   * newly reached branch): tens of MiB at most, far below what a forged header (up to 2 GiB) would
   * make a careless reader allocate.
   */
  private static final long JVM_SLACK = 64L << 20;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @FuzzTest(maxDuration = "4s")
  void readsOrRejects(byte[] data) throws IOException {
    Files.write(FILE, data);
    long bound = IdxFile.ALLOCATION_PER_BYTE * contentLength(data) + IdxFile.ALLOCATION_SLACK;
    long before = THREADS.getCurrentThreadAllocatedBytes();
    try {
      IdxImages images = IdxFile.readImages(FILE);
      assertTrue(images.pixels().length == (long) images.count() * images.rows() * images.cols());
    } catch (DataException expected) {
      // the documented error
    }
    try {
      IdxFile.readLabels(FILE);
    } catch (DataException expected) {
      // the documented error
    }
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    assertTrue(
        allocated <= 2 * bound + JVM_SLACK,
        "allocated "
            + allocated
            + " bytes for "
            + data.length
            + " input bytes ("
            + contentLength(data)
            + " after gunzip); bound "
            + bound
            + " a read");
  }

  /** The bytes the file really holds: after gunzip (as far as it goes) when it is gzip. */
  private static long contentLength(byte[] data) {
    if (data.length < 2 || (data[0] & 0xFF) != 0x1f || (data[1] & 0xFF) != 0x8b) {
      return data.length;
    }
    long n = 0;
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
      byte[] buf = new byte[8192];
      int r;
      while ((r = in.read(buf)) > 0) {
        n += r;
      }
    } catch (IOException | RuntimeException e) {
      // as far as it goes
    }
    return n;
  }

  private static Path scratchFile() {
    try {
      Path file = Files.createTempFile("idx-fuzz-", ".idx");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
