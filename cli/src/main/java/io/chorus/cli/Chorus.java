package io.chorus.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code chorus} command: one verb per subcommand. */
@Command(
    name = "chorus",
    mixinStandardHelpOptions = true,
    versionProvider = Chorus.Version.class,
    description = "Chorus: a consortium blockchain with an EVM, BFT consensus and 国密 crypto.",
    subcommands = {InitCommand.class, UpCommand.class, DownCommand.class, NodeCommand.class,
        StatusCommand.class, GovCommand.class, CaCommand.class, TokenCommand.class,
        AccountCommand.class, TxCommand.class, ProofCommand.class, VerifyCommand.class,
        NotaryCommand.class, TraceCommand.class, ReceivableCommand.class, ShareCommand.class,
        ExportCommand.class, RelayCommand.class, XchainCommand.class,
        BenchCommand.class, ConformanceCommand.class, CryptoCommand.class,
        CommandLine.HelpCommand.class})
public final class Chorus {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by main and the tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new Chorus())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          // A user mistake surfaces as IllegalArgumentException with a message saying what to fix.
          if (e instanceof IllegalArgumentException) {
            cmd.getErr().println("chorus: " + e.getMessage());
            return 2;
          }
          throw e;
        });
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Chorus.class.getPackage().getImplementationVersion();
      return new String[] {"chorus " + (version == null ? "development build" : version)};
    }
  }
}
