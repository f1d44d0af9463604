package io.chorus.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.evm.Evm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs every vector it recognises under a folder laid out like ethereum/tests, one file per task
 * on all cores. Files of a kind no runner handles, and files the folder's MANIFEST.tsv lists but
 * the copy lacks, are reported as skips with their reason, never dropped.
 */
public final class ConformanceRunner {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, VectorRunner> runnersByFolder;

  public ConformanceRunner(List<VectorRunner> runners) {
    this.runnersByFolder =
        runners.stream().collect(Collectors.toMap(VectorRunner::folder, Function.identity()));
  }

  /** The runners for every vector kind Chorus implements so far. */
  public static ConformanceRunner standard() {
    return new ConformanceRunner(List.of(
        new RlpVectors(), new TrieVectors(), new TransactionVectors(), new StateVectors()));
  }

  public ConformanceReport run(Path root) {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("vector folder " + root + " does not exist");
    }
    List<Path> files = jsonFiles(root);
    boolean recognised = files.stream().anyMatch(f -> runnerFor(root.relativize(f)) != null);
    if (!recognised) {
      throw new IllegalArgumentException("no vectors Chorus recognises under " + root
          + ": expected an ethereum/tests layout with folders " + runnersByFolder.keySet());
    }
    List<CaseResult> results = new ArrayList<>();
    int threads = Runtime.getRuntime().availableProcessors();
    // State tests nest EVM frames by recursion: give each worker the stack the EVM asks for.
    ThreadFactory workers = task -> new Thread(null, task, "conformance", Evm.STACK_BYTES);
    try (ExecutorService pool = Executors.newFixedThreadPool(threads, workers)) {
      List<Future<List<CaseResult>>> pending = new ArrayList<>();
      for (Path file : slowFirst(root, files)) {
        pending.add(pool.submit(() -> runFile(root, file)));
      }
      for (Future<List<CaseResult>> future : pending) {
        results.addAll(future.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running vectors", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("vector runner crashed", e.getCause());
    }
    results.addAll(missingFromManifest(root));
    results.addAll(missingPerReadme(root));
    return new ConformanceReport(root, results);
  }

  private List<CaseResult> runFile(Path root, Path file) {
    Path relative = root.relativize(file);
    String relativePath = slashes(relative);
    String group = relative.getParent() == null ? "." : slashes(relative.getParent());
    VectorRunner runner = runnerFor(relative);
    if (runner == null) {
      String why = "no runner for " + relative.getName(0) + " vectors yet";
      return List.of(new CaseResult(group, relativePath, "(whole file)", Outcome.SKIPPED, why));
    }
    JsonNode json;
    try {
      json = JSON.readTree(file.toFile());
    } catch (IOException e) {
      return List.of(new CaseResult(group, relativePath, "(whole file)", Outcome.FAILED,
          "unreadable JSON: " + e.getMessage()));
    }
    return runner.run(new VectorFile(file, group, relativePath, json));
  }

  private List<Path> slowFirst(Path root, List<Path> files) {
    List<Path> ordered = new ArrayList<>(files);
    ordered.sort(Comparator.comparingInt((Path file) -> {
      Path relative = root.relativize(file);
      VectorRunner runner = runnerFor(relative);
      return runner == null ? 0 : -runner.slowness(slashes(relative));
    }));
    return ordered;
  }

  private VectorRunner runnerFor(Path relative) {
    return relative.getNameCount() < 2 ? null : runnersByFolder.get(relative.getName(0).toString());
  }

  /** Files the copy's MANIFEST.tsv lists but that are not on disk. */
  private static List<CaseResult> missingFromManifest(Path root) {
    Path manifest = root.resolve("MANIFEST.tsv");
    if (!Files.isRegularFile(manifest)) {
      return List.of();
    }
    try (Stream<String> lines = Files.lines(manifest)) {
      return lines.filter(line -> !line.startsWith("#") && !line.isBlank())
          .map(line -> line.split("\t", 2)[0])
          .filter(path -> !Files.exists(root.resolve(path)))
          .map(path -> {
            int slash = path.lastIndexOf('/');
            String group = slash < 0 ? "." : path.substring(0, slash);
            return new CaseResult(group, path, "(whole file)", Outcome.SKIPPED,
                "listed in MANIFEST.tsv but absent from this copy");
          })
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + manifest, e);
    }
  }

  /**
   * Files the copy's README names under a "Files missing from this copy" heading, as list items
   * holding a backquoted path: upstream files a trimmed copy leaves out on purpose.
   */
  private static List<CaseResult> missingPerReadme(Path root) {
    Path readme = root.resolve("README.md");
    if (!Files.isRegularFile(readme)) {
      return List.of();
    }
    List<CaseResult> missing = new ArrayList<>();
    boolean inSection = false;
    try {
      for (String line : Files.readAllLines(readme)) {
        if (line.startsWith("#")) {
          inSection = line.toLowerCase(java.util.Locale.ROOT).contains("files missing");
        } else if (inSection && line.startsWith("- `") && line.indexOf('`', 3) > 3) {
          String path = line.substring(3, line.indexOf('`', 3));
          if (!Files.exists(root.resolve(path))) {
            int slash = path.lastIndexOf('/');
            missing.add(new CaseResult(slash < 0 ? "." : path.substring(0, slash), path,
                "(whole file)", Outcome.SKIPPED, "absent from this copy (named in its README)"));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + readme, e);
    }
    return missing;
  }

  /**
   * Every JSON file under the root, through symbolic links: a vector folder is often a link to a
   * shared copy. A link that leads back to a folder above it would make the walk endless, so it
   * is refused with its path.
   */
  private static List<Path> jsonFiles(Path root) {
    try (Stream<Path> walk = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
      return walk.filter(p -> p.toString().endsWith(".json") && Files.isRegularFile(p))
          .sorted()
          .toList();
    } catch (UncheckedIOException e) { // the stream's form of an error met while walking
      throw listingFailed(root, e.getCause());
    } catch (IOException e) {
      throw listingFailed(root, e);
    }
  }

  private static RuntimeException listingFailed(Path root, IOException cause) {
    if (cause instanceof FileSystemLoopException loop) {
      return new IllegalArgumentException("symbolic link loop under " + root + ": "
          + loop.getFile() + " leads back to a folder that contains it; remove that link or"
          + " point it at the vectors themselves", cause);
    }
    return new UncheckedIOException("cannot list " + root, cause);
  }

  private static String slashes(Path path) {
    return path.toString().replace('\\', '/');
  }
}
