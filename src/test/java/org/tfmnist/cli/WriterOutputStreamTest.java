package org.tfmnist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The bridge from the PrintStreams below the CLI to picocli's writers. */
@Tag("unit")
class WriterOutputStreamTest {
  @Test
  void charactersSplitAcrossWritesArriveWholeAndUnflushedTextIsNotHeldBack() throws Exception {
    StringWriter text = new StringWriter();
    WriterOutputStream stream = new WriterOutputStream(text);
    byte[] bytes = "é€ 0.9192 😀".getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      stream.write(b);
    }
    assertEquals("é€ 0.9192 😀", text.toString(), "no flush needed");
    byte[] big = "x".repeat(5000).getBytes(StandardCharsets.UTF_8);
    stream.write(big, 0, big.length);
    assertEquals(5000 + "é€ 0.9192 😀".length(), text.toString().length());
  }

  @Test
  void commandsWriteToTheWritersATestSetsAndToSystemOutOtherwise() {
    CommandLine cli = Main.commandLine();
    var spec = cli.getSubcommands().get("summary").getCommandSpec();
    assertSame(System.out, Console.out(spec), "the real stdout, so a terminal is still seen");
    assertSame(System.err, Console.err(spec));
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    PrintStream captured = Console.out(spec);
    captured.print("epoch 1 ");
    captured.println("accuracy 0.9100");
    assertEquals("epoch 1 accuracy 0.9100" + System.lineSeparator(), out.toString());
  }
}
