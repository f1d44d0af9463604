package io.chorus.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Where the members' ahead-of-time caches are kept, and which one is usable. */
final class AotCaches {
  private AotCaches() {}

  /** This process's class path: the jars a member runs. */
  static List<Path> classPath() {
    List<Path> out = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        out.add(Path.of(entry).toAbsolutePath());
      }
    }
    return out;
  }

  /** Beside the folder of the first jar (the launcher's cli/target/lib): cli/target/aot. */
  static Path folder() {
    Path first = classPath().get(0);
    Path lib = Files.isDirectory(first) ? first : first.getParent();
    return lib.resolveSibling("aot");
  }

  /**
   * Deletes the caches named {@code prefix*.aot} in {@code folder}, and what a recording left of
   * one ({@code .config}), made before one of {@code jars} last changed: the JVM would refuse them.
   */
  static void pruneStale(Path folder, String prefix, List<Path> jars) throws IOException {
    FileTime jarsChanged = FileTime.fromMillis(0);
    for (Path jar : jars) {
      if (Files.exists(jar)) {
        FileTime changed = Files.getLastModifiedTime(jar);
        jarsChanged = changed.compareTo(jarsChanged) > 0 ? changed : jarsChanged;
      }
    }
    for (Path file : files(folder, prefix, ".aot", ".aot.config")) {
      if (Files.getLastModifiedTime(file).compareTo(jarsChanged) <= 0) {
        Files.deleteIfExists(file);
      }
    }
  }

  /**
   * The newest complete cache named {@code prefix*.aot} in {@code folder}. A cache whose
   * {@code .config} file is still there is being written.
   */
  static Optional<Path> newest(Path folder, String prefix) throws IOException {
    Path best = null;
    for (Path cache : files(folder, prefix, ".aot")) {
      if (!Files.exists(Path.of(cache + ".config"))
          && (best == null || Files.getLastModifiedTime(cache).compareTo(
              Files.getLastModifiedTime(best)) > 0)) {
        best = cache;
      }
    }
    return Optional.ofNullable(best);
  }

  private static List<Path> files(Path folder, String prefix, String... suffixes)
      throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> {
        String name = f.getFileName().toString();
        return name.startsWith(prefix) && Stream.of(suffixes).anyMatch(name::endsWith);
      }).toList();
    }
  }
}
