package io.chorus.cli;

import io.chorus.chain.GenesisFile;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.explorer.ContractsService;
import io.chorus.ledger.Genesis;
import io.chorus.node.Node;
import io.chorus.notary.NotaryService;
import io.chorus.p2p.tls.ChainCa;
import io.chorus.p2p.tls.ConsensusIdentity;
import io.chorus.p2p.tls.TlsKeyAlgorithm;
import io.chorus.receivables.ReceivablesService;
import io.chorus.sharing.SharingService;
import io.chorus.service.ApiTokens;
import io.chorus.service.ChainService;
import io.chorus.service.GovernanceService;
import io.chorus.service.Keystore;
import io.chorus.trace.EpcisService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/** Lays out a new network directory ({@link NetworkDir}) for {@code chorus init}. */
final class NetworkLayout {
  static final int RPC_PORT_BASE = 8545;
  static final int P2P_PORT_BASE = 30303;
  /** How long node and CA certificates are valid: a local or test network outlives no more. */
  static final int VALIDITY_YEARS = 10;
  // Certificates start a day early so that members whose clocks lag still accept them.
  private static final Duration BACKDATE = Duration.ofDays(1);
  /** A member's keystore password, beside its data (see {@link #operator}). */
  static final String KEYSTORE_PASSWORD_FILE = "keystore.password";
  /** A member's operator API token, beside its data. */
  static final String OPERATOR_TOKEN_FILE = "api-token";
  /** What a member's operator token may do: every service's writes. */
  static final Set<String> OPERATOR_ROLES = Set.of(ChainService.SENDER_ROLE,
      NotaryService.WRITER_ROLE, NotaryService.ATTESTER_ROLE, ContractsService.WRITER_ROLE,
      GovernanceService.MEMBER_ROLE, EpcisService.CAPTURER, EpcisService.SUBSCRIBER,
      ReceivablesService.WRITER_ROLE, ReceivablesService.READER_ROLE,
      SharingService.WRITER_ROLE, SharingService.READER_ROLE);

  private NetworkLayout() {}

  /** What to lay out: n validators of a suite, member i on ports rpcBase+i and p2pBase+i. */
  record Plan(CryptoSuite crypto, BigInteger chainId, int validators, int rpcBase,
      int p2pBase) {
    Plan {
      requirePorts("--rpc-port", rpcBase, validators);
      requirePorts("--p2p-port", p2pBase, validators);
    }

    private static void requirePorts(String option, int base, int validators) {
      if (base == 0) {
        return;
      }
      if (base < 1 || base + validators - 1 > 65_535) {
        throw new IllegalArgumentException(option + " " + base + " gives member " + (validators
            - 1) + " port " + (base + validators - 1) + ": pick a base from 1 to "
            + (65_536 - validators) + ", or 0 for free ports at start");
      }
    }
  }

  /**
   * Writes the CA, every member's directory and network.json. The layout is built beside
   * {@code root} and moved into place at the end, so a failure leaves no half network.
   *
   * @param genesis the genesis for the members' consensus public keys, in validator order
   * @throws IllegalArgumentException when {@code root} exists and is not an empty directory
   */
  static void create(Path root, Plan plan, Function<List<byte[]>, Genesis> genesis,
      SecureRandom random) {
    requireFree(root);
    Path staging = root.resolveSibling(root.getFileName() + ".init-" + ProcessHandle.current()
        .pid());
    try {
      Files.createDirectories(staging);
      write(staging, plan, genesis, random);
      Files.move(staging, root, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lay out the network in " + root + ": "
          + e.getMessage(), e);
    } finally {
      DataDir.deleteTree(staging);
    }
  }

  private static void requireFree(Path root) {
    if (NetworkDir.isNetwork(root)) {
      throw new IllegalArgumentException(root + " holds a network already: start it with "
          + "'chorus up --dir " + root + "', or pick another --dir for a new one");
    }
    if (Files.exists(root)) {
      boolean empty;
      try (Stream<Path> entries = Files.list(root)) {
        empty = entries.findAny().isEmpty();
      } catch (IOException e) {
        throw new IllegalArgumentException(root + " exists and cannot be listed ("
            + e.getMessage() + "): pick another --dir", e);
      }
      if (!empty) {
        throw new IllegalArgumentException(root + " exists and is not empty: a network is "
            + "laid out in an empty or new directory, pick another --dir");
      }
    }
  }

  private static void write(Path dir, Plan plan, Function<List<byte[]>, Genesis> genesis,
      SecureRandom random) throws IOException {
    Instant notBefore = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(BACKDATE);
    Instant notAfter = notBefore.plus(BACKDATE).plus(Duration.ofDays(365L * VALIDITY_YEARS));
    String suite = plan.crypto().name();
    ChainCa ca = ChainCa.create("Chorus chain " + plan.chainId() + " CA", "Chorus consortium",
        TlsKeyAlgorithm.forSuite(suite), notBefore, notAfter, random);
    Path pki = dir.resolve("ca");
    Files.createDirectories(pki);
    ca.save(pki);
    List<byte[]> publicKeys = new ArrayList<>();
    Map<String, byte[]> dataKeys = new HashMap<>();
    List<NetworkDir.Member> members = new ArrayList<>();
    for (int i = 0; i < plan.validators(); i++) {
      String name = "node" + i;
      String organisation = "org" + i;
      Path member = dir.resolve(name);
      byte[] privateKey = new byte[32];
      random.nextBytes(privateKey);
      KeyPair keys = plan.crypto().keyPair(privateKey);
      Files.createDirectories(member.resolve(Node.Config.TLS_DIR));
      InitCommand.writeKey(member.resolve(Node.Config.NODE_KEY_FILE), privateKey);
      operator(member, plan.crypto(), privateKey, random);
      // One member organisation per node, each with its own CA in ca/orgI/.
      ChainCa organisationCa = ca.issueOrganisation(organisation, notBefore, notAfter, random);
      Files.createDirectories(pki.resolve(organisation));
      organisationCa.save(pki.resolve(organisation));
      // Its data key, listed in the genesis file, and a copy for its node to open with.
      dataKeys.put(organisation, OrgDataKeys.add(pki.resolve(organisation), plan.crypto(),
          random));
      OrgDataKeys.install(pki.resolve(organisation), member);
      organisationCa.issueNode(name, new ConsensusIdentity(suite, keys.publicKey()), notBefore,
          notAfter, random).save(member.resolve(Node.Config.TLS_DIR));
      publicKeys.add(keys.publicKey());
      members.add(new NetworkDir.Member(name, organisation, name, "127.0.0.1",
          port(plan.rpcBase(), i), port(plan.p2pBase(), i), Hex.encode0x(keys.publicKey()),
          Address.of(plan.crypto().address(keys.publicKey())).toString()));
    }
    Genesis planned = genesis.apply(publicKeys);
    Genesis shared = new Genesis(planned.chainId(), planned.suite(), planned.feeMode(),
        planned.gasLimit(), planned.blockIntervalMs(), planned.timestamp(),
        planned.extraData(), planned.validators(), planned.alloc(),
        planned.consortium().withOrganisationDataKeys(dataKeys));
    for (NetworkDir.Member m : members) {
      GenesisFile.write(shared, dir.resolve(m.dir()).resolve(Node.Config.GENESIS_FILE));
    }
    NetworkDir.write(dir.resolve(NetworkDir.FILE), plan.chainId(), suite, members);
  }

  /**
   * Lets a member's node sign REST writes for its own validator account (the committee
   * member of its organisation): the key goes into the member's keystore under a random
   * password kept beside it, and an API token with every service's writer roles is issued.
   * Both files are readable by their owner only; a production member issues narrower tokens
   * with 'chorus token issue' and keeps its password elsewhere.
   */
  private static void operator(Path member, CryptoSuite crypto, byte[] privateKey,
      SecureRandom random) {
    byte[] secret = new byte[24];
    random.nextBytes(secret);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    InitCommand.writeSecret(member.resolve(KEYSTORE_PASSWORD_FILE), password);
    Address account = Keystore.importKey(member, crypto, privateKey, password.toCharArray(),
        random);
    ApiTokens.Issued token = ApiTokens.issue(member, account, OPERATOR_ROLES, Optional.empty(),
        Clock.systemUTC(), random);
    InitCommand.writeSecret(member.resolve(OPERATOR_TOKEN_FILE), token.token());
  }

  private static int port(int base, int member) {
    return base == 0 ? 0 : base + member;
  }
}
