package io.chorus.node;

import io.chorus.chain.GenesisFile;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.network.StateWriter;
import io.chorus.p2p.tls.ChainCa;
import io.chorus.p2p.tls.ConsensusIdentity;
import io.chorus.p2p.tls.TlsKeyAlgorithm;
import io.chorus.state.system.Consortium;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The member directories of a network for in-process tests, as {@code chorus init} lays them
 * out: a consensus key per member, one organisation CA per member under a consortium root in the
 * suite's algorithm (so sm chains run ShangMi TLS), the shared genesis with the first
 * {@code validators} members as validators, every member's account funded, free p2p ports.
 */
final class LocalNetwork implements AutoCloseable {
  static final BigInteger FUNDS = BigInteger.TEN.pow(24);

  final Path dir;
  final KeyPair[] keys;
  final int[] ports;
  /** The consortium root that certified the members' organisations, to issue more. */
  final ChainCa root;
  /** The members started here and not stopped yet, closed with the network. */
  private final Node[] running;

  private LocalNetwork(Path dir, KeyPair[] keys, int[] ports, ChainCa root) {
    this.dir = dir;
    this.root = root;
    this.keys = keys;
    this.ports = ports;
    this.running = new Node[ports.length];
  }

  /** Lays out {@code members} under {@code dir}; {@code alloc} funds more accounts. */
  static LocalNetwork layOut(Path dir, CryptoSuite suite, BigInteger chainId, int members,
      int validators, Map<Address, Genesis.Allocation> alloc) throws IOException {
    return layOut(dir, suite, chainId, members, validators, alloc, Map.of());
  }

  /**
   * As {@link #layOut(Path, CryptoSuite, BigInteger, int, int, Map)}, {@code roles} granting
   * accounts the permissions contract's roles at genesis (receivables.obligor, bank, …); the
   * committee is the validators' accounts.
   */
  static LocalNetwork layOut(Path dir, CryptoSuite suite, BigInteger chainId, int members,
      int validators, Map<Address, Genesis.Allocation> alloc, Map<Address, Long> roles)
      throws IOException {
    return layOut(dir, suite, chainId, java.util.stream.IntStream.range(0, members)
        .mapToObj(i -> "org" + i).toList(), validators, alloc, roles);
  }

  /**
   * As above, member i in organisation {@code organisations.get(i)} (one CA per member, so two
   * members of one organisation hold certificates of two CAs with the same O). Each
   * organisation gets a data key: the genesis lists its public key, each of its members holds
   * the private one in {@value Node.Config#ORG_DATA_KEY_FILE}.
   */
  static LocalNetwork layOut(Path dir, CryptoSuite suite, BigInteger chainId,
      List<String> organisations, int validators, Map<Address, Genesis.Allocation> alloc,
      Map<Address, Long> roles) throws IOException {
    int members = organisations.size();
    SecureRandom random = new SecureRandom();
    Map<String, KeyPair> dataKeys = new HashMap<>();
    Instant from = Instant.now().minus(Duration.ofDays(1));
    Instant until = Instant.now().plus(Duration.ofDays(30));
    ChainCa root = ChainCa.create("test", "Test Consortium",
        TlsKeyAlgorithm.forSuite(suite.name()), from, until, random);
    KeyPair[] keys = new KeyPair[members];
    int[] ports = new int[members];
    List<byte[]> validatorKeys = new ArrayList<>();
    Map<Address, Genesis.Allocation> funded = new HashMap<>(alloc);
    for (int i = 0; i < members; i++) {
      Path member = dir.resolve("node" + i);
      Files.createDirectories(member.resolve(Node.Config.TLS_DIR));
      byte[] secret = new byte[32];
      random.nextBytes(secret);
      keys[i] = suite.keyPair(secret);
      if (i < validators) {
        validatorKeys.add(keys[i].publicKey());
      }
      funded.put(Address.of(suite.address(keys[i].publicKey())),
          Genesis.Allocation.funded(FUNDS));
      Files.writeString(member.resolve(Node.Config.NODE_KEY_FILE), Hex.encode(secret));
      KeyPair dataKey = dataKeys.computeIfAbsent(organisations.get(i),
          name -> suite.generateKeyPair(random));
      Files.writeString(member.resolve(Node.Config.ORG_DATA_KEY_FILE),
          Hex.encode(dataKey.privateKey()));
      root.issueOrganisation(organisations.get(i), from, until, random)
          .issueNode("node" + i, new ConsensusIdentity(suite.name(), keys[i].publicKey()),
              from, until, random)
          .save(member.resolve(Node.Config.TLS_DIR));
      try (ServerSocket socket = new ServerSocket(0)) {
        ports[i] = socket.getLocalPort();
      }
    }
    List<Consortium.Member> committee = validatorKeys.stream().map(key -> new Consortium.Member(
        Address.of(suite.address(key)), BigInteger.ONE)).toList();
    Genesis genesis = new Genesis(chainId, suite.name(), Genesis.FeeMode.ETHEREUM_1559,
        30_000_000, 500, 0, new byte[0], validatorKeys, funded,
        new Consortium(committee, Map.of(), false, false, roles, dataKeys.entrySet().stream()
            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue().publicKey()))));
    for (int i = 0; i < members; i++) {
      GenesisFile.write(genesis, dir.resolve("node" + i).resolve(Node.Config.GENESIS_FILE));
    }
    return new LocalNetwork(dir, keys, ports, root);
  }

  /** Starts member {@code i} with every other member as a peer, RPC on a free port. */
  Node start(int i) {
    return start(i, InstantSource.system(), UnaryOperator.identity(), Node.Api.defaults());
  }

  /** As {@link #start(int)}, serving RPC on {@code rpcPort} (to restart it where it was). */
  Node start(int i, int rpcPort) {
    return start(i, rpcPort, InstantSource.system(), UnaryOperator.identity(),
        Node.Api.defaults());
  }

  /** As {@link #start(int)}, with the REST API's keystore password and services. */
  Node start(int i, Node.Api api) {
    return start(i, InstantSource.system(), UnaryOperator.identity(), api);
  }

  /** As {@link #start(int)}, the member writing its consensus state through {@code writer}. */
  Node start(int i, UnaryOperator<StateWriter> writer) {
    return start(i, InstantSource.system(), writer, Node.Api.defaults());
  }

  /** As {@link #start(int)}, with the clock the member reads (a skewed one, say). */
  Node start(int i, InstantSource clock) {
    return start(i, clock, UnaryOperator.identity(), Node.Api.defaults());
  }

  private Node start(int i, InstantSource clock, UnaryOperator<StateWriter> writer,
      Node.Api api) {
    return start(i, 0, clock, writer, api);
  }

  private Node start(int i, int rpcPort, InstantSource clock, UnaryOperator<StateWriter> writer,
      Node.Api api) {
    List<String> peers = new ArrayList<>();
    for (int j = 0; j < ports.length; j++) {
      if (j != i) {
        peers.add("127.0.0.1:" + ports[j]);
      }
    }
    running[i] = Node.start(new Node.Config(dir.resolve("node" + i), "127.0.0.1", rpcPort,
        Optional.of(new Node.Network("127.0.0.1", ports[i], peers))).withApi(api), clock,
        writer);
    return running[i];
  }

  /** Stops member {@code i}, as a crash of its process would, short of the kill. */
  void stop(int i) {
    running[i].close();
    running[i] = null;
  }

  /** Stops every member still running. */
  @Override
  public void close() {
    for (int i = 0; i < running.length; i++) {
      if (running[i] != null) {
        stop(i);
      }
    }
  }
}
