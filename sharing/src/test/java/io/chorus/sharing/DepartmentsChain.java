package io.chorus.sharing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.chain.Blockchain;
import io.chorus.codec.ByteKey;
import io.chorus.consensus.CommitCertificate;
import io.chorus.consensus.CryptoVerifier;
import io.chorus.consensus.MessageCodec;
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
import io.chorus.state.system.DataSharing;
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
 * A one-validator chain in a test's hands, its blocks made when the test says, with three
 * departments bound by governance vote — 市公安局 (the provider, "gaj"), 市民政局 (the
 * requester, "mzj"), 市卫生健康委员会 (another, "wjw") — the data authority ("authority", chain
 * role sharing.authority) and an account of no department ("outsider"); the sharing service
 * behind the REST layer without a socket, each account's token named after it.
 */
final class DepartmentsChain implements AutoCloseable {
  static final List<String> NAMES = List.of("gaj", "mzj", "wjw", "authority", "outsider");
  static final Map<String, String> DEPARTMENTS = Map.of("gaj", "市公安局", "mzj", "市民政局",
      "wjw", "市卫生健康委员会");
  static final Address VALIDATOR = Address.parse("0x" + "c0".repeat(20));

  final CryptoSuite suite;
  /** The one validator's keys: it seals each block, so its logs and state can be proven. */
  final KeyPair validatorKeys;
  final Blockchain chain;
  final Map<String, Address> accounts = new HashMap<>();
  final Map<String, KeyPair> keys = new HashMap<>();
  final SharingService service;
  final RestApi api;
  long time = 1_760_000_000L; // a Thursday

  DepartmentsChain(CryptoSuite suite, Path dir) {
    this(suite, dir, RequesterTrust.NONE, java.time.Clock.systemUTC());
  }

  /** With the service checking user certificates by {@code trust} at {@code clock}'s time. */
  DepartmentsChain(CryptoSuite suite, Path dir, RequesterTrust trust, java.time.Clock clock) {
    this.suite = suite;
    validatorKeys = suite.keyPair(suite.hash("departments chain validator".getBytes(
        StandardCharsets.US_ASCII)));
    Map<Address, Genesis.Allocation> funded = new HashMap<>();
    Map<Address, KeyPair> signing = new HashMap<>();
    for (int i = 0; i < NAMES.size(); i++) {
      KeyPair pair = suite.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, i));
      Address account = Address.of(suite.address(pair.publicKey()));
      accounts.put(NAMES.get(i), account);
      keys.put(NAMES.get(i), pair);
      signing.put(account, pair);
      funded.put(account, Genesis.Allocation.funded(BigInteger.TEN.pow(24)));
    }
    // The authority is the committee's one member too: its proposals pass as it makes them.
    chain = Blockchain.open(dir.resolve("chain"), new Genesis(BigInteger.valueOf(1337),
        suite.name(), Genesis.FeeMode.ETHEREUM_1559, 60_000_000, 1000, 0, new byte[0],
        List.of(validatorKeys.publicKey()), funded, new Consortium(List.of(new Consortium.Member(
            account("authority"), BigInteger.ONE)), Map.of(), false, false,
            Map.of(account("authority"), Permissions.ROLE_SHARING_AUTHORITY))),
        TxPool.Limits.defaults());
    TransactionSubmitter submitter = new TransactionSubmitter(chain, signing,
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
    ServiceContext context = new ServiceContext(chain, submitter, new ProofApi(chain));
    mine(0);
    for (String name : List.of("gaj", "mzj", "wjw")) {
      ProposalKind kind = ProposalKind.SHARING_DEPARTMENT;
      submitter.submit(caller("authority"), SystemContracts.GOVERNANCE, Governance.proposeCall(
          kind, kind.encode(account(name), DEPARTMENTS.get(name)), 10));
    }
    mine(1); // the proposals pass
    mine(1); // and take effect at the start of this block
    for (String name : List.of("gaj", "mzj", "wjw")) {
      assertEquals(DEPARTMENTS.get(name), DataSharing.departmentOf(chain.stateAt(chain.head()),
          account(name)));
    }
    service = new SharingService(context, dir.resolve("sharing"), trust, clock);
    api = new RestApi(List.of(service), authorization -> {
      if (authorization == null) {
        return Optional.empty();
      }
      String name = authorization.substring("Bearer ".length());
      if (!accounts.containsKey(name)) {
        throw Problem.unauthorized("unknown test token " + name, true);
      }
      return Optional.of(caller(name));
    }, RestObserver.NONE, "test");
  }

  Address account(String name) {
    return accounts.get(name);
  }

  Caller caller(String name) {
    return new Caller(account(name), Set.of(SharingService.WRITER_ROLE,
        SharingService.READER_ROLE), "token " + name);
  }

  /** Puts the pool's transactions in a block {@code seconds} after the last, sealed. */
  void mine(long seconds) {
    time += seconds;
    Blockchain.Proposal proposal = chain.buildNext(VALIDATOR, time, new byte[0]);
    long number = proposal.block().header().number();
    byte[] hash = chain.hashOf(proposal.block().header());
    byte[] sealed = CryptoVerifier.forChain(suite, chain.chainId(), chain.genesisHash())
        .hash(MessageCodec.sealBody(number, 0, hash));
    chain.commit(proposal, new CommitCertificate(number, 0, hash, List.of(
        new CommitCertificate.Seal(new ByteKey(suite.address(validatorKeys.publicKey())),
            suite.sign(sealed, validatorKeys)))).encode());
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

  Answer delete(String as, String uri) {
    return send("DELETE", as, uri, null);
  }

  /** A GET without a token, with {@code headers}. */
  Answer get(String uri, Map<String, String> headers) {
    return send("GET", null, uri, null, headers);
  }

  private Answer send(String method, String as, String uri, String json) {
    return send(method, as, uri, json, Map.of());
  }

  private Answer send(String method, String as, String uri, String json,
      Map<String, String> headers) {
    DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
        HttpMethod.valueOf(method), uri, json == null ? Unpooled.EMPTY_BUFFER
            : Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8)));
    headers.forEach(request.headers()::set);
    if (json != null) {
      request.headers().set("Content-Type", "application/json");
    }
    if (as != null) {
      request.headers().set("Authorization", "Bearer " + as);
    }
    try {
      RestApi.Answer answer = api.handle(request);
      return new Answer(answer.status(), SharingJson.JSON.readTree(answer.body()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      request.release();
    }
  }

  @Override
  public void close() {
    chain.close();
  }
}
