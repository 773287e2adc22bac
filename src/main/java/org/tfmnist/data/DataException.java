package org.tfmnist.data;

import java.nio.file.Path;
import org.tfmnist.TfmnistException;

/** A data file is missing, malformed or corrupt; the message is one line naming the file. */
public class DataException extends TfmnistException {
  public DataException(String message) {
    super(message);
  }

  public DataException(String message, Throwable cause) {
    super(message, cause);
  }

  /** "FILE: PROBLEM". */
  public static DataException of(Path file, String problem) {
    return new DataException(file + ": " + problem);
  }
}
