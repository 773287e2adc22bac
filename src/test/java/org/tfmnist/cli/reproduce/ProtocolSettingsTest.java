package org.tfmnist.cli.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The settings each {@code reproduce} passes down to the ordinary commands, read from a planning
 * reproduction (nothing trains) on full MNIST, against the write-ups' values as this test keeps
 * them: loss form, learning rate, steps or epochs, batch, keep probability, validation hold-out.
 * The table below is copied from the write-ups by hand (file names in each row), not from the code
 * under test.
 */
@Tag("unit")
class ProtocolSettingsTest {
  private static final MnistData FULL_MNIST =
      new MnistData(Path.of("mnist"), "full MNIST", 60000, 10000, true);

  /** One command a write-up's protocol runs: its command word, model and expected options. */
  private record Expected(String command, Map<String, String> options, List<String> flags) {}

  private static Map<String, String> options(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  /** 000_89437fe899f4f4ef.txt: GD 0.001 on the summed loss, batch 128, 100 epochs, b constant. */
  private static final List<Expected> DIGITS =
      List.of(
          new Expected("show", options("--dataset", "digits"), List.of("--inverse")),
          new Expected(
              "digits",
              options(
                  "--bias", "constant",
                  "--learning-rate", "0.001",
                  "--batch", "128",
                  "--epochs", "100",
                  "--explain", "0",
                  "--explain-epoch", "11"),
              List.of()));

  /**
   * 001_4aca60708b2885d1.txt: Beginners -reduce_sum at GD 0.01, 1,000 batches of 100; Experts
   * -reduce_sum, Adam 1e-4, 20,000 batches of 50, keep 0.5; input_data holds out 5,000.
   */
  private static final List<Expected> BEGINNERS =
      List.of(
          new Expected(
              "beginners",
              options(
                  "--loss", "sum",
                  "--learning-rate", "0.01",
                  "--batch", "100",
                  "--steps", "1000",
                  "--validation-size", "5000"),
              List.of()),
          new Expected(
              "experts",
              options(
                  "--loss", "sum",
                  "--learning-rate", "1e-4",
                  "--batch", "50",
                  "--steps", "20000",
                  "--keep-prob", "0.5",
                  "--validation-size", "5000"),
              List.of()));

  /** 002_b14f580601e13620.txt: reduce_mean, Adam 1e-4, 20,000 of 50, keep 0.5, every 100. */
  private static final List<Expected> PHOTOS =
      List.of(
          new Expected(
              "experts",
              options(
                  "--loss", "mean",
                  "--learning-rate", "1e-4",
                  "--batch", "50",
                  "--steps", "20000",
                  "--keep-prob", "0.5",
                  "--log-every", "100",
                  "--validation-size", "5000"),
              List.of()));

  /** 003_f3ba276aaa562559.txt: training image 0; Dense 16 sigmoid, Adam(), 10 epochs of 1,000. */
  private static final List<Expected> MLP16 =
      List.of(
          new Expected("show", options("--out", null), List.of("--train")),
          new Expected(
              "train",
              options(
                  "--model", "mlp16",
                  "--optimizer", "adam",
                  "--learning-rate", "0.001",
                  "--batch", "1000",
                  "--epochs", "10"),
              List.of()));

  private static Expected zoo(String model, String epochs, String keep, boolean shuffled) {
    return new Expected(
        "train",
        options(
            "--model", model,
            "--optimizer", "adam",
            "--learning-rate", "0.001",
            "--batch", "32",
            "--epochs", epochs,
            "--keep-prob", keep,
            "--validation-split", "0.1"),
        shuffled ? List.of("--shuffle-labels") : List.of());
  }

  /**
   * 004_96847acfb119240e.txt: Keras' adam (1e-3), batch 32, Dropout(0.25), validation_split 0.1; 50
   * epochs, then 500 on shuffled labels; VGG also without dropout.
   */
  private static final List<Expected> ZOO =
      List.of(
          zoo("mlp512", "50", "0.75", false),
          zoo("mlp2048", "50", "0.75", false),
          zoo("cnn-small", "50", "0.75", false),
          zoo("cnn-vgg", "50", "0.75", false),
          zoo("mlp512", "500", "0.75", true),
          zoo("mlp2048", "500", "0.75", true),
          zoo("cnn-small", "500", "0.75", true),
          zoo("cnn-vgg", "500", "0.75", true),
          zoo("cnn-vgg", "500", "1", true));

  @Test
  void eachReproducePassesTheWriteupsSettingsDown() throws Exception {
    Map<Writeup, List<Expected>> table =
        Map.of(
            Writeup.DIGITS, DIGITS,
            Writeup.BEGINNERS, BEGINNERS,
            Writeup.PHOTOS, PHOTOS,
            Writeup.MLP16, MLP16,
            Writeup.ZOO, ZOO);
    for (Writeup w : Writeup.values()) {
      List<List<String>> lines = plan(w);
      List<Expected> expected = table.get(w);
      assertEquals(expected.size(), lines.size(), w + " runs: " + lines);
      for (int i = 0; i < expected.size(); i++) {
        check(w, expected.get(i), lines.get(i));
      }
    }
  }

  @Test
  void onSmallerDataTheInputDataHoldOutKeepsItsFraction() throws Exception {
    MnistData small = new MnistData(Path.of("small"), "mnist-small", 8000, 2000, false);
    List<List<String>> lines = plan(Writeup.PHOTOS, small);
    assertEquals("667", value(lines.get(0), "--validation-size"), lines.toString());
  }

  private static void check(Writeup w, Expected e, List<String> line) {
    assertEquals(e.command(), line.get(0), w + ": " + line);
    for (Map.Entry<String, String> o : e.options().entrySet()) {
      assertTrue(line.contains(o.getKey()), w + ": " + o.getKey() + " not passed in " + line);
      if (o.getValue() != null) {
        assertEquals(o.getValue(), value(line, o.getKey()), w + ": " + o.getKey() + " in " + line);
      }
    }
    for (String flag : e.flags()) {
      assertTrue(line.contains(flag), w + ": " + flag + " not passed in " + line);
    }
    if (!e.flags().contains("--shuffle-labels")) {
      assertFalse(line.contains("--shuffle-labels"), w + ": " + line);
    }
    assertEquals(
        line.stream().distinct().filter(a -> a.startsWith("--")).count(),
        line.stream().filter(a -> a.startsWith("--")).count(),
        w + ": an option given twice in " + line);
  }

  private static String value(List<String> line, String option) {
    return line.get(line.indexOf(option) + 1);
  }

  private static List<List<String>> plan(Writeup w) throws Exception {
    return plan(w, FULL_MNIST);
  }

  private static List<List<String>> plan(Writeup w, MnistData data) throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Reproduction r =
        Reproduction.planning(
            Path.of("out"),
            w == Writeup.DIGITS ? null : data,
            new Reproduction.Inputs(null, List.of(), List.of()),
            new PrintStream(log, true, StandardCharsets.UTF_8));
    assertEquals(List.of(), r.run(w), "a planning reproduction reports no figures");
    return r.planned();
  }
}
