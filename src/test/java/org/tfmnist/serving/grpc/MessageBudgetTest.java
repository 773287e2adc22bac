package org.tfmnist.serving.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tfmnist.serving.ApiException;
import org.tfmnist.serving.BodyBudget;
import org.tfmnist.serving.ServingMetrics;
import tensorflow.serving.GetModelMetadata.GetModelMetadataRequest;
import tensorflow.serving.GetModelMetadata.GetModelMetadataResponse;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * {@link MessageBudget} on a real gRPC server on 127.0.0.1, in front of a service that holds each
 * Predict it receives until the test answers it (no model): a message is charged its size before it
 * is parsed and given back when its call ends, whether answered, failed or cancelled; past the
 * budget a message gets RESOURCE_EXHAUSTED and never reaches the service; a gzip-compressed message
 * is charged its inflated size; a Predict on a busy server gets UNAVAILABLE.
 */
@Tag("unit")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MessageBudgetTest {
  static final int MIB = 1 << 20;

  final ServingMetrics metrics = new ServingMetrics();
  final BlockingQueue<Held> held = new LinkedBlockingQueue<>();
  final AtomicInteger received = new AtomicInteger();
  final AtomicBoolean busy = new AtomicBoolean();
  BodyBudget budget;
  Server server;
  ManagedChannel channel;

  /** A Predict the service holds: its observer, and whether its client cancelled it. */
  record Held(ServerCallStreamObserver<PredictResponse> observer, AtomicBoolean cancelled) {}

  /** A service that holds each Predict, and answers GetModelMetadata at once. */
  final class Holding extends PredictionServiceGrpc.PredictionServiceImplBase {
    @Override
    public void predict(PredictRequest request, StreamObserver<PredictResponse> observer) {
      received.incrementAndGet();
      ServerCallStreamObserver<PredictResponse> call =
          (ServerCallStreamObserver<PredictResponse>) observer;
      AtomicBoolean cancelled = new AtomicBoolean();
      call.setOnCancelHandler(() -> cancelled.set(true));
      held.add(new Held(call, cancelled));
    }

    @Override
    public void getModelMetadata(
        GetModelMetadataRequest request, StreamObserver<GetModelMetadataResponse> observer) {
      observer.onNext(GetModelMetadataResponse.getDefaultInstance());
      observer.onCompleted();
    }
  }

  void start(long limit) throws Exception {
    budget = new BodyBudget(limit);
    MessageBudget.Admission admission =
        () -> {
          if (busy.get()) {
            throw new ApiException(503, "the server is busy: 1 requests running and 0 queued");
          }
        };
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .maxInboundMessageSize(GrpcServer.MAX_MESSAGE_BYTES)
            .addService(
                new MessageBudget(budget, admission, metrics).bound(new Holding().bindService()))
            .build()
            .start();
    channel = GrpcFixtures.channel(server.getPort());
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** A Predict carrying {@code bytes} bytes of zeros as tensor_content. */
  static PredictRequest request(int bytes) {
    TensorProto images =
        TensorProto.newBuilder()
            .setDtype(DataType.DT_FLOAT)
            .setTensorShape(GrpcFixtures.shape(bytes / 4))
            .setTensorContent(ByteString.copyFrom(new byte[bytes]))
            .build();
    return PredictRequest.newBuilder()
        .setModelSpec(GrpcFixtures.spec())
        .putInputs("images", images)
        .build();
  }

  ListenableFuture<PredictResponse> send(PredictRequest request) {
    return PredictionServiceGrpc.newFutureStub(channel).predict(request);
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < end, "timed out waiting until " + what);
      Thread.sleep(5);
    }
  }

  static Status.Code code(ListenableFuture<?> call) throws Exception {
    try {
      call.get(10, TimeUnit.SECONDS);
      return Status.Code.OK;
    } catch (ExecutionException e) {
      return ((StatusRuntimeException) e.getCause()).getStatus().getCode();
    }
  }

  @Test
  void aCallGivesItsReservationBackWhenCancelledAnsweredOrFailed() throws Exception {
    start(64 * MIB);
    PredictRequest request = request(MIB);
    for (String end : List.of("cancelled", "answered", "failed")) {
      ListenableFuture<PredictResponse> call = send(request);
      Held h = held.poll(10, TimeUnit.SECONDS);
      assertTrue(h != null, "the service never received the call");
      assertEquals(request.getSerializedSize(), budget.used(), "charged its size, " + end);
      switch (end) {
        case "cancelled" -> {
          call.cancel(true);
          await("the service hears of the cancel", h.cancelled()::get);
        }
        case "answered" -> {
          h.observer().onNext(PredictResponse.getDefaultInstance());
          h.observer().onCompleted();
          assertEquals(Status.Code.OK, code(call));
        }
        default -> {
          h.observer().onError(Status.INTERNAL.withDescription("boom").asException());
          assertEquals(Status.Code.INTERNAL, code(call));
        }
      }
      await("the budget is back to 0 after the call was " + end, () -> budget.used() == 0);
    }
  }

  @Test
  void messagesPastTheBudgetGetResourceExhaustedAndNeverReachTheService() throws Exception {
    PredictRequest request = request(MIB);
    start(request.getSerializedSize() * 5L / 2); // two such messages fit, not three
    List<ListenableFuture<PredictResponse>> accepted = new ArrayList<>();
    List<Held> holding = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      accepted.add(send(request));
      holding.add(held.poll(10, TimeUnit.SECONDS));
    }
    for (int i = 0; i < 3; i++) {
      StatusRuntimeException e = refusal(send(request));
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.toString());
      assertTrue(
          e.getStatus().getDescription().startsWith("the server is busy: request bodies in flight"),
          e.getStatus().getDescription());
    }
    assertEquals(2, received.get(), "a refused message reached the service");
    assertEquals(request.getSerializedSize() * 2L, budget.used());
    for (Held h : holding) {
      h.observer().onNext(PredictResponse.getDefaultInstance());
      h.observer().onCompleted();
    }
    for (ListenableFuture<PredictResponse> call : accepted) {
      assertEquals(Status.Code.OK, code(call));
    }
    await("the budget is back to 0", () -> budget.used() == 0);
    // the server still takes messages once the budget is free
    ListenableFuture<PredictResponse> again = send(request);
    Held h = held.poll(10, TimeUnit.SECONDS);
    assertTrue(h != null, "a message within the budget was not received");
    h.observer().onNext(PredictResponse.getDefaultInstance());
    h.observer().onCompleted();
    assertEquals(Status.Code.OK, code(again));
    assertTrue(
        metrics
            .scrape()
            .contains("request_count{model_name=\"\"," + "status=\"RESOURCE_EXHAUSTED\"} 3\n"),
        metrics.scrape());
  }

  @Test
  void aCompressedMessageIsChargedItsInflatedSize() throws Exception {
    PredictRequest request = request(4 * MIB); // zeros: a few KiB once gzipped
    start(2 * MIB);
    StatusRuntimeException e =
        refusal(
            PredictionServiceGrpc.newFutureStub(channel).withCompression("gzip").predict(request));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.toString());
    assertEquals(0, received.get());
    await("the budget is back to 0", () -> budget.used() == 0);
    stop();
    start(8 * MIB);
    ListenableFuture<PredictResponse> call =
        PredictionServiceGrpc.newFutureStub(channel).withCompression("gzip").predict(request);
    Held h = held.poll(10, TimeUnit.SECONDS);
    assertTrue(h != null, "the compressed message within the budget was not received");
    assertEquals(request.getSerializedSize(), budget.used());
    call.cancel(true);
    await("the budget is back to 0", () -> budget.used() == 0);
  }

  @Test
  void aPredictOnABusyServerGetsUnavailableOtherCallsDoNot() throws Exception {
    start(64 * MIB);
    busy.set(true);
    StatusRuntimeException e = refusal(send(request(MIB)));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
    assertTrue(e.getStatus().getDescription().startsWith("the server is busy"), e.toString());
    assertEquals(0, received.get());
    assertEquals(0, budget.used());
    GetModelMetadataResponse metadata =
        PredictionServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .getModelMetadata(GetModelMetadataRequest.getDefaultInstance());
    assertEquals(GetModelMetadataResponse.getDefaultInstance(), metadata);
    assertTrue(
        metrics.scrape().contains("request_count{model_name=\"\",status=\"UNAVAILABLE\"} 1\n"),
        metrics.scrape());
  }

  static StatusRuntimeException refusal(ListenableFuture<?> call) throws Exception {
    try {
      call.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (StatusRuntimeException) e.getCause();
    }
    throw new AssertionError("the call was answered, not refused");
  }
}
