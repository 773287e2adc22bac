package org.tfmnist.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * Fails when TF Java changes the private members {@link TargetSession} relies on: it opens a
 * session through them (in-process target ""), initialises on one session and, marked initialised,
 * reads the same variable on a second one.
 */
@Tag("unit")
class TargetSessionTest {
  @Test
  void opensSessionsThroughTfJavasPrivateApi() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Variable<TFloat32> w = tf.withName("W").variable(tf.constant(3f));
      var doubled = tf.math.mul(w, tf.constant(2f));
      try (Session session = TargetSession.open(graph, "", ConfigProto.getDefaultInstance())) {
        session.initialize();
        try (Result result = session.runner().fetch(doubled).run()) {
          assertEquals(6f, ((TFloat32) result.get(0)).getFloat());
        }
      }
      try (Session second = TargetSession.open(graph, "", ConfigProto.getDefaultInstance())) {
        TargetSession.markInitialized(second);
        second.runner().addTarget(tf.assign(w, tf.constant(5f))).run().close();
        try (Result result = second.runner().fetch(doubled).run()) {
          assertEquals(10f, ((TFloat32) result.get(0)).getFloat());
        }
      }
    }
  }
}
