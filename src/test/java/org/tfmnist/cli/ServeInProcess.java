package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import sun.misc.Signal;

/**
 * {@code serve} run by picocli in a thread of this JVM, as a test starts it: its output in memory,
 * its REST root read from the page line once it prints "Ctrl-C stops", stopped with SIGTERM (whose
 * handler serve installs before that line).
 */
final class ServeInProcess implements AutoCloseable {
  private static final Pattern PAGE = Pattern.compile("page: +(http://127\\.0\\.0\\.1:\\d+)/");

  /** What serve printed; a StringBuffer inside, safe to read while it is written. */
  final StringWriter out = new StringWriter();

  final StringWriter err = new StringWriter();
  private final AtomicInteger code = new AtomicInteger(-1);
  private final Thread thread;

  private ServeInProcess(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    thread = new Thread(() -> code.set(cli.execute(args)), "serve");
    thread.setDaemon(true); // a serve that never stops does not hold the test JVM
  }

  /** Starts {@code serve args} and waits (60 s at most) until it says Ctrl-C stops it. */
  static ServeInProcess start(String... args) throws InterruptedException {
    ServeInProcess serve = new ServeInProcess(args);
    serve.thread.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!serve.out.toString().contains("Ctrl-C stops")) {
      assertTrue(serve.thread.isAlive(), "serve exited: " + serve.out + serve.err);
      assertTrue(System.nanoTime() < deadline, "serve did not start: " + serve.out + serve.err);
      Thread.sleep(20);
    }
    return serve;
  }

  /** {@code http://127.0.0.1:PORT}, from the page line. */
  String restRoot() {
    Matcher m = PAGE.matcher(out.toString());
    assertTrue(m.find(), out.toString());
    return m.group(1);
  }

  /** Stops serve with SIGTERM, waits for it (60 s at most) and returns its exit code. */
  int stop() throws InterruptedException {
    if (thread.isAlive()) {
      Signal.raise(new Signal("TERM"));
      thread.join(TimeUnit.SECONDS.toMillis(60));
    }
    assertFalse(thread.isAlive(), "serve did not stop on SIGTERM: " + out + err);
    return code.get();
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
