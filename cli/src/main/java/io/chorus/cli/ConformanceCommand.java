package io.chorus.cli;

import io.chorus.conformance.ConformanceReport;
import io.chorus.conformance.ConformanceRunner;
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
        "Exits 1 when any case failed."})
final class ConformanceCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Parameters(paramLabel = "FOLDER", description = "Root of the vector folders.")
  private Path folder;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON.")
  private Path json;

  @Override
  public Integer call() throws Exception {
    ConformanceReport report = ConformanceRunner.standard().run(folder);
    report.print(spec.commandLine().getOut());
    if (json != null) {
      report.writeJson(json);
    }
    return report.total().failed() == 0 ? 0 : 1;
  }
}
