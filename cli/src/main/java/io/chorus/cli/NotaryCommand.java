package io.chorus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.chain.GenesisFile;
import io.chorus.client.Account;
import io.chorus.client.ChorusClient;
import io.chorus.client.NotaryClient;
import io.chorus.codec.Hex;
import io.chorus.crypto.ContentHash;
import io.chorus.notary.NotaryCertificates;
import io.chorus.proof.NotaryEvidence;
import io.chorus.proof.ProofBundle;
import io.chorus.proof.ProofException;
import io.chorus.proof.ProofVerifier;
import io.chorus.proof.TrustRoot;
import io.chorus.service.certificate.CertificatePdf;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chorus notary}: notarization (存证) of files, their proofs and certificates. */
@Command(
    name = "notary",
    mixinStandardHelpOptions = true,
    description = {
        "Notarization (存证): stamp files on the chain and check their proofs offline.",
        "Files are hashed here and never leave this machine; only their digests go on chain."},
    subcommands = {NotaryCommand.Stamp.class, NotaryCommand.Verify.class,
        NotaryCommand.CertificateVerb.class, HistoryVerb.Notary.class})
final class NotaryCommand {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROOF_SUFFIX = ".proof.json";

  private NotaryCommand() {}

  @Command(name = "stamp", mixinStandardHelpOptions = true,
      description = {
          "Hashes each FILE and deposits the digest: one file as a record (id, type, title),",
          "several as one Merkle batch in one transaction. Once final (about a second on a BFT",
          "network) writes FILE.proof.json beside each file."})
  static final class Stamp implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin TxCommand.Connection node = new TxCommand.Connection();
    @ArgGroup(multiplicity = "1") TxCommand.Key key;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "The files to stamp.")
    List<Path> files;

    @Option(names = "--algorithm", paramLabel = "ALG",
        description = "sm3, sha256 or keccak256 (default: sm3 on sm chains, else sha256).")
    String algorithm;

    @Option(names = "--id", paramLabel = "ID",
        description = "The record's id, one file only (default: ALG:HEX of its digest).")
    String id;

    @Option(names = "--type", defaultValue = "evidence", paramLabel = "TYPE",
        description = "The record type, e.g. contract, copyright, evidence, voucher "
            + "(default: ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--title", paramLabel = "TEXT", description = "A title for the record.")
    String title;

    @Override
    public Integer call() {
      return TxCommand.run(spec, () -> {
        ChorusClient client = node.connect();
        ContentHash alg = algorithm == null
            ? ContentHash.defaultFor(client.suite().name()) : algorithm(algorithm);
        if (id != null && files.size() > 1) {
          throw new IllegalArgumentException("--id names one record: stamp one file with it,"
              + " or leave it out for a batch of " + files.size());
        }
        List<byte[]> digests = new ArrayList<>();
        for (Path file : files) {
          digests.add(digest(alg, file));
        }
        Account from = client.account(key.privateKey());
        NotaryClient notary = new NotaryClient(client, node.timeout());
        List<ProofBundle> proofs;
        if (files.size() == 1) {
          ObjectNode metadata = JSON.createObjectNode();
          metadata.put("file", files.getFirst().getFileName().toString());
          metadata.put("size", files.getFirst().toFile().length());
          if (title != null) {
            metadata.put("title", title);
          }
          String recordId = id != null ? id : alg.label() + ":" + Hex.encode(digests.getFirst());
          proofs = List.of(notary.notarize(from, recordId, alg, digests.getFirst(), type,
              metadata.toString()));
        } else {
          ObjectNode metadata = JSON.createObjectNode();
          metadata.put("algorithm", alg.label());
          metadata.put("type", type);
          if (title != null) {
            metadata.put("title", title);
          }
          proofs = notary.anchor(from, digests, metadata.toString());
        }
        PrintWriter out = spec.commandLine().getOut();
        for (int i = 0; i < files.size(); i++) {
          Path proofFile = Path.of(files.get(i) + PROOF_SUFFIX);
          write(proofFile, proofs.get(i).toJson());
          out.println(files.get(i) + "  " + alg.label() + " " + Hex.encode0x(digests.get(i))
              + "  → " + proofFile);
        }
        return 0;
      });
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = {
          "Checks offline that FILE was notarized: hashes it, then checks its proof (FILE.proof.json,",
          "another PROOF file, or the one a certificate PDF embeds) against the genesis file alone."})
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The notarized file.")
    Path file;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PROOF",
        description = "Its proof bundle (default: FILE.proof.json).")
    Path proof;

    @Option(names = "--certificate", paramLabel = "PDF",
        description = "Take the proof embedded in this certificate PDF instead.")
    Path certificate;

    @Option(names = "--genesis", required = true, paramLabel = "GENESIS",
        description = "The chain's genesis.json: the only thing trusted.")
    Path genesis;

    @Override
    public Integer call() throws IOException {
      if (proof != null && certificate != null) {
        throw new IllegalArgumentException("give a PROOF file or --certificate, not both");
      }
      String json = certificate != null
          ? CertificatePdf.embeddedProof(read(certificate))
          : text(proof != null ? proof : Path.of(file + PROOF_SUFFIX));
      TrustRoot root = GenesisFile.trustRoot(GenesisFile.read(genesis));
      NotaryEvidence.Evidence evidence;
      try {
        evidence = evidence(json, root, file);
      } catch (ProofException e) {
        spec.commandLine().getErr().println("chorus notary verify: NOT PROVEN: "
            + e.getMessage());
        return 1;
      }
      print(spec.commandLine().getOut(), file.toString(), evidence, root);
      return 0;
    }
  }

  @Command(name = "certificate", mixinStandardHelpOptions = true,
      description = {
          "Renders a notarization proof as a PDF certificate for a person (a court, a partner):",
          "record, block, time, signers, a QR code of the verify link, and the proof embedded so",
          "the PDF itself checks offline. The proof is verified first: no certificate for a bad one."})
  static final class CertificateVerb implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The notarized file.")
    Path file;

    @Option(names = "--genesis", required = true, paramLabel = "GENESIS",
        description = "The chain's genesis.json.")
    Path genesis;

    @Option(names = "--out", paramLabel = "PDF",
        description = "Where to write it (default: FILE.certificate.pdf).")
    Path out;

    @Option(names = "--verify-url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8545",
        description = "The node whose REST API the QR code links to (default: ${DEFAULT-VALUE}).")
    String verifyUrl;

    @Override
    public Integer call() throws IOException {
      String json = text(Path.of(file + PROOF_SUFFIX));
      TrustRoot root = GenesisFile.trustRoot(GenesisFile.read(genesis));
      NotaryEvidence.Evidence evidence;
      try {
        evidence = evidence(json, root, file);
      } catch (ProofException e) {
        spec.commandLine().getErr().println("chorus notary certificate: the proof does not"
            + " hold, so no certificate: " + e.getMessage());
        return 1;
      }
      Path target = out != null ? out : Path.of(file + ".certificate.pdf");
      Files.write(target, NotaryCertificates.pdf(NotaryCertificates.certificate(
          Optional.of(file.getFileName().toString()), evidence, root, verifyUrl, json),
          CertificatePdf.findFont()));
      spec.commandLine().getOut().println("certificate " + target);
      return 0;
    }
  }

  /**
   * Verifies the bundle and that it is for {@code file}: one of the file's sm3, sha256 and
   * keccak256 digests is the one proven.
   */
  private static NotaryEvidence.Evidence evidence(String json, TrustRoot root, Path file) {
    NotaryEvidence.Evidence evidence = NotaryEvidence.verify(ProofBundle.fromJson(json), root);
    List<String> digests = new ArrayList<>();
    for (ContentHash alg : ContentHash.values()) {
      byte[] digest = digest(alg, file);
      if (java.util.Arrays.equals(digest, evidence.digest())) {
        return evidence;
      }
      digests.add(alg.label() + " " + Hex.encode0x(digest));
    }
    throw new ProofException(file + " is not the file this proof is for: it notarizes "
        + Hex.encode0x(evidence.digest()) + ", the file's digests are " + digests);
  }

  private static void print(PrintWriter out, String file, NotaryEvidence.Evidence e,
      TrustRoot root) {
    out.println("PROVEN: " + file + " was notarized on chain " + root.chainId() + " ("
        + root.suite().name() + ")");
    out.println("  digest       " + Hex.encode0x(e.digest()));
    if (e.how().equals("record")) {
      out.println("  record       " + e.id() + " version " + e.version() + " (" + e.algorithm()
          + ", type " + e.recordType() + ")");
      out.println("  metadata     " + e.metadata());
    } else {
      out.println("  batch        #" + e.batchNumber() + ", digest " + (e.index() + 1) + " of "
          + e.count());
    }
    out.println("  depositor    " + Hex.encode0x(e.depositor()));
    out.println("  block        " + e.proven().blockNumber() + " "
        + Hex.encode0x(e.proven().blockHash()));
    out.println("  time         " + ProofVerifier.time(e.proven().timestamp()));
    out.println("  final by     " + e.proven().signers().size() + " validators' seals");
  }

  private static byte[] digest(ContentHash alg, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return alg.digest(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(VerifyCommand.problem(file, e), e);
    }
  }

  private static void write(Path path, String text) {
    try {
      Files.writeString(path, text);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  private static String text(Path path) {
    return new String(read(path), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static byte[] read(Path path) {
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new IllegalArgumentException(VerifyCommand.problem(path, e), e);
    }
  }

  private static ContentHash algorithm(String name) {
    try {
      return ContentHash.byLabel(name.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--algorithm: " + e.getMessage());
    }
  }

}
