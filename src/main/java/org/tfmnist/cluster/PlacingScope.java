package org.tfmnist.cluster;

import java.util.Set;
import org.tensorflow.DeviceSpec;
import org.tensorflow.ExecutionEnvironment;
import org.tensorflow.OperationBuilder;
import org.tensorflow.op.Scope;

/**
 * A {@link Scope} that creates every variable ({@code VariableV2}) on a parameter server unless the
 * op already asks for a device, and leaves every other op as the model builds it: with no device,
 * TensorFlow's placer puts it on the task whose master runs the session (the worker), and puts ops
 * that take a variable by reference ({@code Assign}, {@code ApplyAdam}, ...) beside the variable.
 * Every scope derived from it ({@code withSubScope}, {@code withName}, ...) places the same way.
 */
final class PlacingScope implements Scope {
  /** The ops that hold state a cluster shares. */
  static final Set<String> VARIABLE_OPS = Set.of("VariableV2", "Variable");

  private final Scope delegate;
  private final PsDevices devices;

  PlacingScope(Scope delegate, PsDevices devices) {
    this.delegate = delegate;
    this.devices = devices;
  }

  @Override
  public OperationBuilder opBuilder(String type, String name) {
    if (VARIABLE_OPS.contains(type) && delegate.getDeviceString().isEmpty()) {
      return delegate.withDevice(devices.next()).opBuilder(type, name);
    }
    return env().opBuilder(type, makeOpName(name), this);
  }

  @Override
  public ExecutionEnvironment env() {
    return delegate.env();
  }

  @Override
  public Scope withSubScope(String childScopeName) {
    return new PlacingScope(delegate.withSubScope(childScopeName), devices);
  }

  @Override
  public Scope withName(String opName) {
    return new PlacingScope(delegate.withName(opName), devices);
  }

  @Override
  public Scope withNameAsSubScope(String defaultName) {
    return new PlacingScope(delegate.withNameAsSubScope(defaultName), devices);
  }

  @Override
  public Scope withDevice(DeviceSpec newDevice) {
    return new PlacingScope(delegate.withDevice(newDevice), devices);
  }

  @Override
  public Scope withInitScope() {
    return new PlacingScope(delegate.withInitScope(), devices);
  }

  @Override
  public String makeOpName(String defaultName) {
    return delegate.makeOpName(defaultName);
  }

  @Override
  public String makeUnique(String id) {
    return delegate.makeUnique(id);
  }

  @Override
  public void refreshNames() {
    delegate.refreshNames();
  }

  @Override
  public Scope withControlDependencyOps(Iterable<org.tensorflow.Operation> controls) {
    return new PlacingScope(delegate.withControlDependencyOps(controls), devices);
  }

  @Override
  public OperationBuilder apply(OperationBuilder builder) {
    return delegate.apply(builder);
  }

  @Override
  public String getDeviceString() {
    return delegate.getDeviceString();
  }

  @Override
  public boolean isInit() {
    return delegate.isInit();
  }
}
