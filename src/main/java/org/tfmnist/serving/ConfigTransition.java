package org.tfmnist.serving;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tfmnist.TfmnistException;

/**
 * One {@link ModelManager#apply}: the models a new list of configs serves, built from the ones
 * served before. New names (and changed base paths) get a new model, the others take the new policy
 * and labels; all of them then load what their policies select, on {@link LoadThreads} (several
 * models at once when there are load threads). The models left out are listed for retirement, which
 * the manager does once the new ones answer.
 */
final class ConfigTransition {
  /** The models to serve, in configuration order, and the ones to retire. */
  record Result(Map<String, ServedModel> models, List<ServedModel> retired) {}

  private ConfigTransition() {}

  /**
   * Builds and loads the models {@code configs} ask for, given those served {@code before}; fails
   * before loading anything (a base path gone) with nothing changed.
   */
  static Result apply(
      Map<String, ServedModel> before,
      List<ModelConfig> configs,
      ServedModel.Opener opener,
      LoadThreads loads,
      PrintStream log)
      throws TfmnistException {
    Map<String, ServedModel> next = new LinkedHashMap<>();
    List<ServedModel> retired = new ArrayList<>();
    List<ModelConfig> kept = new ArrayList<>();
    for (ModelConfig c : configs) {
      ServedModel old = before.get(c.name());
      if (old != null && old.config() != null && old.config().basePath().equals(c.basePath())) {
        next.put(c.name(), old);
        kept.add(c);
      } else {
        next.put(c.name(), ServedModel.create(c, opener, loads, log)); // nothing loaded yet
        if (old != null) {
          retired.add(old);
        }
      }
    }
    kept.forEach(c -> next.get(c.name()).reconfigure(c));
    loads.poll(next.values().stream().map(m -> (Runnable) () -> m.poll(true)).toList());
    before.forEach(
        (name, model) -> {
          if (!next.containsKey(name)) {
            retired.add(model);
          }
        });
    return new Result(Collections.unmodifiableMap(next), retired);
  }
}
