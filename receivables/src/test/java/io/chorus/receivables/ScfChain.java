package io.chorus.receivables;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.chain.Blockchain;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.ledger.TxPool;
import io.chorus.rpc.eth.ProofApi;
import io.chorus.rpc.rest.Caller;
import io.chorus.rpc.rest.Problem;
import io.chorus.rpc.rest.RestApi;
import io.chorus.rpc.rest.RestObserver;
import io.chorus.service.ServiceContext;
import io.chorus.service.TransactionSubmitter;
import io.chorus.state.system.Consortium;
import io.chorus.state.system.Governance;
import io.chorus.state.system.Permissions;
import io.chorus.state.system.ProposalKind;
import io.chorus.state.system.SystemContracts;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A one-validator chain in a test's hands, its blocks made when the test says at a time it
 * sets, with the supply chain's accounts: a core enterprise (role receivables.obligor, and the
 * governance committee's only member), two tiers of suppliers, two banks (role
 * receivables.bank) and a regulator (no chain role until a test grants it); the service behind
 * the REST layer without a socket, each account's token named after it ("Bearer supplier").
 */
final class ScfChain implements AutoCloseable {
  static final CryptoSuite SUITE = CryptoSuite.ethereum();
  static final List<String> NAMES = List.of("core", "supplier", "tier2", "bankA", "bankB",
      "regulator");
  static final Address VALIDATOR = Address.parse("0x" + "c0".repeat(20));

  final Blockchain chain;
  final Map<String, Address> accounts = new HashMap<>();
  final ServiceContext context;
  private final Map<Address, KeyPair> keys = new HashMap<>();
  long time = 1_760_000_000L;
  ReceivablesService service;
  RestApi api;

  ScfChain(Path dir) {
    Map<Address, Genesis.Allocation> funded = new HashMap<>();
    for (int i = 0; i < NAMES.size(); i++) {
      KeyPair pair = SUITE.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, i));
      Address account = Address.of(SUITE.address(pair.publicKey()));
      accounts.put(NAMES.get(i), account);
      keys.put(account, pair);
      funded.put(account, Genesis.Allocation.funded(BigInteger.TEN.pow(24)));
    }
    Map<Address, Long> roles = Map.of(account("core"), Permissions.ROLE_RECEIVABLES_OBLIGOR,
        account("bankA"), Permissions.ROLE_RECEIVABLES_BANK,
        account("bankB"), Permissions.ROLE_RECEIVABLES_BANK);
    chain = Blockchain.open(dir, new Genesis(BigInteger.valueOf(1337), "ethereum",
        Genesis.FeeMode.ETHEREUM_1559, 60_000_000, 1000, 0, new byte[0],
        List.of(new byte[64]), funded, new Consortium(List.of(new Consortium.Member(
            account("core"), BigInteger.ONE)), Map.of(), false, false, roles)),
        TxPool.Limits.defaults());
    TransactionSubmitter submitter = new TransactionSubmitter(chain, keys,
        new TransactionSubmitter.Estimator() {
          @Override
          public long gas(Address from, Address to, BigInteger value, byte[] data) {
            return 2_000_000;
          }

          @Override
          public BigInteger tip() {
            return BigInteger.ONE;
          }
        });
    chain.addListener(submitter);
    context = new ServiceContext(chain, submitter, new ProofApi(chain));
    mine(0); // block 1 sets the chain's time; genesis is at 0
    restart();
  }

  Address account(String name) {
    return accounts.get(name);
  }

  /** A new service on the chain, as a restarted node has: its index rebuilt from blocks. */
  void restart() {
    if (service != null) {
      service.close();
    }
    service = new ReceivablesService(context);
    api = new RestApi(List.of(service), authorization -> {
      if (authorization == null) {
        return Optional.empty();
      }
      String name = authorization.substring("Bearer ".length());
      if (!accounts.containsKey(name)) {
        throw Problem.unauthorized("unknown test token " + name, true);
      }
      // The regulator's token also carries the name of the chain role, which must not count:
      // the chain decides who regulates.
      Set<String> roles = name.equals("regulator") ? Set.of(ReceivablesService.READER_ROLE,
          ReceivablesService.WRITER_ROLE, Permissions.RECEIVABLES_REGULATOR)
          : Set.of(ReceivablesService.WRITER_ROLE, ReceivablesService.READER_ROLE);
      return Optional.of(new Caller(account(name), roles, "token " + name));
    }, RestObserver.NONE, "test");
  }

  /**
   * Grants {@code bits} to account {@code name} by a vote of the committee (the core enterprise
   * alone: its proposal passes), in effect from the second block mined here.
   */
  void grantRoles(String name, long bits) {
    Caller core = new Caller(account("core"), Set.of(), "token core");
    context.submitter().submit(core, SystemContracts.GOVERNANCE, Governance.proposeCall(
        ProposalKind.GRANT_ROLES, ProposalKind.GRANT_ROLES.encodeText(List.of(
            account(name).toString(), Long.toString(bits))), 100));
    mine(1);
    mine(1);
  }

  /** Puts the pool's transactions in a block {@code seconds} after the last. */
  void mine(long seconds) {
    time += seconds;
    chain.commit(chain.buildNext(VALIDATOR, time, new byte[0]));
  }

  record Answer(int status, JsonNode body) {}

  Answer get(String as, String uri) {
    return send("GET", as, uri, null);
  }

  Answer post(String as, String uri, String json) {
    return send("POST", as, uri, json);
  }

  Answer put(String as, String uri, String json) {
    return send("PUT", as, uri, json);
  }

  private Answer send(String method, String as, String uri, String json) {
    DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
        HttpMethod.valueOf(method), uri, json == null ? Unpooled.EMPTY_BUFFER
            : Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8)));
    if (json != null) {
      request.headers().set("Content-Type", "application/json");
    }
    if (as != null) {
      request.headers().set("Authorization", "Bearer " + as);
    }
    try {
      RestApi.Answer answer = api.handle(request);
      return new Answer(answer.status(), ReceivablesJson.JSON.readTree(answer.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      request.release();
    }
  }

  @Override
  public void close() {
    service.close();
    chain.close();
  }
}
