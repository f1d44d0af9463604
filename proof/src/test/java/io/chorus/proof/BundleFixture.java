package io.chorus.proof;

import io.chorus.codec.ByteKey;
import io.chorus.codec.Rlp;
import io.chorus.consensus.CommitCertificate;
import io.chorus.consensus.CryptoVerifier;
import io.chorus.consensus.MessageCodec;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import io.chorus.trie.InMemoryNodeStore;
import io.chorus.trie.MerklePatriciaTrie;
import io.chorus.trie.SecureTrie;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionSigner;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A block built by hand, without a node, in either suite: four validators, one signed
 * transaction with a receipt and log, an account with one storage slot, the header over their
 * roots and a certificate sealed by three of the four. Bundles of each kind over it verify;
 * tests and benchmarks tamper with them.
 */
public final class BundleFixture {
  public static final BigInteger CHAIN_ID = BigInteger.valueOf(7);
  public static final long NUMBER = 5;
  public static final byte[] CONTRACT = address(0xc0);
  public static final byte[] SLOT = word(1);
  public static final byte[] SLOT_VALUE = word(0x2a);

  public final CryptoSuite suite;
  public final TrustRoot root;
  public final List<KeyPair> validators = new ArrayList<>();
  private final byte[] header;
  private final byte[] certificate;
  private final ProofBundle.Included transaction;
  private final ProofBundle.Included receipt;
  private final ProofBundle.AccountProof account;

  public BundleFixture(CryptoSuite suite) {
    this.suite = suite;
    List<byte[]> keys = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      validators.add(suite.keyPair(suite.hash(new byte[] {(byte) i})));
      keys.add(validators.getLast().publicKey());
    }
    byte[] genesisHash = suite.hash("fixture genesis".getBytes(StandardCharsets.US_ASCII));
    root = new TrustRoot(CHAIN_ID, suite, genesisHash, keys);

    KeyPair sender = validators.getFirst();
    Transaction tx = TransactionSigner.sign(new Transaction(Transaction.DYNAMIC_FEE, CHAIN_ID,
        0, BigInteger.ONE, BigInteger.TEN, 50_000, CONTRACT, BigInteger.ZERO, new byte[] {1, 2},
        List.of(), BigInteger.ZERO, List.of(), 0, BigInteger.ZERO, BigInteger.ZERO, new byte[0],
        new byte[0]), sender, suite);
    byte[] receiptBytes = typed(Rlp.encodeList(Rlp.encodeUnsignedLong(1),
        Rlp.encodeUnsignedLong(30_000), Rlp.encodeBytes(new byte[256]),
        Rlp.encodeList(Rlp.encodeList(Rlp.encodeBytes(CONTRACT),
            Rlp.encodeList(Rlp.encodeBytes(SLOT_VALUE)), Rlp.encodeBytes(new byte[] {9})))));
    transaction = included(List.of(tx.encoded()));
    receipt = included(List.of(receiptBytes));

    InMemoryNodeStore nodes = new InMemoryNodeStore();
    SecureTrie storage = new SecureTrie(suite.hashFunction(), nodes);
    storage.put(SLOT, Rlp.encodeBytes(new byte[] {0x2a}));
    SecureTrie state = new SecureTrie(suite.hashFunction(), nodes);
    state.put(CONTRACT, Rlp.encodeList(Rlp.encodeUnsignedLong(1), Rlp.encodeUnsignedLong(1000),
        Rlp.encodeBytes(storage.rootHash()), Rlp.encodeBytes(suite.hash(new byte[] {0x60}))));
    Map<ByteKey, List<byte[]>> slots = new LinkedHashMap<>();
    slots.put(new ByteKey(SLOT), storage.prove(SLOT));
    account = new ProofBundle.AccountProof(CONTRACT, state.prove(CONTRACT), slots);

    header = Rlp.encodeList(Rlp.encodeBytes(new byte[32]), Rlp.encodeBytes(new byte[32]),
        Rlp.encodeBytes(new byte[20]), Rlp.encodeBytes(state.rootHash()),
        Rlp.encodeBytes(root(List.of(tx.encoded()))), Rlp.encodeBytes(root(List.of(
            receiptBytes))), Rlp.encodeBytes(new byte[256]), Rlp.encodeUnsignedLong(0),
        Rlp.encodeUnsignedLong(NUMBER), Rlp.encodeUnsignedLong(30_000_000),
        Rlp.encodeUnsignedLong(30_000), Rlp.encodeUnsignedLong(1_800_000_000L),
        Rlp.encodeBytes(new byte[0]), Rlp.encodeBytes(new byte[32]),
        Rlp.encodeBytes(new byte[8]), Rlp.encodeUnsignedLong(7));
    byte[] hash = suite.hash(header);
    byte[] sealed = CryptoVerifier.forChain(suite, CHAIN_ID, genesisHash)
        .hash(MessageCodec.sealBody(NUMBER, 0, hash));
    List<CommitCertificate.Seal> seals = new ArrayList<>();
    for (KeyPair keys3 : validators.subList(0, 3)) {
      seals.add(new CommitCertificate.Seal(new ByteKey(suite.address(keys3.publicKey())),
          suite.sign(sealed, keys3)));
    }
    certificate = new CommitCertificate(NUMBER, 0, hash, seals).encode();
  }

  /** A bundle of {@code kind} over the fixture's block. */
  public ProofBundle bundle(ProofBundle.Kind kind) {
    boolean state = kind == ProofBundle.Kind.STATE;
    return new ProofBundle(kind, new ProofBundle.Chain(CHAIN_ID, suite.name(),
        root.genesisHash()), new ProofBundle.Sealed(header, certificate), List.of(),
        state ? null : transaction,
        state || kind == ProofBundle.Kind.TRANSACTION ? null : receipt,
        kind == ProofBundle.Kind.LOG ? 0 : null, state ? account : null);
  }

  private ProofBundle.Included included(List<byte[]> items) {
    MerklePatriciaTrie trie = trie(items);
    return new ProofBundle.Included(0, items.getFirst(), trie.prove(Rlp.encodeUnsignedLong(0)));
  }

  private byte[] root(List<byte[]> items) {
    return trie(items).rootHash();
  }

  private MerklePatriciaTrie trie(List<byte[]> items) {
    MerklePatriciaTrie trie = new MerklePatriciaTrie(suite.hashFunction(),
        new InMemoryNodeStore());
    for (int i = 0; i < items.size(); i++) {
      trie.put(Rlp.encodeUnsignedLong(i), items.get(i));
    }
    return trie;
  }

  private static byte[] typed(byte[] body) {
    byte[] out = new byte[body.length + 1];
    out[0] = Transaction.DYNAMIC_FEE;
    System.arraycopy(body, 0, out, 1, body.length);
    return out;
  }

  private static byte[] address(int last) {
    byte[] a = new byte[20];
    a[19] = (byte) last;
    return a;
  }

  private static byte[] word(int last) {
    byte[] w = new byte[32];
    w[31] = (byte) last;
    return w;
  }
}
