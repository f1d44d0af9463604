package io.chorus.rpc.eth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.chain.Blockchain;
import io.chorus.codec.ByteKey;
import io.chorus.codec.Rlp;
import io.chorus.evm.Address;
import io.chorus.evm.Word;
import io.chorus.ledger.Block;
import io.chorus.ledger.BlockHeader;
import io.chorus.ledger.Genesis;
import io.chorus.ledger.Receipt;
import io.chorus.proof.GovernanceLayout;
import io.chorus.proof.ProofBundle;
import io.chorus.rpc.JsonRpc;
import io.chorus.rpc.RpcException;
import io.chorus.state.WorldState;
import io.chorus.state.system.Governance;
import io.chorus.state.system.Notary;
import io.chorus.state.system.SystemContracts;
import io.chorus.storage.ChainStore;
import io.chorus.trie.InMemoryNodeStore;
import io.chorus.trie.MerklePatriciaTrie;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Proof bundles ({@code docs/proofs.md}) for anyone to check offline with {@code chorus verify}:
 * {@code chorus_getTransactionProof(txHash)}, {@code chorus_getReceiptProof(txHash)},
 * {@code chorus_getLogProof(txHash, logIndex)} and {@code chorus_getStateProof(address,
 * [slots], block)}. Each carries the block's header and commit certificate and every
 * validator-set change since genesis, so the genesis file is all a verifier needs.
 */
public final class ProofApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The most storage slots one state proof carries. */
  static final int SLOTS_MAX = 256;

  private final Blockchain chain;
  private final ValidatorChanges changes;

  public ProofApi(Blockchain chain) {
    this.chain = chain;
    this.changes = new ValidatorChanges();
  }

  public Map<String, JsonRpc.Method> methods() {
    return Map.of(
        "chorus_getTransactionProof", p -> json(included(new Params(
            "chorus_getTransactionProof", p).count(1, 1), ProofBundle.Kind.TRANSACTION)),
        "chorus_getReceiptProof", p -> json(included(new Params(
            "chorus_getReceiptProof", p).count(1, 1), ProofBundle.Kind.RECEIPT)),
        "chorus_getLogProof", p -> json(included(new Params(
            "chorus_getLogProof", p).count(2, 2), ProofBundle.Kind.LOG)),
        "chorus_getStateProof", p -> json(state(new Params("chorus_getStateProof", p)
            .count(2, 3))),
        "chorus_getRecordProof", p -> json(record(new Params("chorus_getRecordProof", p)
            .count(1, 2))),
        "chorus_trustRoot", p -> trustRoot(new Params("chorus_trustRoot", p).count(0, 0)));
  }

  /**
   * What a verifier must hold to check this chain's bundles, as this node's genesis says: chain
   * id, suite, genesis hash and the genesis validators' keys. A convenience (the console checks
   * bundles against it when the user drops no genesis file): trusting it is trusting the node.
   */
  private JsonNode trustRoot(Params noParams) {
    Genesis genesis = chain.genesis();
    ObjectNode out = JsonNodeFactory.instance.objectNode()
        .put("chainId", genesis.chainId().toString())
        .put("suite", genesis.suite())
        .put("genesisHash", ChainJson.data(chain.store().canonicalHash(0).orElseThrow()));
    ArrayNode validators = out.putArray("validators");
    genesis.validators().forEach(key -> validators.add(ChainJson.data(key)));
    return out;
  }

  /**
   * The bundle proving a notarization record's version: the {@code Recorded} log its deposit
   * emitted ({@code NotaryEvidence} reads it), the latest version unless one is named.
   */
  public ProofBundle record(String id, Long version) {
    WorldState head = chain.stateAt(chain.head());
    long versions = Notary.versionCount(head, id);
    if (versions == 0) {
      throw new RpcException(EthApi.SERVER_ERROR, "no notarization record '" + id + "'");
    }
    long wanted = version == null ? versions : version;
    Notary.Record record = Notary.version(head, id, wanted);
    if (record == null) {
      throw new RpcException(EthApi.SERVER_ERROR, "record '" + id + "' has versions 1 to "
          + versions + ", not " + wanted);
    }
    ChainStore.TxLocation at = chain.store().transactionLocation(record.txId()).orElseThrow(
        () -> new IllegalStateException("record '" + id + "' names transaction "
            + ChainJson.data(record.txId()) + ", which the store does not hold"));
    List<Receipt> receipts = chain.store().receipts(at.blockHash()).orElseThrow();
    Word idHash = Word.fromBytes(io.chorus.crypto.Keccak256.INSTANCE.hash(
        id.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    List<io.chorus.evm.Log> logs = receipts.get(at.index()).logs();
    for (int i = 0; i < logs.size(); i++) {
      io.chorus.evm.Log log = logs.get(i);
      if (log.address().equals(SystemContracts.NOTARY) && log.topics().size() > 1
          && log.topics().get(0).equals(Notary.RECORDED_TOPIC)
          && log.topics().get(1).equals(idHash)) {
        return included(record.txId(), ProofBundle.Kind.LOG, i);
      }
    }
    throw new IllegalStateException("the deposit of record '" + id + "' version " + wanted
        + " left no Recorded log");
  }

  private ProofBundle record(Params a) {
    String id = a.text(0, "record id");
    Long version = a.has(1) ? Params.quantityLong(a.get(1), "version") : null;
    return record(id, version);
  }

  /** The bundle proving a committed transaction (its receipt, one of its logs). */
  public ProofBundle included(byte[] txHash, ProofBundle.Kind kind, Integer logIndex) {
    ChainStore.TxLocation at = chain.store().transactionLocation(txHash).orElseThrow(() ->
        new RpcException(EthApi.SERVER_ERROR, "no committed transaction "
            + ChainJson.data(txHash) + " (a pending one has no proof until its block is final)"));
    Block block = chain.store().blockByHash(at.blockHash()).orElseThrow();
    List<byte[]> transactions = new ArrayList<>();
    block.transactions().forEach(tx -> transactions.add(tx.encoded()));
    ProofBundle.Included tx = item(transactions, at.index());
    ProofBundle.Included receipt = null;
    if (kind != ProofBundle.Kind.TRANSACTION) {
      List<Receipt> receipts = chain.store().receipts(at.blockHash()).orElseThrow();
      if (logIndex != null && (logIndex < 0 || logIndex >= receipts.get(at.index()).logs()
          .size())) {
        throw new IllegalArgumentException("chorus_getLogProof: transaction "
            + ChainJson.data(txHash) + " emitted " + receipts.get(at.index()).logs().size()
            + " logs; log index " + logIndex + " is not one of them");
      }
      List<byte[]> encoded = new ArrayList<>();
      receipts.forEach(r -> encoded.add(r.encode()));
      receipt = item(encoded, at.index());
    }
    BlockHeader header = block.header();
    return new ProofBundle(kind, chainOf(), sealed(header), changes.before(header.number()),
        tx, receipt, logIndex, null);
  }

  /** The bundle proving an account and storage slots in the state after block {@code number}. */
  public ProofBundle state(Address address, List<Word> slots, long number) {
    BlockHeader header = header(number);
    return new ProofBundle(ProofBundle.Kind.STATE, chainOf(), sealed(header),
        changes.before(number), null, null, null, account(header, address, slots));
  }

  private ProofBundle included(Params a, ProofBundle.Kind kind) {
    byte[] hash = a.hash(0, "transaction hash");
    Integer logIndex = kind == ProofBundle.Kind.LOG
        ? Math.toIntExact(Params.quantityLong(a.required(1, "log index"), "log index")) : null;
    return included(hash, kind, logIndex);
  }

  private ProofBundle state(Params a) {
    Address address = a.address(0, "address");
    JsonNode list = a.required(1, "storage slots");
    if (!list.isArray() || list.size() > SLOTS_MAX) {
      throw new IllegalArgumentException("chorus_getStateProof: storage slots must be an array"
          + " of at most " + SLOTS_MAX + " keys");
    }
    List<Word> slots = new ArrayList<>();
    for (JsonNode slot : list) {
      slots.add(Word.fromBigInteger(Params.quantity(slot, "storage slot")));
    }
    long number = chain.head().number();
    if (a.has(2) && !"latest".equals(a.get(2).asText())) {
      number = Params.quantityLong(a.get(2), "block number");
    }
    return state(address, slots, number);
  }

  private BlockHeader header(long number) {
    return chain.store().canonicalHash(number).flatMap(chain.store()::headerByHash)
        .orElseThrow(() -> new RpcException(EthApi.SERVER_ERROR, "no block " + number
            + "; the head is " + chain.head().number()));
  }

  private ProofBundle.Chain chainOf() {
    return new ProofBundle.Chain(chain.chainId(), chain.suite().name(), chain.genesisHash());
  }

  private ProofBundle.Sealed sealed(BlockHeader header) {
    byte[] certificate = chain.store().finalityProof(header.number()).orElseThrow(() ->
        new RpcException(EthApi.SERVER_ERROR, "block " + header.number() + " has no commit"
            + " certificate: a dev chain's blocks are not final by consensus, so they cannot be"
            + " proven to anyone; run a BFT network (chorus up) for proofs"));
    return new ProofBundle.Sealed(header.encode(), certificate);
  }

  private ProofBundle.AccountProof account(BlockHeader header, Address address,
      List<Word> slots) {
    WorldState state = chain.stateAt(header);
    WorldState.Proof proof = state.prove(address, slots);
    Map<ByteKey, List<byte[]>> storage = new LinkedHashMap<>();
    for (int i = 0; i < slots.size(); i++) {
      storage.put(new ByteKey(slots.get(i).toBytes()), proof.storageProofs().get(i));
    }
    return new ProofBundle.AccountProof(address.toArray(), proof.accountProof(), storage);
  }

  /** The item at {@code index} of a block's positional trie, with its path from the root. */
  private ProofBundle.Included item(List<byte[]> encodedItems, int index) {
    MerklePatriciaTrie trie = new MerklePatriciaTrie(chain.suite().hashFunction(),
        new InMemoryNodeStore());
    for (int i = 0; i < encodedItems.size(); i++) {
      trie.put(Rlp.encodeUnsignedLong(i), encodedItems.get(i));
    }
    return new ProofBundle.Included(index, encodedItems.get(index),
        trie.prove(Rlp.encodeUnsignedLong(index)));
  }

  private static JsonNode json(ProofBundle bundle) {
    try {
      return JSON.readTree(bundle.toJson());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a bundle's JSON always parses", e);
    }
  }

  /**
   * The blocks whose state changed the validator set, found by scanning forward once and kept:
   * a block changes it when the governance contract's storage changed and the set read from it
   * differs from the one before.
   */
  private final class ValidatorChanges {
    private final List<Long> found = new ArrayList<>();
    private long scanned;
    private byte[] governanceRoot;
    private List<byte[]> set;

    synchronized List<ProofBundle.ValidatorChange> before(long number) {
      if (set == null) {
        WorldState genesis = chain.stateAt(header(0));
        governanceRoot = genesis.storageRoot(SystemContracts.GOVERNANCE);
        set = Governance.validators(genesis);
      }
      for (; scanned + 1 < number; scanned++) {
        BlockHeader header = header(scanned + 1);
        WorldState state = chain.stateAt(header);
        byte[] root = state.storageRoot(SystemContracts.GOVERNANCE);
        if (Arrays.equals(root, governanceRoot)) {
          continue;
        }
        governanceRoot = root;
        List<byte[]> now = Governance.validators(state);
        if (!sameKeys(now, set)) {
          found.add(header.number());
          set = now;
        }
      }
      List<ProofBundle.ValidatorChange> out = new ArrayList<>();
      for (long change : found) {
        if (change >= number) {
          break;
        }
        BlockHeader header = header(change);
        List<Word> slots = new ArrayList<>();
        long count = Governance.validators(chain.stateAt(header)).size();
        GovernanceLayout.slots(count).forEach(s -> slots.add(Word.fromBytes(s)));
        out.add(new ProofBundle.ValidatorChange(sealed(header),
            account(header, SystemContracts.GOVERNANCE, slots)));
      }
      return out;
    }

    private static boolean sameKeys(List<byte[]> a, List<byte[]> b) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!Arrays.equals(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
  }
}
