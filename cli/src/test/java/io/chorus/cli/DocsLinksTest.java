package io.chorus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and the documents under {@code docs/} point at each other: a link moved or a
 * heading renamed must not leave a reader at a dead end. Method: every relative Markdown link
 * (outside code) must name an existing file, and its {@code #fragment}, if any, the anchor
 * GitHub gives one of that file's headings. Runs from the cli module's folder, as
 * {@code mvn verify} does, so the repository root is its parent.
 */
class DocsLinksTest {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  // [text](target): the text may span lines; the target has no spaces (none of ours does).
  private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*$");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

  @Test
  void everyRelativeLinkReachesAFileAndItsHeading() throws IOException {
    List<Path> documents = documents();
    assertTrue(documents.size() > 1, "no docs/*.md beside README.md under " + REPO);
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path document : documents) {
      for (String target : links(Files.readString(document))) {
        if (SCHEME.matcher(target).find()) {
          continue; // http:, https:, mailto: — not this repository's to check
        }
        checked++;
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        Path resolved = file.isEmpty() ? document
            : document.getParent().resolve(URLDecoder.decode(file, StandardCharsets.UTF_8))
                .normalize();
        String where = REPO.relativize(document) + ": (" + target + ")";
        if (!Files.exists(resolved)) {
          broken.add(where + " names no file: " + resolved + " does not exist");
        } else if (hash >= 0) {
          String anchor = URLDecoder.decode(target.substring(hash + 1), StandardCharsets.UTF_8);
          Set<String> anchors = anchors(Files.readString(resolved));
          if (!anchors.contains(anchor)) {
            broken.add(where + " names no heading of " + REPO.relativize(resolved)
                + "; its anchors are " + anchors);
          }
        }
      }
    }
    assertEquals(List.of(), broken, "broken links (fix the link or the heading)");
    assertTrue(checked >= documents.size(), "only " + checked + " relative links found in "
        + documents + ": is the link pattern still right?");
  }

  @Test
  void anchorsAreGithubs() {
    assertEquals(List.of("the-chorus-command", "国密-transactions-and-the-java-client",
        "where-this-differs-from-shareddesignmd", "goals-met-and-not-met",
        "goals-met-and-not-met-1", "evm-chorus-against-hardhat-3-same-machine-same-run"),
        List.copyOf(anchors("""
            # The `chorus` command
            ## 国密 transactions and the Java client
            ```
            # a comment in code, not a heading
            ```
            ## Where this differs from `../shared/DESIGN.md`
            ### Goals met and not met
            ### Goals met and not met
            ## EVM: Chorus against hardhat 3, same machine, same run
            """)));
  }

  private static List<Path> documents() throws IOException {
    List<Path> documents = new ArrayList<>(List.of(REPO.resolve("README.md")));
    try (Stream<Path> docs = Files.list(REPO.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
    }
    return documents;
  }

  /** Link targets outside fenced code blocks and inline code spans. */
  private static List<String> links(String markdown) {
    StringBuilder prose = new StringBuilder();
    boolean inFence = false;
    for (String line : markdown.split("\n", -1)) {
      if (line.strip().startsWith("```")) {
        inFence = !inFence;
      } else if (!inFence) {
        prose.append(line.replaceAll("`[^`]*`", "")).append('\n');
      }
    }
    List<String> targets = new ArrayList<>();
    Matcher link = LINK.matcher(prose);
    while (link.find()) {
      targets.add(link.group(2));
    }
    return targets;
  }

  /**
   * The anchors GitHub gives a file's headings, in order: lower case, only letters, digits,
   * spaces, hyphens and underscores kept, each space a hyphen; a repeated one gets -1, -2, ...
   */
  private static Set<String> anchors(String markdown) {
    Set<String> anchors = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean inFence = false;
    for (String line : markdown.split("\n", -1)) {
      if (line.strip().startsWith("```")) {
        inFence = !inFence;
        continue;
      }
      Matcher heading = HEADING.matcher(line);
      if (inFence || !heading.matches()) {
        continue;
      }
      StringBuilder slug = new StringBuilder();
      heading.group(1).toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
        if (c == ' ') {
          slug.append('-');
        } else if (Character.isLetterOrDigit(c) || c == '-' || c == '_'
            || Character.getType(c) == Character.NON_SPACING_MARK) {
          slug.appendCodePoint(c);
        }
      });
      int repeats = seen.merge(slug.toString(), 1, Integer::sum) - 1;
      anchors.add(repeats == 0 ? slug.toString() : slug + "-" + repeats);
    }
    return anchors;
  }
}
