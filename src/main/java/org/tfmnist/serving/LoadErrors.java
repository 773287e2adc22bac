package org.tfmnist.serving;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tfmnist.TfmnistException;

/** A version's load error as clients see it in its status: one line, without the server's paths. */
final class LoadErrors {
  private LoadErrors() {}

  /**
   * {@code message}'s first line, each name of {@code dir} and of {@code base} made "version N".
   */
  static String forClients(String message, Path dir, Path base, long version) {
    String out = TfmnistException.firstLine(String.valueOf(message));
    List<String> paths = new ArrayList<>(List.of(dir.toAbsolutePath().toString(), dir.toString()));
    try {
      paths.add(0, dir.toRealPath().toString());
    } catch (IOException ignored) {
      // gone: its other names still apply
    }
    paths.add(base.toAbsolutePath().toString());
    for (String p : paths) {
      out = out.replace(p, "version " + version);
    }
    return out;
  }
}
