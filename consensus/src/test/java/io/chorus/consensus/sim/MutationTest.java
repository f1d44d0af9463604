package io.chorus.consensus.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.chorus.codec.ByteKey;
import io.chorus.consensus.QbftCore;
import io.chorus.consensus.sim.SimulationFailure.Kind;
import io.chorus.crypto.Signature;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Goal: the simulator catches a core that breaks one of its safety rules, each at a known seed,
 * so a weakened checker (or a generator that stopped making the fault) shows up as a failing
 * test rather than as a quiet pass. Method: each {@link Mutant} edits the core's real source by
 * exact text replacements, the JDK's compiler builds it, and the simulator runs at the mutant's
 * recorded seed in a class loader that takes the mutated classes in place of the built ones; the
 * simulator must report the mutant's failure kind, and the real core must pass the same seed.
 * The production code carries no hook for this. When an edit no longer matches the source the
 * test says so; when a seed stops catching its mutant (the simulator's draws changed) the test
 * searches seeds 1..{@value #SEARCH_SEEDS} and names the first that does.
 */
class MutationTest {
  private static final long SEARCH_SEEDS = 3_000;
  private static final String PACKAGE = "io.chorus.consensus.";

  /** One exact text replacement in a source file of the consensus package. */
  record Edit(String file, String from, String to) {
    /** A quorum of round changes justifies any block, whatever they report prepared. */
    static final Edit ANY_BLOCK_JUSTIFIED =
        new Edit("Justifier.java", "if (highest.isEmpty()) {", "if (true) {");
    static final Edit PREPARES_IGNORED = new Edit("Justifier.java",
        "return p.prepares().isEmpty() ? Optional.empty() : Optional.of(\"unneeded prepares\");",
        "return Optional.empty();");
  }

  enum Mutant {
    /** A block is final with one commit seal short of a quorum. */
    QUORUM_MINUS_ONE_COMMITS(Kind.BAD_CERTIFICATE, 1,
        new Edit("QbftCore.java", "if (decided || rv.commits.size() < validators.quorum()) {",
            "if (decided || rv.commits.size() < validators.quorum() - 1) {"),
        new Edit("QbftCore.java", "if (matching.size() < validators.quorum() || block == null) {",
            "if (matching.size() < validators.quorum() - 1 || block == null) {")),
    /** A restarted core resumes in the round it persisted, where it may have voted already. */
    SAME_ROUND_AFTER_RESTART(Kind.HONEST_EQUIVOCATION, 1,
        new Edit("QbftCore.java", "beginRound(resumed ? round + 1 : 0, nowMillis, resumed);",
            "beginRound(round, nowMillis, resumed);")),
    /**
     * The prepared-certificate rule dropped: a later round's proposer offers a fresh block
     * although round changes report a prepared one, and validators accept it.
     */
    PREPARED_RULE_DROPPED(Kind.SAFETY, 6,
        new Edit("QbftCore.java", "if (best.isEmpty()) {", "if (true) {"),
        Edit.ANY_BLOCK_JUSTIFIED, Edit.PREPARES_IGNORED),
    /** Only the validators' half of that rule dropped: Byzantine proposers exploit it. */
    PREPARED_NOT_CHECKED(Kind.SAFETY, 355, Edit.ANY_BLOCK_JUSTIFIED, Edit.PREPARES_IGNORED),
    /**
     * Only the proposer's half dropped: honest validators refuse its fresh blocks, so a height
     * where a block was prepared but is final nowhere never ends.
     */
    NO_REPROPOSAL(Kind.LIVENESS, 1,
        new Edit("QbftCore.java", "if (best.isEmpty()) {", "if (true) {")),
    /** Validators vote for a proposal without validating its block. */
    NO_VALIDITY_CHECK(Kind.INVALID_BLOCK, 66,
        new Edit("QbftCore.java", "if (!blocks.validate(height, p.block(), now)) {",
            "if (false) {"));

    final Kind expected;
    final long seed;
    final List<Edit> edits;

    Mutant(Kind expected, long seed, Edit... edits) {
      this.expected = expected;
      this.seed = seed;
      this.edits = List.of(edits);
    }
  }

  @ParameterizedTest
  @EnumSource(Mutant.class)
  void simulatorCatchesMutant(Mutant mutant, @TempDir Path dir) throws Exception {
    assertEquals("", Run.outcome(mutant.seed),
        "the real core must pass seed " + mutant.seed + " for the mutant's failure to mean "
            + "anything");
    Method outcome = outcomeIn(compile(mutant, dir));
    String caught = (String) call(outcome, mutant.seed);
    System.out.println("mutant " + mutant + " at seed " + mutant.seed + ": " + caught);
    if (!caught.startsWith(mutant.expected + ":")) {
      fail("the simulator did not report " + mutant.expected + " for mutant " + mutant
          + " at seed " + mutant.seed + " (it reported: "
          + (caught.isEmpty() ? "nothing" : caught) + "); " + search(mutant, outcome));
    }
  }

  /** Runs the simulator at a seed: "" when it passes, else the failure's "KIND: message". */
  static final class Run {
    private Run() {}

    static String outcome(long seed) {
      SimOptions options = SimOptions.choose(seed);
      try {
        new Simulation(seed, options, new FakeAuth(options.members(), seed), false).run();
        return "";
      } catch (SimulationFailure e) {
        return e.getMessage();
      }
    }
  }

  /** The first seeds that catch the mutant with its kind, and what the others reported. */
  private static String search(Mutant mutant, Method outcome) {
    Map<String, Integer> kinds = new TreeMap<>();
    for (long seed = 1; seed <= SEARCH_SEEDS; seed++) {
      String caught = (String) call(outcome, seed);
      String kind = caught.isEmpty() ? "passed" : caught.substring(0, caught.indexOf(':'));
      if (kind.equals(mutant.expected.toString()) && Run.outcome(seed).isEmpty()) {
        return "seed " + seed + " catches it: record that seed in MutationTest.Mutant";
      }
      kinds.merge(kind, 1, Integer::sum);
    }
    return "no seed of 1.." + SEARCH_SEEDS + " catches it; outcomes: " + kinds;
  }

  /** Compiles the mutated sources; returns the folder of their classes. */
  private static Path compile(Mutant mutant, Path dir) throws IOException {
    Path sources = dir.resolve("src/io/chorus/consensus");
    Path classes = dir.resolve("classes");
    Files.createDirectories(sources);
    Files.createDirectories(classes);
    Path original = sourceRoot().resolve("io/chorus/consensus");
    List<Path> mutated = new ArrayList<>();
    for (Edit edit : mutant.edits) {
      Path target = sources.resolve(edit.file());
      String text = Files.readString(Files.exists(target) ? target : original.resolve(edit.file()));
      int at = text.indexOf(edit.from());
      assertTrue(at >= 0 && text.indexOf(edit.from(), at + 1) < 0, "mutant " + mutant
          + ": " + edit.file() + " must hold \"" + edit.from() + "\" exactly once; the core "
          + "changed, so update the edit to break the same rule");
      Files.writeString(target, text.replace(edit.from(), edit.to()));
      if (!mutated.contains(target)) {
        mutated.add(target);
      }
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
      String classpath = String.join(File.pathSeparator, codeSource(QbftCore.class).toString(),
          codeSource(ByteKey.class).toString(), codeSource(Signature.class).toString());
      List<String> options = List.of("-d", classes.toString(), "-classpath", classpath,
          "-proc:none", "-nowarn", "-encoding", "UTF-8");
      boolean built = javac.getTask(null, files, diagnostics, options, null,
          files.getJavaFileObjectsFromPaths(mutated)).call();
      assertTrue(built, "mutant " + mutant + " does not compile: " + diagnostics.getDiagnostics());
    }
    return classes;
  }

  /** {@link Run#outcome} as seen by a class loader that holds the mutated classes. */
  private static Method outcomeIn(Path mutantClasses) throws ReflectiveOperationException {
    ClassLoader loader = new MutantLoader(mutantClasses, MutationTest.class.getClassLoader());
    Method outcome = Class.forName(Run.class.getName(), true, loader)
        .getDeclaredMethod("outcome", long.class);
    outcome.setAccessible(true);
    return outcome;
  }

  private static Object call(Method method, long seed) {
    try {
      return method.invoke(null, seed);
    } catch (InvocationTargetException e) {
      throw new AssertionError("the mutant's run threw", e.getCause());
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }

  private static Path sourceRoot() {
    // target/classes -> src/main/java of the same module
    return codeSource(QbftCore.class).getParent().getParent().resolve("src/main/java");
  }

  private static Path codeSource(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Defines every class of the consensus package and its simulator itself, child first, so that
   * the simulator and the core see each other and the mutant's classes replace the built ones;
   * everything else (codec, crypto, the JDK) comes from the parent.
   */
  private static final class MutantLoader extends ClassLoader {
    private final Path mutantClasses;

    MutantLoader(Path mutantClasses, ClassLoader parent) {
      super(parent);
      this.mutantClasses = mutantClasses;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith(PACKAGE)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null) {
          byte[] bytes = bytesOf(name);
          loaded = defineClass(name, bytes, 0, bytes.length);
        }
        if (resolve) {
          resolveClass(loaded);
        }
        return loaded;
      }
    }

    private byte[] bytesOf(String name) throws ClassNotFoundException {
      String file = name.replace('.', '/') + ".class";
      Path mutated = mutantClasses.resolve(file);
      try {
        if (Files.exists(mutated)) {
          return Files.readAllBytes(mutated);
        }
        try (InputStream built = getParent().getResourceAsStream(file)) {
          if (built == null) {
            throw new ClassNotFoundException(name);
          }
          return built.readAllBytes();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
