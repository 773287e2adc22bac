package org.tfmnist.cluster;

import java.util.function.UnaryOperator;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.Graph;
import org.tensorflow.Operation;
import org.tensorflow.OperationBuilder;
import org.tensorflow.op.Ops;
import org.tensorflow.op.Scope;
import org.tfmnist.model.DevicePlacement;
import org.tfmnist.model.Optimizer;

/**
 * Between-graph replication's placement (TF1's {@code replica_device_setter}): variables, optimizer
 * slots and the global step round-robin over the ps tasks, everything else on the worker that runs
 * the graph. Each task builds the same graph with it, so they agree on every variable's home.
 */
public final class ReplicaPlacement implements DevicePlacement {
  private final int psTasks;
  private final UnaryOperator<Optimizer> optimizer;

  /** Asynchronous updates: each replica applies its own gradients. */
  public ReplicaPlacement(int psTasks) {
    this(psTasks, UnaryOperator.identity());
  }

  /** Updates through {@code optimizer}, e.g. synchronous replicas around the base optimiser. */
  ReplicaPlacement(int psTasks, UnaryOperator<Optimizer> optimizer) {
    this.psTasks = psTasks;
    this.optimizer = optimizer;
  }

  @Override
  public Optimizer optimizer(Optimizer base) {
    return optimizer.apply(base);
  }

  @Override
  public Ops ops(Graph graph) {
    return Ops.create(new Environment(graph, new PsDevices(psTasks)));
  }

  /** The graph, whose base scope places variables on the ps tasks. */
  private record Environment(Graph graph, PsDevices devices) implements ExecutionEnvironment {
    @Override
    public OperationBuilder opBuilder(String type, String name, Scope scope) {
      return graph.opBuilder(type, name, scope);
    }

    @Override
    public void attachFunction(ConcreteFunction function) {
      graph.attachFunction(function);
    }

    @Override
    public void checkInput(Operation input) {
      graph.checkInput(input);
    }

    @Override
    public Types environmentType() {
      return graph.environmentType();
    }

    @Override
    public Scope baseScope() {
      return new PlacingScope(graph.baseScope(), devices);
    }

    @Override
    public boolean isInitializer(Operation operation) {
      return graph.isInitializer(operation);
    }
  }
}
