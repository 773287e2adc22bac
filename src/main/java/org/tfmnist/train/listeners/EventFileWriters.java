package org.tfmnist.train.listeners;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.summary.SummaryWriter;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.SessionLog;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tfmnist.TfmnistException;

/**
 * TensorFlow's own event-file writers ({@code tf.summary.create_file_writer}: the {@code
 * SummaryWriter}, {@code CreateSummaryFileWriter}, {@code WriteScalarSummary}, {@code
 * WriteGraphSummary}, {@code FlushSummaryWriter} and {@code CloseSummaryWriter} ops), one per
 * sub-directory ("run" in TensorBoard's words) of a log directory, in a small graph and session of
 * their own that this object owns and closes. A run's event file is created on its first write.
 */
public final class EventFileWriters implements AutoCloseable {
  private static final int MAX_QUEUE = 100;
  private static final int FLUSH_MILLIS = 5_000;

  /** Scalars one {@link #scalars} call writes at most, in one session run. */
  static final int SLOTS = 4;

  private final Path logDir;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TInt64> step;
  private final List<Placeholder<TString>> tags = new ArrayList<>();
  private final List<Placeholder<TFloat64>> values = new ArrayList<>();
  private final Placeholder<TString> serialized;
  private final Map<String, Writer> writers = new LinkedHashMap<>();
  private final List<Writer> opened = new ArrayList<>();
  private boolean closed;

  /** The ops of one run's writer. */
  private record Writer(Op create, List<Op> scalars, Op graphDef, Op event, Op flush, Op close) {}

  /** Writers for {@code runs}, sub-directories of {@code logDir}. */
  public EventFileWriters(Path logDir, List<String> runs) {
    this.logDir = logDir;
    this.graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      step = tf.withName("step").placeholder(TInt64.class);
      for (int i = 0; i < SLOTS; i++) {
        tags.add(tf.withName("tag_" + i).placeholder(TString.class));
        values.add(tf.withName("value_" + i).placeholder(TFloat64.class));
      }
      serialized = tf.withName("serialized").placeholder(TString.class);
      // Resource names are unique to this object, so two loggers in one process never share one.
      String unique = UUID.randomUUID().toString();
      for (String run : runs) {
        Ops scope = tf.withSubScope(run);
        SummaryWriter writer =
            scope.summary.summaryWriter(SummaryWriter.sharedName(run + "-" + unique));
        List<Op> scalars = new ArrayList<>();
        for (int i = 0; i < SLOTS; i++) {
          scalars.add(scope.summary.writeScalarSummary(writer, step, tags.get(i), values.get(i)));
        }
        writers.put(
            run,
            new Writer(
                scope.summary.createSummaryFileWriter(
                    writer,
                    scope.constant(logDir.resolve(run).toString()),
                    scope.constant(MAX_QUEUE),
                    scope.constant(FLUSH_MILLIS),
                    scope.constant(".v2")),
                scalars,
                scope.summary.writeGraphSummary(writer, step, serialized),
                scope.summary.importEvent(writer, serialized),
                scope.summary.flushSummaryWriter(writer),
                scope.summary.closeSummaryWriter(writer)));
      }
      session = new Session(graph);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /**
   * Writes each {@code tag = value} of {@code figures} (at most {@link #SLOTS}) at {@code step}
   * into {@code run}'s event file.
   */
  public void scalars(String run, long stepValue, Map<String, Double> figures)
      throws TfmnistException {
    if (figures.size() > SLOTS) {
      throw new IllegalArgumentException(
          "at most " + SLOTS + " scalars at once, got " + figures.size());
    }
    Writer writer = open(run);
    List<Tensor> fed = new ArrayList<>();
    try (TInt64 s = TInt64.scalarOf(stepValue)) {
      Session.Runner runner = session.runner().feed(step, s);
      int slot = 0;
      for (Map.Entry<String, Double> figure : figures.entrySet()) {
        TString t = TString.scalarOf(figure.getKey());
        fed.add(t);
        TFloat64 v = TFloat64.scalarOf(figure.getValue());
        fed.add(v);
        runner
            .feed(tags.get(slot), t)
            .feed(values.get(slot), v)
            .addTarget(writer.scalars().get(slot));
        slot++;
      }
      runner.run();
    } catch (RuntimeException e) {
      throw failure(e);
    } finally {
      fed.forEach(Tensor::close);
    }
  }

  /**
   * Writes a serialized {@code GraphDef} (TensorBoard's Graphs tab) into {@code run}'s event file.
   */
  void graph(String run, long stepValue, byte[] graphDef) throws TfmnistException {
    Writer writer = open(run);
    try (TInt64 s = TInt64.scalarOf(stepValue);
        TString g = TString.tensorOfBytes(NdArrays.scalarOfObject(graphDef))) {
      session.runner().feed(step, s).feed(serialized, g).addTarget(writer.graphDef()).run();
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  /**
   * Marks a restart at {@code stepValue} (a {@code SessionLog.START} event, as TF1's {@code
   * FileWriter.add_session_log}): TensorBoard then drops what an interrupted process wrote after
   * that step, so a resumed run's curves have no doubled tail.
   */
  void restart(String run, long stepValue) throws TfmnistException {
    Writer writer = open(run);
    Event event =
        Event.newBuilder()
            .setWallTime(System.currentTimeMillis() / 1000.0)
            .setStep(stepValue)
            .setSessionLog(SessionLog.newBuilder().setStatus(SessionLog.SessionStatus.START))
            .build();
    try (TString e = TString.tensorOfBytes(NdArrays.scalarOfObject(event.toByteArray()))) {
      session.runner().feed(serialized, e).addTarget(writer.event()).run();
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  /** Flushes every opened run's events to disk. */
  public void flush() throws TfmnistException {
    try {
      for (Writer writer : opened) {
        session.run(writer.flush());
      }
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  /** Flushes and closes the event files, then the session and graph. */
  @Override
  public void close() throws TfmnistException {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException failed = null;
    try {
      for (Writer writer : opened) {
        try {
          session.run(writer.close());
        } catch (RuntimeException e) {
          failed = failed == null ? e : failed;
        }
      }
      opened.clear();
    } finally {
      session.close();
      graph.close();
    }
    if (failed != null) {
      throw failure(failed);
    }
  }

  private Writer open(String run) throws TfmnistException {
    Writer writer = writers.get(run);
    if (writer == null) {
      throw new IllegalArgumentException("no event writer for run '" + run + "'");
    }
    if (!opened.contains(writer)) {
      try {
        session.run(writer.create());
      } catch (RuntimeException e) {
        throw failure(e);
      }
      opened.add(writer);
    }
    return writer;
  }

  private TfmnistException failure(RuntimeException e) {
    return new TfmnistException(
        logDir + ": cannot write TensorBoard events: " + TfmnistException.firstLine(e.getMessage()),
        e);
  }
}
