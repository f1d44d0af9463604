package io.chorus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.chain.GenesisFile;
import io.chorus.client.EventProof;
import io.chorus.codec.Hex;
import io.chorus.proof.ProofBundle;
import io.chorus.proof.ProofException;
import io.chorus.proof.ProofVerifier;
import io.chorus.proof.Proven;
import io.chorus.proof.SharingEvidence;
import io.chorus.proof.TrustRoot;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chorus verify}: checks a proof bundle offline, trusting the genesis file alone. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
        "Checks a proof bundle (from 'chorus proof' or chorus_get*Proof, or an EPCIS event's",
        "proof from 'chorus trace proof') without any network:",
        "the genesis file gives the chain id, suite, genesis hash and first validators; the",
        "bundle must show every validator-set change since, the block's commit certificate by",
        "a quorum of its validators, and the Merkle paths to the fact. Prints what was proven,",
        "or exactly what failed (exit 1)."})
final class VerifyCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The proof bundle (JSON).")
  Path file;

  @Option(names = "--genesis", required = true, paramLabel = "GENESIS",
      description = "The chain's genesis.json: the only thing trusted.")
  Path genesis;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    TrustRoot root = GenesisFile.trustRoot(GenesisFile.read(genesis));
    String text;
    try {
      if (Files.size(file) > ProofBundle.BYTES_MAX) {
        throw new IllegalArgumentException(file + " is larger than a proof bundle can be ("
            + ProofBundle.BYTES_MAX + " bytes)");
      }
      text = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException(problem(file, e));
    }
    if (isEventProof(text)) {
      return TraceCommand.verify(spec, EventProof.fromJson(text), root);
    }
    Proven proven;
    SharingEvidence.Evidence access = null;
    try {
      proven = ProofVerifier.verify(ProofBundle.fromJson(text), root);
      if (SharingEvidence.isAccessed(proven)) {
        access = SharingEvidence.of(proven);
      }
    } catch (ProofException e) {
      spec.commandLine().getErr().println("chorus verify: NOT PROVEN: " + e.getMessage());
      return 1;
    }
    out.println("PROVEN: " + proven.kind().label()
        + " in block " + proven.blockNumber() + " of chain " + root.chainId() + " ("
        + root.suite().name() + ")");
    out.println("  block hash   " + Hex.encode0x(proven.blockHash()));
    out.println("  block time   " + ProofVerifier.time(proven.timestamp()) + " ("
        + proven.timestamp() + ")");
    out.println("  final by     " + proven.signers().size() + " validators' seals:");
    proven.signers().forEach(s -> out.println("                 " + Hex.encode0x(s)));
    out.println("  set changes  " + proven.validatorChanges() + " since genesis, each proven");
    for (Map.Entry<String, String> fact : proven.facts().entrySet()) {
      out.printf("  %-12s %s%n", fact.getKey(), fact.getValue());
    }
    if (access != null) {
      out.println("an access attempt on the data sharing audit trail:");
      for (Map.Entry<String, String> fact : access.facts().entrySet()) {
        out.printf("  %-12s %s%n", fact.getKey(), fact.getValue());
      }
    }
    return 0;
  }

  /** Whether {@code text} is an EPCIS event's proof rather than a bare bundle. */
  private static boolean isEventProof(String text) {
    try {
      return EventProof.isEventProof(JSON.readTree(text));
    } catch (IOException e) {
      return false; // not JSON: the bundle reader says so with its position
    }
  }

  /** What went wrong reading {@code file}, for a person: the JDK's message is often the path. */
  static String problem(Path file, IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no file " + file;
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "not allowed to read " + file;
    }
    return "cannot read " + file + ": " + e.getMessage();
  }
}
