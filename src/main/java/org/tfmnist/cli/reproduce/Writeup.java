package org.tfmnist.cli.reproduce;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The five write-ups the project ports, numbered 000 to 004 in the order the project meets them:
 * the digits write-up (softmax on scikit-learn's 8x8 digits, one example traced by hand), the
 * Beginners/Experts write-up, own photos, Keras' MLP 16, and the Keras zoo with shuffled labels.
 */
public enum Writeup {
  DIGITS("000", "digits", "softmax regression on scikit-learn's 8x8 digits", DigitsWriteup::new),
  BEGINNERS(
      "001",
      "beginners",
      "MNIST For ML Beginners and Deep MNIST for Experts",
      BeginnersWriteup::new),
  PHOTOS("002", "photos", "the MNIST model on your own photos", PhotosWriteup::new),
  MLP16("003", "mlp16", "Keras: an MLP with 16 hidden units", Mlp16Writeup::new),
  ZOO("004", "zoo", "Keras: MLPs and CNNs, validation loss, shuffled labels", ZooWriteup::new);

  private final String id;
  private final String alias;
  private final String title;
  private final Supplier<Protocol> protocol;

  Writeup(String id, String alias, String title, Supplier<Protocol> protocol) {
    this.id = id;
    this.alias = alias;
    this.title = title;
    this.protocol = protocol;
  }

  public String id() {
    return id;
  }

  public String alias() {
    return alias;
  }

  public String title() {
    return title;
  }

  Protocol protocol() {
    return protocol.get();
  }

  /** The write-up named by its number ("000") or alias ("digits"). */
  public static Optional<Writeup> find(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(w -> w.id.equals(n) || w.alias.equals(n)).findFirst();
  }

  /** "000 (digits), 001 (beginners), ...", for messages and help. */
  public static String names() {
    StringBuilder sb = new StringBuilder();
    for (Writeup w : values()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(w.id).append(" (").append(w.alias).append(')');
    }
    return sb.toString();
  }
}
