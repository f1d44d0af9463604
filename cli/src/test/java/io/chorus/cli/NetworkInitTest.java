package io.chorus.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.chain.GenesisFile;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.p2p.tls.ConsensusIdentity;
import io.chorus.p2p.tls.ConsensusKeyExtension;
import io.chorus.p2p.tls.Pem;
import io.chorus.p2p.tls.TlsCredentials;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chorus init --validators N} lays out a network that the node side can trust: one CA,
 * per member a consensus key that the genesis lists and the member's certificate binds, and the
 * same genesis everywhere. Method: run the real command in-process on a temporary directory and
 * read back every file it wrote with the p2p module's own readers; then feed each kind of bad
 * input to init, node and up and check the message names the fix (no node ever starts).
 */
class NetworkInitTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  @Test
  void fourValidatorsGetKeysCertificatesAndOneGenesis() throws Exception {
    Path net = tmp.resolve("net");
    assertEquals(0, run("init", "--validators", "4", "--dir", net.toString(), "--chain-id",
        "4242", "--accounts", "3").code());
    X509Certificate ca = Pem.readCertificate(net.resolve("ca/ca.pem"));
    assertTrue(Files.isRegularFile(net.resolve("ca/ca.key")));
    byte[] genesisBytes = Files.readAllBytes(net.resolve("node0/genesis.json"));
    Genesis genesis = GenesisFile.read(net.resolve("node0/genesis.json"));
    assertEquals(BigInteger.valueOf(4242), genesis.chainId());
    assertEquals(4, genesis.validators().size());
    // The 3 test accounts and the 4 validators' (the committee, who pay for their votes).
    assertEquals(3 + 4, genesis.alloc().size());
    for (byte[] validator : genesis.validators()) {
      assertTrue(genesis.alloc().containsKey(Address.of(genesis.cryptoSuite().address(validator))));
    }
    JsonNode members = JSON.readTree(net.resolve("network.json").toFile()).get("members");
    assertEquals(4, members.size());
    for (int i = 0; i < 4; i++) {
      Path dir = net.resolve("node" + i);
      assertArrayEquals(genesisBytes, Files.readAllBytes(dir.resolve("genesis.json")),
          "every member holds the same genesis file");
      byte[] publicKey = CryptoSuite.ethereum().keyPair(Hex.decode(
          Files.readString(dir.resolve("node.key")).strip())).publicKey();
      assertArrayEquals(publicKey, genesis.validators().get(i), "validator " + i);
      TlsCredentials tls = TlsCredentials.load(dir.resolve("tls"));
      assertEquals(new ConsensusIdentity("ethereum", publicKey),
          ConsensusKeyExtension.read(tls.nodeCertificate()));
      assertEquals(ca, tls.caCertificate());
      assertChainsTo(ca, tls.presentedChain());
      assertEquals(Pem.readCertificate(net.resolve("ca/org" + i + "/ca.pem")),
          tls.organisationCertificate(), "one organisation CA per member");
      assertEquals("CN=node" + i + ",OU=node,O=org" + i,
          tls.nodeCertificate().getSubjectX500Principal().getName());
      JsonNode member = members.get(i);
      assertEquals("node" + i, member.get("name").asText());
      assertEquals("node" + i, member.get("dir").asText());
      assertEquals(8545 + i, member.get("rpcPort").asInt());
      assertEquals(30303 + i, member.get("p2pPort").asInt());
      assertEquals(Hex.encode0x(publicKey), member.get("publicKey").asText());
    }
    assertFalse(Files.exists(net.resolve("genesis.json")), "a network root is no node's dir");
  }

  @Test
  void smNetworkBindsSm2ConsensusKeysAndPortsFollowTheBase() throws Exception {
    Path net = tmp.resolve("sm");
    assertEquals(0, run("init", "--validators", "2", "--suite", "sm", "--dir", net.toString(),
        "--rpc-port", "0", "--p2p-port", "40000").code());
    for (int i = 0; i < 2; i++) {
      Path dir = net.resolve("node" + i);
      byte[] publicKey = CryptoSuite.sm().keyPair(Hex.decode(
          Files.readString(dir.resolve("node.key")).strip())).publicKey();
      assertEquals(new ConsensusIdentity("sm", publicKey),
          TlsCredentials.load(dir.resolve("tls")).identity());
      // The genesis lists the organisation's SM2 data key, whose private key the member holds.
      byte[] dataKey = CryptoSuite.sm().keyPair(Hex.decode(
          Files.readString(dir.resolve("org-data.key")).strip())).publicKey();
      assertArrayEquals(dataKey, GenesisFile.read(dir.resolve("genesis.json")).consortium()
          .organisationDataKeys().get("org" + i), "org" + i + "'s data key");
      assertEquals(Hex.encode0x(dataKey), Files.readString(net.resolve("ca/org" + i
          + "/data.pub")).strip());
      assertEquals(Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
          java.nio.file.attribute.PosixFilePermission.OWNER_WRITE),
          Files.getPosixFilePermissions(dir.resolve("org-data.key")), "owner-only");
    }
    JsonNode members = JSON.readTree(net.resolve("network.json").toFile()).get("members");
    assertEquals(0, members.get(1).get("rpcPort").asInt());
    assertEquals(40001, members.get(1).get("p2pPort").asInt());
  }

  @Test
  void oneValidatorKeepsTheDevLayout() {
    Path dev = tmp.resolve("dev");
    assertEquals(0, run("init", "--dir", dev.toString()).code());
    assertEquals(1, GenesisFile.read(dev.resolve("genesis.json")).validators().size());
    assertTrue(Files.isRegularFile(dev.resolve("node.key")));
    assertFalse(Files.exists(dev.resolve("network.json")));
  }

  @Test
  void badInitInputsSayWhatToFix() throws Exception {
    String net = tmp.resolve("net").toString();
    assertError("--validators must be 1 to 32, got 0", "init", "--validators", "0", "--dir",
        net);
    assertError("--validators must be 1 to 32, got 33", "init", "--validators", "33", "--dir",
        net);
    assertError("gives member 3 port 65537", "init", "--validators", "4", "--p2p-port",
        "65534", "--dir", net);
    assertError("add --validators N", "init", "--rpc-port", "9000", "--dir", net);
    assertError("unknown crypto suite 'foo'", "init", "--validators", "4", "--suite", "foo",
        "--dir", net);
    assertFalse(Files.exists(Path.of(net)), "a refused init writes nothing");
    Files.createDirectories(tmp.resolve("full"));
    Files.writeString(tmp.resolve("full/notes.txt"), "mine");
    assertError("exists and is not empty", "init", "--validators", "4", "--dir",
        tmp.resolve("full").toString());
    assertEquals(0, run("init", "--validators", "4", "--dir", net).code());
    assertError("holds a network already", "init", "--validators", "4", "--dir", net);
    assertError("holds a network of 4 validators, not 3", "up", "--validators", "3", "--dir",
        net);
    assertError("holds a network", "init", "--dir", net);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a check that let a node start would hang
  void badNodeAndUpInputsSayWhatToFix() throws Exception {
    Path net = tmp.resolve("net");
    assertEquals(0, run("init", "--validators", "4", "--dir", net.toString()).code());
    String member = net.resolve("node1").toString();
    assertError("is a whole network's directory", "node", "--dir", net.toString(),
        "--p2p-port", "30303");
    assertError("lists 4 validators: this is a network member, give it --p2p-port", "node",
        "--dir", member);
    assertError("--peer needs --p2p-port", "node", "--dir", member, "--peer", "127.0.0.1:1");
    assertError("--peer '127.0.0.1:' is not HOST:PORT", "node", "--dir", member, "--p2p-port",
        "30304", "--peer", "127.0.0.1:");
    assertError("is this node's own address", "node", "--dir", member, "--p2p-port", "30304",
        "--peer", "127.0.0.1:30304");
    assertError("--p2p-port must be 1 to 65535, got 0", "node", "--dir", member, "--p2p-port",
        "0");
    Path stranger = tmp.resolve("stranger");
    Files.createDirectories(stranger);
    Files.copy(net.resolve("node1/genesis.json"), stranger.resolve("genesis.json"));
    Files.copy(net.resolve("node1/node.key"), stranger.resolve("node.key"));
    assertError("no TLS credentials in " + stranger.resolve("tls") + ": a network member",
        "node", "--dir", stranger.toString(), "--p2p-port", "30304");
    Files.createDirectories(stranger.resolve("tls"));
    for (String file : List.of("ca.pem", "node.pem", "node-tls.key")) {
      Files.copy(net.resolve("node2/tls").resolve(file), stranger.resolve("tls").resolve(file));
    }
    assertError("the files come from different members or networks", "node", "--dir",
        stranger.toString(), "--p2p-port", "30304");
    Path dev = tmp.resolve("dev");
    assertEquals(0, run("init", "--dir", dev.toString()).code());
    assertError("holds a dev chain, not a network", "up", "--dir", dev.toString(),
        "--validators", "4");
    assertError("--dev runs one dev node", "up", "--dev", "--validators", "4");
  }

  private static void assertChainsTo(X509Certificate ca, List<X509Certificate> chain)
      throws Exception {
    PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    parameters.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
        .generateCertPath(chain), parameters);
  }

  private record Result(int code, String err) {}

  private static Result run(String... args) {
    StringWriter err = new StringWriter();
    int code = Chorus.commandLine().setOut(new PrintWriter(new StringWriter()))
        .setErr(new PrintWriter(err, true)).execute(args);
    return new Result(code, err.toString());
  }

  private static void assertError(String expected, String... args) {
    Result result = run(args);
    assertEquals(2, result.code(), String.join(" ", args) + " printed: " + result.err());
    assertTrue(result.err().contains(expected), String.join(" ", args) + " should say \""
        + expected + "\", said: " + result.err());
  }
}
