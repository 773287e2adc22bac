package org.tfmnist.runtime;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.proto.ConfigProto;

/**
 * Opens a {@link Session} on a TensorFlow server's master ({@code grpc://host:port}), which TF Java
 * 1.1.0 has no public API for: {@code new Session(graph, config)} always opens an in-process
 * session. This is the project's ONLY reflection into TF Java; it relies on exactly three private
 * members, both checked by {@code TargetSessionTest}:
 *
 * <ul>
 *   <li>{@code org.tensorflow.Graph#nativeHandle}, a private {@code TF_Graph} field;
 *   <li>{@code org.tensorflow.Session(Graph, TF_Session)}, a package-private constructor that wraps
 *       an already created native session (and takes a reference on the graph);
 *   <li>{@code org.tensorflow.Session#markAllInitializersAsRan()}, package-private, for {@link
 *       #markInitialized}: a session whose variables another task initialised must not run the
 *       graph's initializers again, and TF Java refuses to run a graph with initializers it has not
 *       run itself.
 * </ul>
 *
 * The native session itself comes from public C API bindings: {@code
 * TF_SessionOptions.newSessionOptions()}, {@code TF_SetTarget}, {@code TF_SetConfig} and {@code
 * TF_Session.newSession(graph, options, status)}, as {@code Session}'s own private {@code allocate}
 * does minus the target. If a TF Java upgrade renames any of them, {@link #open} fails with an
 * {@link IllegalStateException} naming it, and the test fails first.
 */
public final class TargetSession {
  private static final Field GRAPH_HANDLE = graphHandleField();
  private static final Constructor<Session> WRAP = sessionConstructor();
  private static final java.lang.reflect.Method MARK_INITIALIZED = markInitializedMethod();

  private TargetSession() {}

  /**
   * A session on {@code graph} whose master is {@code target} (e.g. {@code grpc://127.0.0.1:2222},
   * or "" for in-process), configured by {@code config}; the caller closes it.
   */
  public static Session open(Graph graph, String target, ConfigProto config) {
    TF_Session handle;
    try (PointerScope scope = new PointerScope()) {
      TF_Status status = TF_Status.newStatus();
      TF_SessionOptions options = TF_SessionOptions.newSessionOptions();
      tensorflow.TF_SetTarget(options, target);
      BytePointer bytes = new BytePointer(config.toByteArray());
      tensorflow.TF_SetConfig(options, bytes, bytes.capacity(), status);
      status.throwExceptionIfNotOK();
      handle = TF_Session.newSession(nativeGraph(graph), options, status);
      status.throwExceptionIfNotOK();
      handle = (TF_Session) handle.retainReference();
    }
    try {
      return WRAP.newInstance(graph, handle);
    } catch (InstantiationException | IllegalAccessException e) {
      throw new IllegalStateException("TF Java's Session(Graph, TF_Session) is not usable", e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(
          "TF Java's Session(Graph, TF_Session) failed: " + e.getCause(), e.getCause());
    }
  }

  /**
   * Tells {@code session} that the graph's variable initializers have run (by another task of the
   * cluster, the chief), so it runs the graph without running them again.
   */
  public static void markInitialized(Session session) {
    try {
      MARK_INITIALIZED.invoke(session);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("TF Java's Session.markAllInitializersAsRan failed", e);
    }
  }

  private static java.lang.reflect.Method markInitializedMethod() {
    try {
      java.lang.reflect.Method method = Session.class.getDeclaredMethod("markAllInitializersAsRan");
      method.setAccessible(true);
      return method;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("TF Java's Session has no markAllInitializersAsRan()", e);
    }
  }

  private static TF_Graph nativeGraph(Graph graph) {
    try {
      TF_Graph handle = (TF_Graph) GRAPH_HANDLE.get(graph);
      if (handle == null || handle.isNull()) {
        throw new IllegalStateException("Graph has been close()d");
      }
      return handle;
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("TF Java's Graph.nativeHandle is not readable", e);
    }
  }

  private static Field graphHandleField() {
    try {
      Field field = Graph.class.getDeclaredField("nativeHandle");
      if (field.getType() != TF_Graph.class) {
        throw new IllegalStateException("TF Java's Graph.nativeHandle is no longer a TF_Graph");
      }
      field.setAccessible(true);
      return field;
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException("TF Java's Graph has no private nativeHandle field", e);
    }
  }

  private static Constructor<Session> sessionConstructor() {
    try {
      Constructor<Session> constructor =
          Session.class.getDeclaredConstructor(Graph.class, TF_Session.class);
      constructor.setAccessible(true);
      return constructor;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(
          "TF Java's Session has no (Graph, TF_Session) constructor", e);
    }
  }
}
