package io.chorus.cli;

import io.chorus.conformance.ConformanceReport;
import io.chorus.conformance.ConformanceRunner;
import io.chorus.conformance.ExpectedTotals;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chorus conformance FOLDER}: runs the ethereum/tests vectors Chorus recognises. */
@Command(
    name = "conformance",
    mixinStandardHelpOptions = true,
    description = {
        "Runs every ethereum/tests vector Chorus recognises under FOLDER (laid out like",
        "ethereum/tests: RLPTests, TrieTests, TransactionTests, ...). Prints a line per group,",
        "every failure and every skip with its reason, and 'N passed, N failed, N skipped'.",
        "Exits 1 when any case failed, or when --expect is given and a group has fewer files",
        "or passes than the manifest says, or more skips for a reason, or a new skip reason."})
final class ConformanceCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "FOLDER", description = "Root of the vector folders.")
  private Path folder;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
  private Path json;

  @Option(names = "--expect", paramLabel = "FILE", description = {
      "Compare each group's files, passes and skips per reason with this manifest",
      "(conformance/expected.json); name each shortfall and exit 1."})
  private Path expect;

  @Option(names = "--write-expected", paramLabel = "FILE", description = {
      "Write this run's counts as the manifest --expect reads: after an intended change",
      "in coverage, to be reviewed and committed."})
  private Path writeExpected;

  @Override
  public Integer call() throws Exception {
    // Read first: a bad manifest should stop the command before a minute of vectors, not after.
    ExpectedTotals expected = expect == null ? null : ExpectedTotals.read(expect);
    ConformanceReport report = ConformanceRunner.standard().run(folder);
    report.print(spec.commandLine().getOut());
    if (json != null) {
      report.writeJson(json);
    }
    ExpectedTotals reached = ExpectedTotals.of(report);
    if (writeExpected != null) {
      reached.write(writeExpected);
      spec.commandLine().getOut().println("wrote the counts of " + reached.groups().size()
          + " groups to " + writeExpected);
    }
    boolean countsMet = true;
    if (expected != null) {
      ExpectedTotals.Comparison comparison = expected.compare(reached);
      spec.commandLine().getErr().print(ExpectedTotals.describe(comparison, expect));
      spec.commandLine().getErr().flush();
      countsMet = comparison.matches();
      if (countsMet) {
        spec.commandLine().getOut().println("counts match " + expect + " ("
            + expected.groups().size() + " groups)");
      }
    }
    return report.total().failed() == 0 && countsMet ? 0 : 1;
  }
}
