package org.tfmnist.cli.reproduce;

import java.util.List;
import org.tfmnist.TfmnistException;

/** One write-up's protocol: runs it through the ordinary commands and reports its figures. */
interface Protocol {
  /** Runs the protocol in {@code r} and returns one figure per figure the write-up reports. */
  List<Figure> run(Reproduction r) throws TfmnistException;
}
