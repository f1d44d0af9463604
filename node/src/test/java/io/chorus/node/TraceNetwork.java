package io.chorus.node;

import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.service.ApiTokens;
import io.chorus.service.Keystore;
import io.chorus.trace.EpcisService;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The network the traceability tests capture on: a validator (org0) and a second member (org1)
 * on loopback sockets, the capturer's account funded and its key in the validator's keystore,
 * so that the validator's {@code /epcis} signs its captures.
 */
final class TraceNetwork implements AutoCloseable {
  static final CryptoSuite SUITE = CryptoSuite.ethereum();
  static final KeyPair CAPTURER =
      SUITE.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, 0));
  static final Address CAPTURER_ACCOUNT = Address.of(SUITE.address(CAPTURER.publicKey()));
  private static final String PASSWORD = "trace network keystore";

  final LocalNetwork network;
  final Node validator;
  final Node member;

  private TraceNetwork(LocalNetwork network, Node validator, Node member) {
    this.network = network;
    this.validator = validator;
    this.member = member;
  }

  static TraceNetwork start(Path dir, long chainId) throws IOException {
    LocalNetwork network = LocalNetwork.layOut(dir, SUITE, BigInteger.valueOf(chainId), 2, 1,
        Map.of(CAPTURER_ACCOUNT, Genesis.Allocation.funded(LocalNetwork.FUNDS)));
    Keystore.importKey(dir.resolve("node0"), SUITE, CAPTURER.privateKey(),
        PASSWORD.toCharArray(), new SecureRandom());
    Node validator = network.start(0, new Node.Api(Optional.of(PASSWORD), List.of()));
    return new TraceNetwork(network, validator, network.start(1));
  }

  /** A capturer's API token for the capturer's account on node {@code i} (0 or 1). */
  String capturerToken(int i) {
    return ApiTokens.issue(network.dir.resolve("node" + i), CAPTURER_ACCOUNT,
        Set.of(EpcisService.CAPTURER), Optional.empty(), Clock.systemUTC(),
        new SecureRandom()).token();
  }

  @Override
  public void close() {
    network.close();
  }
}
