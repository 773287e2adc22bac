package org.tfmnist.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every relative link in README.md, CONTRIBUTING.md, CHANGELOG.md and docs/*.md points at a file
 * that exists and, with {@code #anchor}, at a heading it has; README.md stays at most 200 lines.
 */
@Tag("unit")
class DocLinksTest {
  @TempDir Path tmp;

  static List<Path> documents() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String top : List.of("README.md", "CONTRIBUTING.md", "CHANGELOG.md")) {
      files.add(Path.of(top));
    }
    try (Stream<Path> docs = Files.list(Path.of("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    return files;
  }

  @Test
  void everyRelativeLinkResolves() throws IOException {
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path file : documents()) {
      assertTrue(Files.isRegularFile(file), file + " is missing");
      broken.addAll(MarkdownLinks.broken(file));
      checked++;
    }
    assertTrue(checked >= 10, "README, CONTRIBUTING, CHANGELOG and docs/: " + checked + " files");
    assertEquals(List.of(), broken);
  }

  @Test
  void readmeIsAtMost200Lines() throws IOException {
    long lines = Files.readAllLines(Path.of("README.md")).size();
    assertTrue(lines <= 200, "README.md has " + lines + " lines; move detail into docs/");
  }

  @Test
  void brokenFilesAndAnchorsAreFound() throws IOException {
    Files.writeString(tmp.resolve("other.md"), "# Other page\n\n## The `serve` command: REST\n");
    Path page = tmp.resolve("page.md");
    Files.writeString(
        page,
        String.join(
            "\n",
            "# Page",
            "[fine](other.md) [fine](other.md#the-serve-command-rest) [self](#page)",
            "[gone](missing.md) [bad anchor](other.md#nothing) ![img](pic.png)",
            "`[in code](nowhere.md)` [web](https://example.org/x.md)",
            "```",
            "[in a fence](nowhere.md)",
            "```",
            "[ref]: also-missing.md"));
    List<String> broken = MarkdownLinks.broken(page);
    assertEquals(4, broken.size(), String.join("\n", broken));
    assertTrue(broken.get(0).endsWith(":3: missing.md (no such file)"), broken.get(0));
    assertTrue(broken.get(1).endsWith(":3: other.md#nothing (no such heading)"), broken.get(1));
    assertTrue(broken.get(2).endsWith(":3: pic.png (no such file)"), broken.get(2));
    assertTrue(broken.get(3).endsWith(":8: also-missing.md (no such file)"), broken.get(3));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Tests | tests",
        "`beginners`: MNIST For ML Beginners | beginners-mnist-for-ml-beginners",
        "`evaluate --model DIR [--data-dir DIR]` | evaluate---model-dir---data-dir-dir",
        "What survives what | what-survives-what",
        "`experts --fast` against the tutorial's run | experts---fast-against-the-tutorials-run"
      })
  void anchorsAreGitHubs(String heading, String anchor) {
    assertEquals(anchor, MarkdownLinks.slug(heading));
  }

  @Test
  void repeatedHeadingsGetNumberedAnchors() {
    assertEquals(
        Set.of("usage", "usage-1", "usage-2"),
        MarkdownLinks.anchors(List.of("## Usage", "## Usage", "### Usage")));
  }
}
