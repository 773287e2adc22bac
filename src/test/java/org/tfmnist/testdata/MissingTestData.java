package org.tfmnist.testdata;

/**
 * The data the tests read is neither beside the project nor obtainable: the message is one line
 * naming what is missing and how to supply it. It carries no stack trace, so a test that meets it
 * reports that line and nothing else.
 */
public final class MissingTestData extends RuntimeException {
  public MissingTestData(String message) {
    super(message, null, false, false);
  }
}
