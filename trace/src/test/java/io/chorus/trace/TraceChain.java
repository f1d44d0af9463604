package io.chorus.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.chain.Blockchain;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.ledger.TxPool;
import io.chorus.rpc.eth.ProofApi;
import io.chorus.service.ServiceContext;
import io.chorus.service.TransactionSubmitter;
import io.chorus.state.system.Consortium;
import io.chorus.state.system.SystemContracts;
import io.chorus.trace.epcis.EpcisEvent;
import io.chorus.trace.epcis.EpcisLimits;
import io.chorus.trace.epcis.EpcisReader;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionSigner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A one-validator chain in a test's hands, with an account that sends {@code Capture}
 * transactions; blocks are made when the test says.
 */
final class TraceChain implements AutoCloseable {
  static final BigInteger CHAIN_ID = BigInteger.valueOf(1337);
  static final CryptoSuite SUITE = CryptoSuite.ethereum();
  static final KeyPair KEYS = SUITE.keyPair(HdWallet.ethereumAccountKey(
      HdWallet.TEST_MNEMONIC, 0));
  static final Address SENDER = Address.of(SUITE.address(KEYS.publicKey()));
  static final Address VALIDATOR = Address.parse("0x" + "c0".repeat(20));
  static final ObjectMapper JSON = new ObjectMapper();

  final Blockchain chain;
  private long time = 1_714_500_000L;
  private ServiceContext context;
  private final List<EpcisService> services = new CopyOnWriteArrayList<>();

  TraceChain(Path dir) {
    this(dir, Map.of());
  }

  /**
   * A chain whose genesis gives organisations their public data keys; {@link #SENDER} is its
   * committee alone, so a proposal it makes passes with its own vote.
   */
  TraceChain(Path dir, Map<String, byte[]> organisationDataKeys) {
    chain = Blockchain.open(dir, new Genesis(CHAIN_ID, "ethereum",
        Genesis.FeeMode.ETHEREUM_1559, 60_000_000, 1000, 0, new byte[0],
        List.of(new byte[64]), Map.of(SENDER, Genesis.Allocation.funded(
            BigInteger.TEN.pow(24))), new Consortium(List.of(new Consortium.Member(SENDER,
                BigInteger.ONE)), Map.of(), false, false, Map.of(), organisationDataKeys)),
        TxPool.Limits.defaults());
  }

  /**
   * What a service on this chain is given: a submitter that signs for {@link #SENDER} with a
   * fixed gas estimate and learns of each block, and proofs from the chain. One per chain, so
   * a service reopened on it shares it.
   */
  synchronized ServiceContext context() {
    if (context == null) {
      TransactionSubmitter submitter = new TransactionSubmitter(chain, Map.of(SENDER, KEYS),
          new TransactionSubmitter.Estimator() {
            @Override
            public long gas(Address from, Address to, BigInteger value, byte[] data) {
              return 4_000_000;
            }

            @Override
            public BigInteger tip() {
              return BigInteger.ONE;
            }
          });
      chain.addListener(submitter);
      context = new ServiceContext(chain, submitter, new ProofApi(chain));
    }
    return context;
  }

  /** The farm-to-shelf document of the tests' resources. */
  static byte[] farmToShelf() {
    try (InputStream in = TraceChain.class.getResourceAsStream("farm-to-shelf.json")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The batch elements of a document's events, with their hash IDs. */
  record Elements(List<ObjectNode> elements, List<String> hashIds) {}

  static Elements elements(byte[] document) {
    List<EpcisEvent> events = new EpcisReader(EpcisLimits.defaults()).readDocument(document)
        .events();
    try {
      JsonNode root = JSON.readTree(document);
      List<ObjectNode> elements = new ArrayList<>();
      for (JsonNode event : root.path("epcisBody").path("eventList")) {
        elements.add(CaptureBatch.contextual((ObjectNode) event, root.get("@context")));
      }
      return new Elements(elements, events.stream().map(EpcisEvent::hashId).toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends {@code data} to the trace contract and puts it in a new block. */
  Transaction capture(byte[] data) {
    return send(SystemContracts.TRACE, data);
  }

  /**
   * Sends {@code data} from {@link #SENDER} to {@code to} and puts it in a new block; its nonce
   * follows the head's, so it may come after captures a service sent for the same account.
   */
  Transaction send(Address to, byte[] data) {
    var account = chain.stateAt(chain.head()).account(SENDER);
    long nonce = account == null ? 0 : account.nonce();
    Transaction tx = TransactionSigner.sign(new Transaction(Transaction.DYNAMIC_FEE, CHAIN_ID,
        nonce, BigInteger.ONE, BigInteger.valueOf(10_000_000_000L), 5_000_000,
        to.toArray(), BigInteger.ZERO, data, List.of(), BigInteger.ZERO,
        List.of(), 0, BigInteger.ZERO, BigInteger.ZERO, new byte[0], new byte[0]), KEYS,
        SUITE);
    chain.submit(tx);
    mine();
    return tx;
  }

  /**
   * Makes {@link #mine} return only once {@code service} has indexed the block, as its indexer
   * runs on a thread of its own.
   */
  <T extends EpcisService> T follow(T service) {
    services.add(service);
    return service;
  }

  /** A new block, in every followed service's event store when this returns. */
  void mine() {
    long number = chain.commit(chain.buildNext(VALIDATOR, time++, new byte[0])).block()
        .header().number();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (EpcisService service : services) {
      while (!service.hasIndexed(number)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("block " + number + " not indexed in 30 s");
        }
        LockSupport.parkNanos(1_000_000);
      }
    }
  }

  @Override
  public void close() {
    chain.close();
  }
}
