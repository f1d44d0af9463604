package io.chorus.cli;

import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.node.Node;
import io.chorus.p2p.tls.CertificateExpiry;
import io.chorus.p2p.tls.ChainCa;
import io.chorus.p2p.tls.ConsensusIdentity;
import io.chorus.p2p.tls.ConsensusKeyExtension;
import io.chorus.p2p.tls.Pem;
import io.chorus.p2p.tls.RevocationFile;
import io.chorus.p2p.tls.Role;
import io.chorus.p2p.tls.Subjects;
import io.chorus.p2p.tls.TlsCredentials;
import io.chorus.p2p.tls.TlsKeyAlgorithm;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code chorus ca ...}: the consortium PKI. A root, one CA per member organisation, and the
 * node and user certificates an organisation's CA issues, in the chain suite's algorithm (SM2
 * for sm chains, P-256 for ethereum chains). On disk, in the PKI directory ({@code --pki},
 * a network's {@code ca/} by default):
 *
 * <pre>
 * ca.pem, ca.key          the consortium root
 * ORG/ca.pem, ORG/ca.key  the CA of member organisation ORG
 * ORG/data.key, data.pub  its data keys (private: every one it had, the current last; public:
 *                         the current one), which events visible to it are sealed for
 * ORG/users/NAME/         user.pem (user, ORG CA) and user.key
 * </pre>
 */
@Command(
    name = "ca",
    mixinStandardHelpOptions = true,
    description = {
        "The consortium PKI: a root, one CA per member organisation, node certificates",
        "(TLS identity binding the node's consensus key) and user certificates, in the",
        "chain's suite (SM2/SM3 for sm, P-256 for ethereum). Certificates carry the",
        "organisation as subject O and the role as subject OU.",
        "A node is admitted to the network only with a node certificate of a member",
        "organisation that is not expired and not listed in its tls/revoked.txt."},
    subcommands = {
        CaCommand.Init.class,
        CaCommand.Org.class,
        CaCommand.DataKey.class,
        CaCommand.NodeCert.class,
        CaCommand.User.class,
        CaCommand.Rotate.class,
        CaCommand.Revoke.class,
        CaCommand.Show.class})
final class CaCommand {
  // Organisation names become directory names.
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  // Certificates start a minute early so that members whose clocks lag a little accept them.
  private static final Duration BACKDATE = Duration.ofMinutes(1);

  private CaCommand() {}

  /** The PKI directory every verb works in. */
  static final class PkiOption {
    @Option(names = "--pki", paramLabel = "DIR", defaultValue = NetworkDir.DEFAULT + "/ca",
        description = "The PKI directory (default: ${DEFAULT-VALUE}, the CA of the network "
            + "'chorus init' lays out).")
    Path dir;

    ChainCa root() {
      Path certificate = dir.resolve(ChainCa.CERTIFICATE_FILE);
      if (!Files.isRegularFile(certificate)) {
        throw new IllegalArgumentException("no consortium root in " + dir + ": create it with "
            + "'chorus ca init --pki " + dir + " --suite sm|ethereum'");
      }
      try {
        return ChainCa.load(TlsKeyAlgorithm.of(Pem.readCertificate(certificate).getPublicKey()),
            dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the root in " + dir + ": " + e.getMessage(),
            e);
      }
    }

    ChainCa organisation(String name) {
      ChainCa root = root();
      Path orgDir = dir.resolve(requireName("--org", name));
      if (!Files.isRegularFile(orgDir.resolve(ChainCa.CERTIFICATE_FILE))) {
        throw new IllegalArgumentException("no organisation " + name + " in " + dir
            + ": add it with 'chorus ca org --pki " + dir + " --name " + name + "'");
      }
      try {
        return ChainCa.load(root.algorithm(), orgDir, root.certificate());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the CA of " + name + ": " + e.getMessage(),
            e);
      }
    }
  }

  /** How long a new certificate is valid. */
  static final class DaysOption {
    @Option(names = "--days", paramLabel = "N", description = "Days the certificate is valid "
        + "(default: ${DEFAULT-VALUE}).", defaultValue = "365")
    int days;

    Instant notBefore() {
      return CaCommand.notBefore();
    }

    Instant notAfter() {
      return CaCommand.notAfter(days);
    }
  }

  private static Instant notBefore() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(BACKDATE);
  }

  private static Instant notAfter(int days) {
    if (days < 1) {
      throw new IllegalArgumentException("--days must be at least 1, not " + days);
    }
    return notBefore().plus(BACKDATE).plus(Duration.ofDays(days));
  }

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Creates the consortium root in the PKI directory.")
  static final class Init implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin PkiOption pki;

    @Option(names = "--suite", required = true, paramLabel = "NAME",
        description = "The chain's suite: sm (SM2 certificates, ShangMi TLS) or ethereum "
            + "(P-256 certificates, TLS 1.3).")
    String suite;

    @Option(names = "--name", defaultValue = "Chorus consortium", paramLabel = "NAME",
        description = "The consortium, the root's O and CN (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--days", defaultValue = "3650", paramLabel = "N",
        description = "Days the root is valid (default: ${DEFAULT-VALUE}).")
    int days;

    @Override
    public Integer call() throws IOException {
      if (Files.exists(pki.dir.resolve(ChainCa.CERTIFICATE_FILE))) {
        throw new IllegalArgumentException(pki.dir + " holds a root already; pick another "
            + "--pki for a new consortium");
      }
      ChainCa root = ChainCa.create(name + " root CA", name, TlsKeyAlgorithm.forSuite(suite),
          notBefore(), notAfter(days), new SecureRandom());
      Files.createDirectories(pki.dir);
      root.save(pki.dir);
      report(spec.commandLine().getOut(), "root", pki.dir.resolve(ChainCa.CERTIFICATE_FILE),
          root.certificate());
      return 0;
    }
  }

  @Command(name = "org", mixinStandardHelpOptions = true,
      description = {
          "Adds a member organisation: its CA, certified by the root, and its data key pair",
          "(data.key, data.pub: events visible to it are sealed for its public key, which the",
          "genesis file or 'chorus gov propose org-data-key' puts on the chain), in PKI/ORG/."})
  static final class Org implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin PkiOption pki;

    @Option(names = "--name", required = true, paramLabel = "ORG",
        description = "The organisation's name (letters, digits, '.', '_', '-').")
    String name;

    @Option(names = "--days", defaultValue = "1825", paramLabel = "N",
        description = "Days the organisation's CA is valid (default: ${DEFAULT-VALUE}).")
    int days;

    @Override
    public Integer call() throws IOException {
      Path orgDir = pki.dir.resolve(requireName("--name", name));
      if (Files.exists(orgDir.resolve(ChainCa.CERTIFICATE_FILE))) {
        throw new IllegalArgumentException("organisation " + name + " exists already in "
            + pki.dir);
      }
      ChainCa organisation = pki.root().issueOrganisation(name, notBefore(), notAfter(days),
          new SecureRandom());
      Files.createDirectories(orgDir);
      organisation.save(orgDir);
      byte[] dataKey = OrgDataKeys.add(orgDir, CryptoSuite.byName(suiteOf(organisation)),
          new SecureRandom());
      PrintWriter out = spec.commandLine().getOut();
      report(out, "organisation CA", orgDir.resolve(ChainCa.CERTIFICATE_FILE),
          organisation.certificate());
      out.println("  data key     " + Hex.encode0x(dataKey) + " (" + orgDir.resolve(
          OrgDataKeys.PUBLIC_FILE) + "; on a running chain: 'chorus gov propose org-data-key "
          + name + " " + Hex.encode0x(dataKey) + "')");
      return 0;
    }
  }

  @Command(name = "data-key", mixinStandardHelpOptions = true,
      description = {
          "An organisation's data keys: prints the current public key; with --rotate, makes a",
          "new one (the older ones stay in PKI/ORG/data.key to open what was sealed for them);",
          "with --node-dir, gives the node the organisation's private data keys (DIR/"
              + Node.Config.ORG_DATA_KEY_FILE + ").",
          "To rotate: --rotate, then --node-dir for each of its nodes, then",
          "'chorus gov propose org-data-key ORG PUBLIC_KEY'; captures are sealed for the new",
          "key from the block after the vote passes."})
  static final class DataKey implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin PkiOption pki;

    @Option(names = "--org", required = true, paramLabel = "ORG",
        description = "The organisation.")
    String org;

    @Option(names = "--rotate", description = "Make a new data key pair, the current one.")
    boolean rotate;

    @Option(names = "--node-dir", paramLabel = "DIR", description = "A data directory of one of "
        + "the organisation's nodes (repeatable).")
    List<Path> nodeDirs = new ArrayList<>();

    @Override
    public Integer call() {
      ChainCa organisation = pki.organisation(org);
      CryptoSuite suite = CryptoSuite.byName(suiteOf(organisation));
      Path orgDir = pki.dir.resolve(org);
      PrintWriter out = spec.commandLine().getOut();
      byte[] current = rotate ? OrgDataKeys.add(orgDir, suite, new SecureRandom())
          : OrgDataKeys.current(orgDir, suite);
      if (current == null) {
        throw new IllegalArgumentException("organisation " + org + " has no data key in "
            + orgDir + " (made before data keys were): make one with --rotate");
      }
      for (Path nodeDir : nodeDirs) {
        OrgDataKeys.install(orgDir, nodeDir);
        out.println("gave " + nodeDir.resolve(Node.Config.ORG_DATA_KEY_FILE) + " the data keys"
            + " of " + org);
      }
      out.println("data key of " + org + " " + Hex.encode0x(current));
      if (rotate) {
        out.println("give it to each node of " + org + " (--node-dir), then propose it: "
            + "'chorus gov propose org-data-key " + org + " " + Hex.encode0x(current) + "'");
      }
      return 0;
    }
  }

  @Command(name = "node", mixinStandardHelpOptions = true,
      description = {
          "Issues a node's certificate (role node, binding its consensus key) and a fresh",
          "TLS key: writes ca.pem, node.pem and node-tls.key into the node's tls/",
          "directory, or into --out for a node whose public key is given."})
  static final class NodeCert implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin PkiOption pki;
    @Mixin DaysOption validity;

    @Option(names = "--org", required = true, paramLabel = "ORG",
        description = "The node's organisation.")
    String org;

    @Option(names = "--name", required = true, paramLabel = "NAME",
        description = "The node's name, the certificate's CN.")
    String name;

    @Option(names = "--node-dir", paramLabel = "DIR", description = "The node's data "
        + "directory: its consensus key is read from DIR/node.key, the files go to DIR/tls/.")
    Path nodeDir;

    @Option(names = "--public-key", paramLabel = "HEX", description = "Instead of "
        + "--node-dir: the node's 64-byte consensus public key (its operator keeps node.key).")
    String publicKey;

    @Option(names = "--out", paramLabel = "DIR", description = "With --public-key: where to "
        + "write the node's TLS files.")
    Path out;

    @Override
    public Integer call() throws IOException {
      ChainCa organisation = pki.organisation(org);
      String suite = suiteOf(organisation);
      byte[] key;
      Path target;
      if (nodeDir != null && publicKey == null && out == null) {
        Path keyFile = nodeDir.resolve(Node.Config.NODE_KEY_FILE);
        if (!Files.isRegularFile(keyFile)) {
          throw new IllegalArgumentException("no consensus key at " + keyFile);
        }
        key = CryptoSuite.byName(suite).keyPair(Hex.decode(Files.readString(keyFile).trim()))
            .publicKey();
        target = nodeDir.resolve(Node.Config.TLS_DIR);
      } else if (nodeDir == null && publicKey != null && out != null) {
        key = Hex.decode(publicKey);
        target = out;
      } else {
        throw new IllegalArgumentException("give either --node-dir DIR, or --public-key HEX "
            + "with --out DIR");
      }
      TlsCredentials credentials = organisation.issueNode(name,
          new ConsensusIdentity(suite, key), validity.notBefore(), validity.notAfter(),
          new SecureRandom());
      Files.createDirectories(target);
      credentials.save(target);
      report(spec.commandLine().getOut(), "node", target.resolve(TlsCredentials.CERTIFICATE_FILE),
          credentials.nodeCertificate());
      // The node opens what is sealed for its organisation with the organisation's data keys.
      Path orgDir = pki.dir.resolve(org);
      if (nodeDir != null && OrgDataKeys.current(orgDir, CryptoSuite.byName(suite)) != null) {
        OrgDataKeys.install(orgDir, nodeDir);
        spec.commandLine().getOut().println("  data keys    " + nodeDir.resolve(
            Node.Config.ORG_DATA_KEY_FILE));
      }
      return 0;
    }
  }

  @Command(name = "user", mixinStandardHelpOptions = true,
      description = "Issues a user certificate with a fresh key: user.pem and user.key.")
  static final class User implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin PkiOption pki;
    @Mixin DaysOption validity;

    @Option(names = "--org", required = true, paramLabel = "ORG",
        description = "The user's organisation.")
    String org;

    @Option(names = "--name", required = true, paramLabel = "NAME",
        description = "The user's name, the certificate's CN.")
    String name;

    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "committee, "
        + "validator-operator, deployer, user or auditor.")
    String role;

    @Option(names = "--account-key", paramLabel = "HEX", description = "The 64-byte public "
        + "key of the chain account the user signs with: the certificate binds it, so the "
        + "account maps to this organisation and role.")
    String accountKey;

    @Option(names = "--out", paramLabel = "DIR",
        description = "Where to write the files (default: PKI/ORG/users/NAME).")
    Path out;

    @Override
    public Integer call() throws IOException {
      ChainCa organisation = pki.organisation(org);
      Optional<ConsensusIdentity> account = accountKey == null ? Optional.empty()
          : Optional.of(new ConsensusIdentity(suiteOf(organisation), Hex.decode(accountKey)));
      ChainCa.UserCredentials user = organisation.issueUser(name, Role.of(role), account,
          validity.notBefore(), validity.notAfter(), new SecureRandom());
      Path target = out != null ? out
          : pki.dir.resolve(org).resolve("users").resolve(requireName("--name", name));
      Files.createDirectories(target);
      user.save(target);
      report(spec.commandLine().getOut(), "user",
          target.resolve(ChainCa.UserCredentials.CERTIFICATE_FILE), user.certificate());
      return 0;
    }
  }

  @Command(name = "rotate", mixinStandardHelpOptions = true,
      description = {
          "Renews a node's certificate and TLS key (same name, organisation and consensus",
          "key) in its tls/ directory. A running node takes them up within a second, for",
          "new handshakes; its open connections stay, so no quorum is lost."})
  static final class Rotate implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin PkiOption pki;
    @Mixin DaysOption validity;

    @Option(names = "--node-dir", required = true, paramLabel = "DIR",
        description = "The node's data directory (its certificate is in DIR/tls/).")
    Path nodeDir;

    @Override
    public Integer call() throws IOException {
      Path tls = nodeDir.resolve(Node.Config.TLS_DIR);
      TlsCredentials current;
      try {
        current = TlsCredentials.load(tls);
      } catch (IOException e) {
        throw new IllegalArgumentException("no node certificate to rotate in " + tls + " ("
            + describe(e) + "): issue one first with 'chorus ca node'", e);
      }
      ChainCa organisation = pki.organisation(Subjects.organisation(
          current.nodeCertificate()));
      TlsCredentials rotated = organisation.rotateNode(current, validity.notBefore(),
          validity.notAfter(), new SecureRandom());
      rotated.replace(tls);
      report(spec.commandLine().getOut(), "rotated node",
          tls.resolve(TlsCredentials.CERTIFICATE_FILE), rotated.nodeCertificate());
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = {
          "Revokes a certificate (a node's or an organisation CA's, which revokes all its",
          "nodes) by listing its serial number in tls/revoked.txt of the given nodes. They",
          "disconnect a connected holder within a second and refuse it from then on."})
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "CERT", description = "The certificate file to revoke (its first "
        + "certificate).")
    Path certificate;

    @Option(names = "--dir", paramLabel = "DIR", description = "A network directory: revoke "
        + "on every member.")
    Path network;

    @Option(names = "--node-dir", paramLabel = "DIR", description = "A node's data directory: "
        + "revoke on this node (repeatable).")
    List<Path> nodeDirs = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
      X509Certificate revoked = readCertificates(certificate).get(0);
      List<Path> nodes = new ArrayList<>(nodeDirs);
      if (network != null) {
        NetworkDir dir = new NetworkDir(network);
        dir.members().forEach(m -> nodes.add(dir.root.resolve(m.dir())));
      }
      if (nodes.isEmpty()) {
        throw new IllegalArgumentException("name the nodes that should refuse it: --dir NETWORK"
            + " or --node-dir DIR");
      }
      PrintWriter out = spec.commandLine().getOut();
      for (Path node : nodes) {
        Path list = node.resolve(Node.Config.TLS_DIR).resolve(RevocationFile.FILE_NAME);
        if (!Files.isDirectory(list.getParent())) {
          throw new IllegalArgumentException(node + " is no node's data directory: it has no "
              + Node.Config.TLS_DIR + "/");
        }
        if (Files.exists(list)
            && RevocationFile.parse(list).contains(revoked.getSerialNumber())) {
          out.println("already revoked in " + list);
          continue;
        }
        RevocationFile.append(list, revoked);
        out.println("revoked " + revoked.getSubjectX500Principal() + " (serial "
            + revoked.getSerialNumber().toString(16) + ") in " + list);
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Prints a certificate's holder, organisation, role, serial and expiry.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "CERT", description = "A certificate file (PEM).")
    Path certificate;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      for (X509Certificate c : readCertificates(certificate)) {
        report(out, "certificate", certificate, c);
      }
      return 0;
    }
  }

  // The chain suite whose keys an organisation's certificates bind.
  private static String suiteOf(ChainCa organisation) {
    return organisation.algorithm() == TlsKeyAlgorithm.SM2 ? "sm" : "ethereum";
  }

  private static List<X509Certificate> readCertificates(Path file) {
    try {
      return Pem.readCertificates(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read a certificate from " + file + ": "
          + describe(e), e);
    }
  }

  // NoSuchFileException's message is the bare path.
  private static String describe(IOException e) {
    return e instanceof java.nio.file.NoSuchFileException ? "no such file " + e.getMessage()
        : e.getMessage();
  }

  private static String requireName(String option, String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(option + " '" + name + "' must be 1 to 64 letters, "
          + "digits, '.', '_' or '-', starting with a letter or digit");
    }
    return name;
  }

  private static void report(PrintWriter out, String what, Path file,
      X509Certificate certificate) {
    CertificateExpiry expiry = CertificateExpiry.of(certificate, Instant.now());
    String role;
    try {
      role = Subjects.role(certificate).label();
    } catch (CertificateException e) {
      role = "none";
    }
    out.println(what + " " + file);
    out.println("  subject      " + expiry.holder());
    out.println("  organisation " + Subjects.organisation(certificate) + ", role " + role);
    out.println("  serial       " + expiry.serial());
    out.println("  expires      " + expiry.notAfter() + " (" + expiry.daysToExpiry()
        + " days)");
    try {
      ConsensusIdentity identity = ConsensusKeyExtension.read(certificate);
      out.println("  chain key    " + identity.suite() + " "
          + Hex.encode0x(identity.publicKey()) + ", address " + Hex.encode0x(
              CryptoSuite.byName(identity.suite()).address(identity.publicKey())));
    } catch (CertificateException noChainKey) {
      // Node certificates bind a consensus key, user certificates may bind an account.
    }
  }
}
