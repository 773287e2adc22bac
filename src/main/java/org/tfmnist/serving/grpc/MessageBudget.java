package org.tfmnist.serving.grpc;

import io.grpc.ForwardingServerCall;
import io.grpc.KnownLength;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.BodyBudget;
import org.tfmnist.serving.ServingMetrics;

/**
 * Bounds the memory of gRPC requests in flight with the process's {@link BodyBudget} (the one REST
 * draws from). A service {@link #bound} here receives each request message unparsed, as grpc-java
 * assembled it: its size is reserved before it is parsed (a compressed message is charged as it is
 * inflated), and a message that would pass the bound is refused at once with RESOURCE_EXHAUSTED,
 * never parsed. The reservation is held until the call ends, answered, failed or cancelled, since
 * the decoded tensors live that long; it is then given back. A {@code Predict} is also refused with
 * UNAVAILABLE when every predict slot is taken: when its call starts (before its message is read)
 * and again before its message is parsed.
 */
final class MessageBudget {
  /** The busy check of the predict slots: UNAVAILABLE now when every slot is taken. */
  interface Admission {
    void checkNotBusy() throws ApiException;
  }

  /** The request as grpc-java hands it over: unparsed (responses keep their own marshaller). */
  private static final MethodDescriptor.Marshaller<InputStream> UNPARSED =
      new MethodDescriptor.Marshaller<InputStream>() {
        @Override
        public InputStream stream(InputStream value) {
          return value;
        }

        @Override
        public InputStream parse(InputStream stream) {
          return stream;
        }
      };

  private final BodyBudget budget;
  private final Admission admission;
  private final ServingMetrics metrics;

  MessageBudget(BodyBudget budget, Admission admission, ServingMetrics metrics) {
    this.budget = budget;
    this.admission = admission;
    this.metrics = metrics;
  }

  /** {@code service} with every request message charged to the budget before it is parsed. */
  ServerServiceDefinition bound(ServerServiceDefinition service) {
    ServiceDescriptor original = service.getServiceDescriptor();
    ServiceDescriptor.Builder descriptor =
        ServiceDescriptor.newBuilder(original.getName())
            .setSchemaDescriptor(original.getSchemaDescriptor());
    List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      ServerMethodDefinition<?, ?> charged = charged(method);
      descriptor.addMethod(charged.getMethodDescriptor());
      methods.add(charged);
    }
    ServerServiceDefinition.Builder bound = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(bound::addMethod);
    return bound.build();
  }

  private <ReqT, RespT> ServerMethodDefinition<InputStream, RespT> charged(
      ServerMethodDefinition<ReqT, RespT> definition) {
    MethodDescriptor<ReqT, RespT> method = definition.getMethodDescriptor();
    ServerCallHandler<ReqT, RespT> next = definition.getServerCallHandler();
    return ServerMethodDefinition.create(
        method.toBuilder(UNPARSED, method.getResponseMarshaller()).build(),
        (call, headers) -> {
          Charge<ReqT> charge = new Charge<>(method, call);
          if (charge.refusedBusy()) {
            return new ServerCall.Listener<InputStream>() {};
          }
          charge.next = next.startCall(typed(call, method), headers);
          return charge;
        });
  }

  /**
   * {@code call} as the service's handler sees it: the same call, named by the original method. No
   * method of a {@link ServerCall} takes a request message, so only the descriptor differs.
   */
  @SuppressWarnings("unchecked")
  private static <ReqT, RespT> ServerCall<ReqT, RespT> typed(
      ServerCall<InputStream, RespT> call, MethodDescriptor<ReqT, RespT> method) {
    ServerCall<ReqT, RespT> same = (ServerCall<ReqT, RespT>) (ServerCall<?, RespT>) call;
    return new ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT>(same) {
      @Override
      public MethodDescriptor<ReqT, RespT> getMethodDescriptor() {
        return method;
      }
    };
  }

  /** The API name the metrics count a refused call under, or null for ModelService's calls. */
  private static String api(MethodDescriptor<?, ?> method) {
    if (!"tensorflow.serving.PredictionService".equals(method.getServiceName())) {
      return null;
    }
    return switch (String.valueOf(method.getBareMethodName())) {
      case "Predict" -> "predict";
      case "GetModelMetadata" -> "metadata";
      case "Regress" -> "regress";
      default -> "classify"; // Classify, MultiInference (as PredictionServiceImpl counts them)
    };
  }

  /** A refusal raised while a compressed message is inflated, past the budget. */
  private static final class Spent extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Spent() {
      super(null, null, false, false);
    }
  }

  /** One call: its reservation, and the service's own listener behind it. */
  private final class Charge<ReqT> extends ServerCall.Listener<InputStream> {
    private final MethodDescriptor<ReqT, ?> method;
    private final ServerCall<InputStream, ?> call;
    private final String api;
    private final long start = System.nanoTime();
    private final BodyBudget.Reservation memory = budget.open();
    private ServerCall.Listener<ReqT> next;
    private boolean refused;

    Charge(MethodDescriptor<ReqT, ?> method, ServerCall<InputStream, ?> call) {
      this.method = method;
      this.call = call;
      this.api = api(method);
    }

    /** For a Predict: refuses the call (UNAVAILABLE) if every predict slot is taken now. */
    boolean refusedBusy() {
      if (!"predict".equals(api)) {
        return false;
      }
      try {
        admission.checkNotBusy();
        return false;
      } catch (ApiException e) {
        refuse(GrpcErrors.of(e).getStatus());
        return true;
      }
    }

    @Override
    public void onMessage(InputStream message) {
      if (refused || refusedBusy()) {
        return;
      }
      ReqT request;
      try {
        request = method.parseRequest(charged(message));
      } catch (IOException | RuntimeException e) {
        if (!spent(e)) {
          throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        }
        refuse(Status.RESOURCE_EXHAUSTED.withDescription(budget.refusal()));
        return;
      }
      next.onMessage(request);
    }

    /** {@code message}, its size reserved (or reserved as it is read when not known). */
    private InputStream charged(InputStream message) throws IOException {
      if (!(message instanceof KnownLength)) {
        return new Metered(message, memory);
      }
      if (!memory.tryGrow(message.available())) {
        throw new Spent();
      }
      return message;
    }

    private void refuse(Status status) {
      refused = true;
      memory.close();
      if (api != null) {
        int code = GrpcErrors.httpStatus(status.asException());
        metrics.request("", "", api, code, System.nanoTime() - start);
      }
      call.close(status, new Metadata());
    }

    @Override
    public void onHalfClose() {
      if (!refused) {
        next.onHalfClose();
      }
    }

    @Override
    public void onReady() {
      if (!refused) {
        next.onReady();
      }
    }

    @Override
    public void onCancel() {
      try {
        next.onCancel();
      } finally {
        memory.close();
      }
    }

    @Override
    public void onComplete() {
      try {
        next.onComplete();
      } finally {
        memory.close();
      }
    }
  }

  /** Whether {@code e} is, or was caused by, a refusal of the budget. */
  private static boolean spent(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof Spent) {
        return true;
      }
    }
    return false;
  }

  /** A message of unknown length (compressed), charged to the reservation as it is read. */
  private static final class Metered extends FilterInputStream {
    private final BodyBudget.Reservation memory;

    Metered(InputStream in, BodyBudget.Reservation memory) {
      super(in);
      this.memory = memory;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        charge(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        charge(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = in.skip(n);
      charge(skipped);
      return skipped;
    }

    private void charge(long bytes) {
      if (!memory.tryGrow(bytes)) {
        throw new Spent();
      }
    }
  }
}
