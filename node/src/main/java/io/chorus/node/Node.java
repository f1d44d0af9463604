package io.chorus.node;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.chain.BlockProducer;
import io.chorus.chain.Blockchain;
import io.chorus.chain.DevBlockProducer;
import io.chorus.chain.GenesisFile;
import io.chorus.codec.Hex;
import io.chorus.console.Console;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.explorer.ContractRegistry;
import io.chorus.explorer.ContractsService;
import io.chorus.explorer.ExplorerApi;
import io.chorus.ledger.Genesis;
import io.chorus.ledger.TxPool;
import io.chorus.network.NetworkMember;
import io.chorus.network.StateWriter;
import io.chorus.notary.NotaryService;
import io.chorus.receivables.ReceivablesService;
import io.chorus.sharing.RequesterTrust;
import io.chorus.sharing.SharingService;
import io.chorus.trace.ConsortiumDirectory;
import io.chorus.trace.EpcisService;
import io.chorus.trace.ScanRules;
import io.chorus.p2p.NetworkConfig;
import io.chorus.p2p.PeerEndpoint;
import io.chorus.p2p.tls.CertificateExpiry;
import io.chorus.p2p.tls.RevocationFile;
import io.chorus.p2p.tls.RevocationSource;
import io.chorus.p2p.tls.TlsDirectory;
import io.chorus.rpc.JsonRpc;
import io.chorus.rpc.RpcException;
import io.chorus.rpc.RpcServer;
import io.chorus.rpc.eth.ConsensusApi;
import io.chorus.rpc.eth.EthApi;
import io.chorus.rpc.eth.GovernanceApi;
import io.chorus.rpc.eth.OtterscanApi;
import io.chorus.rpc.eth.ProofApi;
import io.chorus.rpc.eth.RawBlocksApi;
import io.chorus.rpc.eth.StateHistoryApi;
import io.chorus.rpc.eth.LogsApi;
import io.chorus.rpc.eth.PeerLinks;
import io.chorus.rpc.eth.TraceApi;
import io.chorus.rpc.rest.Authenticator;
import io.chorus.rpc.rest.Problem;
import io.chorus.rpc.rest.RestApi;
import io.chorus.rpc.rest.RestService;
import io.chorus.service.ApiTokens;
import io.chorus.service.ChainService;
import io.chorus.service.GovernanceService;
import io.chorus.service.Keystore;
import io.chorus.service.SearchProvider;
import io.chorus.service.ServiceContext;
import io.chorus.service.RecordHistory;
import io.chorus.service.ServiceModule;
import io.chorus.service.TransactionSubmitter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A running Chorus node, wired from a data directory: the chain in {@code DIR/chain} from the
 * genesis in {@code DIR/genesis.json}, its block producer, the JSON-RPC server (HTTP and
 * WebSocket on one port, {@code /metrics} beside it) and the metrics.
 */
public final class Node implements AutoCloseable {
  private static final ObjectMapper STATUS_JSON = new ObjectMapper();
  /**
   * Answers to submitted transactions wait while the pool holds more (see {@link TxPacer}):
   * about one full block (2,178 of load.js's notarize calls fit 100 M gas). Since a network
   * under sustained load makes a block a second (docs/timestamps.md), a bound of 1,000 left
   * blocks half empty: 2,500 made 1,055–1,269 tx/s against 641–932 at the same p50 and p99
   * (4 validators, load.js at window 16: docs/performance.md, rising timestamps).
   */
  static final int PACE_ABOVE = 2_500;
  /** The longest such an answer waits (a chain without quorum finalizes nothing). */
  static final long PACE_HOLD_MILLIS_MAX = 2_000;
  /** The client name {@code web3_clientVersion} reports. */
  public static final String CLIENT_VERSION = "Chorus/v0.1.0/java"
      + Runtime.version().feature();

  private final Blockchain chain;
  private final NodeMetrics metrics;
  private final BlockProducer producer;
  private final TxPacer pacer;
  private final RpcServer rpc;
  /** Services that hold files (the EPCIS event store), closed before the chain. */
  private final List<AutoCloseable> serviceResources;

  /**
   * Where a node listens and keeps its data. Without {@code network} it is a single-validator
   * dev node; with it, a member of a BFT network: its consensus key in {@code DIR/node.key}, its
   * TLS credentials from the chain's CA in {@code DIR/tls/} (ca.pem, node.pem, node-tls.key).
   */
  public record Config(Path dataDir, String rpcHost, int rpcPort, Optional<Network> network,
      Api api) {
    public static final String GENESIS_FILE = "genesis.json";
    public static final String NODE_KEY_FILE = "node.key";
    public static final String TLS_DIR = "tls";
    /**
     * The private data keys of the node's organisation, hex, one a line: they open the events
     * captured for it (see {@code docs/traceability.md}).
     */
    public static final String ORG_DATA_KEY_FILE = "org-data.key";
    /** The EPCIS event store: an index of the chain's captures, rebuilt when deleted. */
    public static final String TRACE_DIR = "trace";
    /** Where the sharing service keeps the data sets this node provides (never on chain). */
    public static final String SHARING_DIR = "sharing";

    /** A dev node. */
    public Config(Path dataDir, String rpcHost, int rpcPort) {
      this(dataDir, rpcHost, rpcPort, Optional.empty());
    }

    /** A node whose REST API runs only the chain service and signs for no account. */
    public Config(Path dataDir, String rpcHost, int rpcPort, Optional<Network> network) {
      this(dataDir, rpcHost, rpcPort, network, Api.defaults());
    }

    public Config withApi(Api api) {
      return new Config(dataDir, rpcHost, rpcPort, network, api);
    }

    public Path genesisFile() {
      return dataDir.resolve(GENESIS_FILE);
    }

    public Path nodeKeyFile() {
      return dataDir.resolve(NODE_KEY_FILE);
    }

    public Path tlsDir() {
      return dataDir.resolve(TLS_DIR);
    }
  }

  /**
   * The REST API's services and the keystore.
   *
   * @param keystorePassword unlocks the accounts in {@code DIR/keystore} at start, which the
   *     node then signs for; empty leaves them locked (writes that need the node to sign are
   *     refused)
   * @param services the industry services to run beside the built-in chain and notary
   *     services
   */
  public record Api(Optional<String> keystorePassword, List<ServiceModule> services,
      ScanRules scanRules) {
    public Api {
      Objects.requireNonNull(keystorePassword, "keystorePassword");
      services = List.copyOf(services);
      Objects.requireNonNull(scanRules, "scanRules");
    }

    /** With the resolver's default scan rules. */
    public Api(Optional<String> keystorePassword, List<ServiceModule> services) {
      this(keystorePassword, services, ScanRules.DEFAULTS);
    }

    public static Api defaults() {
      return new Api(Optional.empty(), List.of());
    }
  }

  /**
   * Where a network member listens for peers and whom it dials.
   *
   * @param peers {@code host:port} of the other members (static peers, redialled when lost)
   */
  public record Network(String host, int port, List<String> peers) {
    public Network {
      peers = List.copyOf(peers);
    }
  }

  private Node(Blockchain chain, NodeMetrics metrics, BlockProducer producer, TxPacer pacer,
      RpcServer rpc, List<AutoCloseable> serviceResources) {
    this.serviceResources = serviceResources;
    this.chain = chain;
    this.metrics = metrics;
    this.producer = producer;
    this.pacer = pacer;
    this.rpc = rpc;
  }

  /**
   * Opens the chain and starts producing blocks and serving RPC.
   *
   * @throws IllegalArgumentException when the data directory has no usable genesis file
   */
  public static Node start(Config config) {
    return start(config, InstantSource.system());
  }

  /**
   * As {@link #start(Config)}, with the wall clock that block timestamps and consensus deadlines
   * read (a test gives a node a skewed one).
   */
  public static Node start(Config config, InstantSource clock) {
    return start(config, clock, UnaryOperator.identity());
  }

  /** As {@link #start(Config, InstantSource)}; a member writes its consensus state through
   * {@code stateWriter}. */
  static Node start(Config config, InstantSource clock, UnaryOperator<StateWriter> stateWriter) {
    if (!Files.isRegularFile(config.genesisFile())) {
      throw new IllegalArgumentException("no genesis file at " + config.genesisFile()
          + ": run 'chorus init --dir " + config.dataDir() + "' first");
    }
    Genesis genesis = GenesisFile.read(config.genesisFile());
    Blockchain chain = Blockchain.open(config.dataDir().resolve("chain"), genesis,
        TxPool.Limits.defaults());
    NodeMetrics metrics = null;
    BlockProducer producer = null;
    TxPacer pacer = null;
    List<AutoCloseable> resources = new ArrayList<>();
    try {
      metrics = new NodeMetrics(chain);
      chain.addListener(metrics);
      EthApi eth = new EthApi(chain, CLIENT_VERSION);
      LogsApi logs = new LogsApi(chain);
      Map<String, JsonRpc.Method> methods = new HashMap<>(eth.methods());
      methods.putAll(logs.methods());
      methods.putAll(new GovernanceApi(chain).methods());
      methods.putAll(new StateHistoryApi(chain).methods());
      methods.putAll(new RawBlocksApi(chain).methods());
      methods.putAll(new OtterscanApi(chain, eth).methods());
      methods.putAll(new TraceApi(chain, eth).methods());
      // One per node: it keeps the validator-set changes it found, for RPC and REST alike.
      ProofApi proofs = new ProofApi(chain);
      methods.putAll(proofs.methods());
      NodeMetrics observed = metrics;
      pacer = new TxPacer(chain.pool()::size, PACE_ABOVE, PACE_HOLD_MILLIS_MAX);
      chain.addListener(pacer);
      metrics.bind(pacer);
      ContractRegistry contracts = ContractRegistry.open(config.dataDir(), Clock.systemUTC());
      // A member's organisation, its data keys and its consensus key, for events visible to
      // named organisations.
      TlsDirectory tls = config.network().isPresent() ? tlsDirectory(config) : null;
      KeyPair nodeKeys = tls == null ? null : nodeKeys(config, chain.suite());
      MemberOrganisations organisations = tls == null ? null
          : new MemberOrganisations(tls, nodeKeys, chain.suite(),
              config.dataDir().resolve(Config.ORG_DATA_KEY_FILE));
      Authenticator tokens = ApiTokens.authenticator(config.dataDir(), Clock.systemUTC());
      // A validator checks sharing requesters' user certificates as it checks its peers'.
      RequesterTrust requesters = tls == null ? RequesterTrust.NONE
          : new ConsortiumRequesters(tls, config.tlsDir().resolve(RevocationFile.FILE_NAME),
              chain, Clock.systemUTC());
      List<RestService> services = services(config, chain, methods, proofs, contracts,
          organisations == null ? ConsortiumDirectory.NONE : organisations, tokens, requesters);
      services.stream().filter(AutoCloseable.class::isInstance)
          .map(AutoCloseable.class::cast).forEach(resources::add);
      // A service that resolves its own ids (the notary's records) joins chorus_search.
      List<SearchProvider> searches = services.stream()
          .filter(SearchProvider.class::isInstance).map(SearchProvider.class::cast).toList();
      methods.putAll(new ExplorerApi(chain, contracts, searches).methods());
      // The services' records' histories, as their REST routes answer them.
      methods.putAll(new RecordHistory(chain, RecordHistory.kindsOf(services)).methods());
      if (config.network().isPresent()) {
        NetworkMember member = member(config, chain, tls, nodeKeys, clock, stateWriter);
        producer = member;
        metrics.bind(member);
        metrics.bind(tls);
        eth.setNetworkStatus(() -> memberStatus(member, tls));
        methods.putAll(new ConsensusApi(chain, new MemberLinks(member, tls), clock).methods());
      } else {
        Address coinbase = genesis.validators().isEmpty()
            ? Address.of(new byte[Address.BYTES]) : genesis.validatorAddresses().get(0);
        producer = new DevBlockProducer(chain, coinbase, genesis.blockIntervalMs(), clock);
        methods.putAll(new ConsensusApi(chain, PeerLinks.alone(coinbase), clock).methods());
      }
      JsonRpc json = new JsonRpc(methods, logs.sessionMethods(), observed::onCall)
          .withPacing(Set.of("eth_sendRawTransaction"), pacer);
      RestApi rest = new RestApi(services, tokens, metrics.restObserver(), CLIENT_VERSION);
      RpcServer server = RpcServer.start(json, rest, RpcServer.Config.defaults()
          .withHost(config.rpcHost()).withPort(config.rpcPort())
          .withRoutes(Map.of("/metrics", RpcServer.Route.prometheus(observed::scrape)))
          .withSite(Console.site()));
      producer.start();
      return new Node(chain, metrics, producer, pacer, server, List.copyOf(resources));
    } catch (IOException e) {
      closeAll(pacer, producer, metrics);
      closeAll(resources.toArray(AutoCloseable[]::new));
      closeAll(chain);
      throw new UncheckedIOException("cannot serve RPC on " + config.rpcHost() + ":"
          + config.rpcPort() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeAll(pacer, producer, metrics);
      closeAll(resources.toArray(AutoCloseable[]::new));
      closeAll(chain);
      throw e;
    }
  }

  /**
   * The REST API's services: the chain, notary, contracts and governance services and the
   * configured ones, transactions signed with the keystore's unlocked accounts.
   */
  private static List<RestService> services(Config config, Blockchain chain,
      Map<String, JsonRpc.Method> methods, ProofApi proofs, ContractRegistry contracts,
      ConsortiumDirectory organisations, Authenticator tokens, RequesterTrust requesters) {
    Map<Address, KeyPair> keys = config.api().keystorePassword()
        .map(password -> Keystore.unlock(config.dataDir(), chain.suite(),
            password.toCharArray()))
        .orElse(Map.of());
    if (config.api().keystorePassword().isEmpty()
        && !Keystore.list(config.dataDir()).isEmpty()) {
      System.getLogger(Node.class.getName()).log(System.Logger.Level.WARNING, "the keystore in "
          + Keystore.dir(config.dataDir()) + " stays locked: no password was given"
          + " (--keystore-password-file or --keystore-password-env)");
    }
    TransactionSubmitter submitter = new TransactionSubmitter(chain, keys,
        new RpcEstimator(methods.get("eth_estimateGas"), methods.get("eth_maxPriorityFeePerGas")));
    chain.addListener(submitter);
    ServiceContext context = new ServiceContext(chain, submitter, proofs, tokens);
    List<RestService> services = new ArrayList<>();
    services.add(new ChainService(context));
    services.add(new NotaryService(context));
    services.add(new ContractsService(contracts));
    services.add(new GovernanceService(context));
    services.add(new ReceivablesService(context));
    // The provider's payloads and served envelopes stay beside the chain; only hashes go on it.
    services.add(new SharingService(context, config.dataDir().resolve(Config.SHARING_DIR),
        requesters, Clock.systemUTC()));
    // The EPCIS binding keeps its event store beside the chain, rebuilt from it when missing;
    // the Digital Link resolver reads it and counts its scans in it.
    EpcisService epcis = new EpcisService(context, config.dataDir().resolve(Config.TRACE_DIR),
        Clock.systemUTC(), organisations);
    services.add(epcis);
    services.add(epcis.resolver(config.api().scanRules()));
    for (ServiceModule module : config.api().services()) {
      services.add(module.create(context));
    }
    return services;
  }

  /** Gas and tips for the submitter, from the node's own eth_ methods. */
  private record RpcEstimator(JsonRpc.Method estimateGas, JsonRpc.Method tipMethod)
      implements TransactionSubmitter.Estimator {
    @Override
    public long gas(Address from, Address to, BigInteger value, byte[] data) {
      ObjectNode call = STATUS_JSON.createObjectNode()
          .put("from", Hex.encode0x(from.toArray()))
          .put("value", "0x" + value.toString(16))
          .put("data", Hex.encode0x(data));
      if (to != null) {
        call.put("to", Hex.encode0x(to.toArray()));
      }
      try {
        return Long.decode(estimateGas.call(STATUS_JSON.createArrayNode().add(call)).asText());
      } catch (RpcException | IllegalArgumentException e) {
        throw new Problem(422, "call-fails", "The call would fail",
            "the transaction would fail on the current state: " + e.getMessage());
      }
    }

    @Override
    public BigInteger tip() {
      return new BigInteger(tipMethod.call(null).asText().substring(2), 16);
    }
  }

  /** This node's TLS files, watched so that a rotated certificate is taken up live. */
  private static TlsDirectory tlsDirectory(Config config) {
    if (!Files.isDirectory(config.tlsDir())) {
      throw new IllegalArgumentException("no TLS credentials in " + config.tlsDir()
          + ": make the network's directories with 'chorus init --validators N'");
    }
    try {
      return new TlsDirectory(config.tlsDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read this node's TLS credentials: "
          + e.getMessage(), e);
    }
  }

  /**
   * This node as a BFT network member, from its key and TLS files; peers whose certificates
   * are listed in {@code tls/revoked.txt} or revoked by the committee are refused and
   * disconnected.
   */
  private static NetworkMember member(Config config, Blockchain chain, TlsDirectory tls,
      KeyPair keys, InstantSource clock, UnaryOperator<StateWriter> stateWriter) {
    Network network = config.network().orElseThrow();
    CryptoSuite suite = chain.suite();
    List<PeerEndpoint> peers = network.peers().stream().map(PeerEndpoint::parse).toList();
    NetworkConfig networkConfig = NetworkConfig.of(network.host(), network.port(), peers,
        chain.chainId().longValueExact(),
        chain.store().canonicalHash(0).orElseThrow(), suite, tls.current())
        .withCredentials(tls)
        .withRevocations(RevocationSource.either(
            new RevocationFile(config.tlsDir().resolve(RevocationFile.FILE_NAME)),
            new ChainRevocations(chain)));
    return new NetworkMember(chain, keys, networkConfig, config.dataDir(), clock,
        stateWriter);
  }

  /** This member's consensus key pair, from {@code DIR/node.key}. */
  private static KeyPair nodeKeys(Config config, CryptoSuite suite) {
    if (!Files.isRegularFile(config.nodeKeyFile())) {
      throw new IllegalArgumentException("no consensus key at " + config.nodeKeyFile()
          + ": make the network's directories with 'chorus init --validators N'");
    }
    try {
      return suite.keyPair(Hex.decode(Files.readString(config.nodeKeyFile()).trim()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read this node's keys: " + e.getMessage(), e);
    }
  }

  /**
   * The member's status for {@code chorus_nodeStatus}, with the days to expiry of the node's
   * certificate chain under {@code certificates}.
   */
  private static Map<String, Object> memberStatus(NetworkMember member, TlsDirectory tls) {
    Map<String, Object> status = STATUS_JSON.convertValue(member.status(),
        new TypeReference<LinkedHashMap<String, Object>>() {});
    status.put("certificates", CertificateExpiry.of(tls.current(), Instant.now()));
    return status;
  }

  private static void closeAll(AutoCloseable... parts) {
    for (AutoCloseable part : parts) {
      if (part != null) {
        try {
          part.close();
        } catch (Exception suppressed) {
          System.getLogger(Node.class.getName()).log(System.Logger.Level.WARNING,
              "closing " + part + " failed", suppressed);
        }
      }
    }
  }

  public Blockchain chain() {
    return chain;
  }

  /** The registry behind /metrics: what runs beside the node adds its meters here. */
  public MeterRegistry meters() {
    return metrics.registry();
  }

  /** The RPC port (the one picked when configured as 0). */
  public int rpcPort() {
    return rpc.port();
  }

  public String rpcUrl() {
    return "http://" + rpc.address().getHostString() + ":" + rpc.port();
  }

  /** Stops serving, lets a block in progress finish, and closes the store. */
  @Override
  public void close() {
    closeAll(pacer, rpc, producer, metrics);
    closeAll(serviceResources.toArray(AutoCloseable[]::new));
    closeAll(chain);
  }
}
