package org.tfmnist.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The relative links of a Markdown file and whether they resolve: {@code [text](target)}, images
 * and {@code [label]: target} definitions, outside fenced code blocks and inline code. A target is
 * a path relative to the file, optionally with {@code #anchor}; an anchor must name a heading of
 * the target (or of the file itself for {@code #anchor} alone), as GitHub makes anchors from
 * headings. Links with a scheme ({@code https:}, {@code mailto:}) are not checked.
 */
final class MarkdownLinks {
  private static final Pattern INLINE = Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?");
  private static final Pattern DEFINITION = Pattern.compile("^\\s{0,3}\\[[^\\]]+\\]:\\s*(\\S+)");
  private static final Pattern CODE_SPAN = Pattern.compile("`+[^`]*`+");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

  private MarkdownLinks() {}

  /** Each broken link of {@code file} as "file:line: target (why)"; empty when all resolve. */
  static List<String> broken(Path file) throws IOException {
    List<String> problems = new ArrayList<>();
    List<String> lines = Files.readAllLines(file);
    boolean fenced = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.strip().startsWith("```") || line.strip().startsWith("~~~")) {
        fenced = !fenced;
        continue;
      }
      if (fenced) {
        continue;
      }
      for (String target : targets(line)) {
        String why = problem(file, target);
        if (why != null) {
          problems.add(file + ":" + (i + 1) + ": " + target + " (" + why + ")");
        }
      }
    }
    return problems;
  }

  /** The link targets on one line of prose, inline code removed. */
  static List<String> targets(String line) {
    String prose = CODE_SPAN.matcher(line).replaceAll("");
    List<String> targets = new ArrayList<>();
    Matcher inline = INLINE.matcher(prose);
    while (inline.find()) {
      targets.add(inline.group(1));
    }
    Matcher definition = DEFINITION.matcher(prose);
    if (definition.find()) {
      targets.add(definition.group(1));
    }
    return targets;
  }

  /** Why {@code target}, linked from {@code from}, does not resolve; null when it does. */
  static String problem(Path from, String target) throws IOException {
    if (SCHEME.matcher(target).find()) {
      return null;
    }
    int hash = target.indexOf('#');
    String path = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    Path resolved = path.isEmpty() ? from : from.toAbsolutePath().getParent().resolve(path);
    if (!Files.exists(resolved)) {
      return "no such file";
    }
    if (anchor == null) {
      return null;
    }
    if (!Files.isRegularFile(resolved) || !resolved.toString().endsWith(".md")) {
      return "an anchor into a file that is not Markdown";
    }
    return anchors(Files.readAllLines(resolved)).contains(anchor) ? null : "no such heading";
  }

  /** The anchors GitHub gives the headings of a Markdown file (duplicates get -1, -2, ...). */
  static Set<String> anchors(List<String> lines) {
    Set<String> anchors = new HashSet<>();
    boolean fenced = false;
    for (String line : lines) {
      if (line.strip().startsWith("```") || line.strip().startsWith("~~~")) {
        fenced = !fenced;
        continue;
      }
      Matcher heading = HEADING.matcher(line);
      if (!fenced && heading.matches()) {
        String slug = slug(heading.group(1));
        String unique = slug;
        for (int n = 1; !anchors.add(unique); n++) {
          unique = slug + "-" + n;
        }
      }
    }
    return anchors;
  }

  /**
   * GitHub's anchor for a heading: lower case, every character but letters, digits, spaces, hyphens
   * and underscores dropped, spaces made hyphens.
   */
  static String slug(String heading) {
    String text = heading.strip().toLowerCase(Locale.ROOT);
    StringBuilder slug = new StringBuilder();
    text.codePoints()
        .forEach(
            c -> {
              if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                slug.appendCodePoint(c);
              } else if (c == ' ') {
                slug.append('-');
              }
            });
    return slug.toString();
  }
}
