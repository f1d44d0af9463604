package io.chorus.proof;

import io.chorus.codec.ByteKey;
import io.chorus.codec.Hex;
import io.chorus.codec.Rlp;
import io.chorus.codec.RlpException;
import io.chorus.codec.RlpReader;
import io.chorus.consensus.CommitCertificate;
import io.chorus.consensus.CryptoVerifier;
import io.chorus.consensus.MalformedMessageException;
import io.chorus.consensus.ValidatorSet;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.MerkleBatch;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionDecoder;
import io.chorus.tx.TransactionException;
import io.chorus.tx.TransactionValidator;
import io.chorus.trie.InvalidProofException;
import io.chorus.trie.MerkleProof;
import io.chorus.trie.SecureTrie;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a {@link ProofBundle} offline against a {@link TrustRoot}: no network, no node. Starting
 * from the genesis validators, it follows each validator-set change (its block certified by the
 * set before it, the new set proven from that block's state), checks the target block's commit
 * certificate against the set of its height, then the Merkle paths from that header's roots to
 * the fact. Any failure names the step.
 *
 * <p>Trust model: a block is accepted when a quorum of the validator set the chain recorded for
 * its height sealed it. A bundle that leaves out a later change can only make the verifier use
 * an earlier set, so a forgery needs a quorum of that earlier set's keys to sign a block that
 * never was; as with every light client, keys of retired validators must stay retired.
 */
public final class ProofVerifier {
  private ProofVerifier() {}

  /**
   * Verifies {@code bundle}.
   *
   * @return what it proved
   * @throws ProofException naming what does not hold
   */
  public static Proven verify(ProofBundle bundle, TrustRoot root) {
    CryptoSuite suite = root.suite();
    checkChain(bundle.chain(), root);
    CryptoVerifier verifier = CryptoVerifier.forChain(suite, root.chainId(), root.genesisHash());
    ValidatorSet validators = set(suite, root.validators());
    long after = 0;
    for (int i = 0; i < bundle.validatorChanges().size(); i++) {
      ProofBundle.ValidatorChange change = bundle.validatorChanges().get(i);
      String where = "validator change " + i;
      HeaderFields header = certified(where, change.block(), validators, verifier, suite)
          .header();
      if (header.number() <= after) {
        throw new ProofException(where + " is at block " + header.number()
            + ", not after block " + after);
      }
      validators = set(suite, provenValidators(where, suite, header, change.governance()));
      after = header.number();
    }
    Certified block = certified("the block", bundle.block(), validators, verifier, suite);
    HeaderFields header = block.header();
    if (header.number() <= after) {
      throw new ProofException("the block " + header.number() + " is not after the last"
          + " validator change (block " + after + ")");
    }
    Map<String, String> facts = new LinkedHashMap<>();
    if (bundle.batch() != null && bundle.kind() != ProofBundle.Kind.LOG) {
      throw new ProofException("a batch path belongs to a log bundle, not a "
          + bundle.kind().label() + " one");
    }
    switch (bundle.kind()) {
      case TRANSACTION, RECEIPT, LOG -> included(bundle, root, header, facts);
      case STATE -> state(bundle, suite, header, facts);
    }
    List<byte[]> signers = new ArrayList<>();
    block.certificate().seals().forEach(seal -> signers.add(seal.address().bytes()));
    return new Proven(bundle.kind(), header.number(), header.hash(), header.timestamp(), signers,
        bundle.validatorChanges().size(), facts);
  }

  private static void checkChain(ProofBundle.Chain chain, TrustRoot root) {
    if (!chain.chainId().equals(root.chainId())) {
      throw new ProofException("the bundle is for chain id " + chain.chainId()
          + ", the genesis file's is " + root.chainId());
    }
    if (!chain.suite().equals(root.suite().name())) {
      throw new ProofException("the bundle is for the " + chain.suite() + " suite, the"
          + " genesis file's is " + root.suite().name());
    }
    if (!Arrays.equals(chain.genesisHash(), root.genesisHash())) {
      throw new ProofException("the bundle is for the chain whose genesis block is "
          + Hex.encode0x(chain.genesisHash()) + ", the genesis file gives "
          + Hex.encode0x(root.genesisHash()));
    }
  }

  /** A header and the certificate that shows it final. */
  private record Certified(HeaderFields header, CommitCertificate certificate) {}

  /** The header, once a quorum of {@code validators} is shown to have sealed it. */
  private static Certified certified(String where, ProofBundle.Sealed sealed,
      ValidatorSet validators, CryptoVerifier verifier, CryptoSuite suite) {
    HeaderFields header;
    try {
      header = HeaderFields.read(suite, sealed.header());
    } catch (RlpException e) {
      throw new ProofException(where + ": the header is malformed: " + e.getMessage());
    }
    CommitCertificate certificate = certificate(where, sealed);
    if (certificate.height() != header.number()) {
      throw new ProofException(where + ": the certificate is for height "
          + certificate.height() + ", the header for " + header.number());
    }
    if (!Arrays.equals(certificate.blockDigest(), header.hash())) {
      throw new ProofException(where + ": the certificate seals block "
          + Hex.encode0x(certificate.blockDigest()) + ", the header hashes to "
          + Hex.encode0x(header.hash()));
    }
    Optional<String> wrong = certificate.verify(validators, verifier);
    if (wrong.isPresent()) {
      throw new ProofException(where + " (block " + header.number() + "): the commit"
          + " certificate does not prove finality: " + wrong.get());
    }
    return new Certified(header, certificate);
  }

  private static CommitCertificate certificate(String where, ProofBundle.Sealed sealed) {
    if (sealed.certificate().length == 0) {
      throw new ProofException(where + " has no commit certificate (a dev chain's blocks have"
          + " none: only a BFT network's blocks can be proven final)");
    }
    try {
      return CommitCertificate.decode(sealed.certificate());
    } catch (MalformedMessageException e) {
      throw new ProofException(where + ": the commit certificate is malformed: "
          + e.getMessage());
    }
  }

  private static ValidatorSet set(CryptoSuite suite, List<byte[]> keys) {
    List<ValidatorSet.Validator> members = new ArrayList<>();
    for (byte[] key : keys) {
      members.add(new ValidatorSet.Validator(new ByteKey(suite.address(key)), key));
    }
    try {
      return new ValidatorSet(members);
    } catch (IllegalArgumentException e) {
      throw new ProofException("not a valid validator set: " + e.getMessage());
    }
  }

  /** The validator set in the state under {@code header}, read through the storage proof. */
  private static List<byte[]> provenValidators(String where, CryptoSuite suite,
      HeaderFields header, ProofBundle.AccountProof governance) {
    if (!Arrays.equals(governance.address(), GovernanceLayout.address())) {
      throw new ProofException(where + ": the set must be proven from the governance contract "
          + Hex.encode0x(GovernanceLayout.address()) + ", not " + Hex.encode0x(
              governance.address()));
    }
    Account account = account(where, suite, header.stateRoot(), governance);
    long count = word(storage(where, suite, account, governance, GovernanceLayout.countSlot()))
        .longValueExact();
    if (count < 1 || count > io.chorus.consensus.Limits.VALIDATORS_MAX) {
      throw new ProofException(where + ": the proven set has " + count + " validators");
    }
    List<byte[]> keys = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      long length = word(storage(where, suite, account, governance,
          GovernanceLayout.lengthSlot(i))).longValueExact();
      if (length != GovernanceLayout.keyBytes()) {
        throw new ProofException(where + ": validator " + i + " is " + length
            + " bytes, not a 64-byte key");
      }
      byte[] key = new byte[64];
      for (int chunk = 0; chunk < 2; chunk++) {
        byte[] word = padded(storage(where, suite, account, governance,
            GovernanceLayout.chunkSlot(i, chunk)));
        System.arraycopy(word, 0, key, 32 * chunk, 32);
      }
      keys.add(key);
    }
    return keys;
  }

  private static void included(ProofBundle bundle, TrustRoot root, HeaderFields header,
      Map<String, String> facts) {
    CryptoSuite suite = root.suite();
    ProofBundle.Included item = require(bundle.transaction(), "transaction", bundle);
    byte[] encoded = inTrie("the transaction", suite, header.transactionsRoot(), item);
    Transaction tx;
    byte[] sender;
    try {
      tx = TransactionDecoder.decode(encoded);
      sender = new TransactionValidator(suite, root.chainId()).validate(tx);
    } catch (TransactionException | RlpException e) {
      throw new ProofException("the proven transaction does not decode or verify: "
          + e.getMessage());
    }
    facts.put("transaction", Hex.encode0x(suite.hash(encoded)));
    facts.put("index", Integer.toString(item.index()));
    facts.put("from", Hex.encode0x(sender));
    facts.put("to", tx.to() == null ? "(contract creation)" : Hex.encode0x(tx.to()));
    facts.put("nonce", Long.toString(tx.nonce()));
    facts.put("value", tx.value().toString());
    facts.put("input", Hex.encode0x(tx.data()));
    if (bundle.kind() == ProofBundle.Kind.TRANSACTION) {
      return;
    }
    ProofBundle.Included receiptItem = require(bundle.receipt(), "receipt", bundle);
    if (receiptItem.index() != item.index()) {
      throw new ProofException("the receipt is at index " + receiptItem.index()
          + ", the transaction at " + item.index());
    }
    ReceiptFields receipt;
    try {
      receipt = ReceiptFields.read(inTrie("the receipt", suite, header.receiptsRoot(),
          receiptItem));
    } catch (RlpException e) {
      throw new ProofException("the proven receipt is malformed: " + e.getMessage());
    }
    facts.put("status", receipt.success() ? "success" : "reverted");
    facts.put("logs", Integer.toString(receipt.logs().size()));
    if (bundle.kind() == ProofBundle.Kind.RECEIPT) {
      return;
    }
    int logIndex = require(bundle.logIndex(), "logIndex", bundle);
    if (logIndex >= receipt.logs().size()) {
      throw new ProofException("log " + logIndex + " is not in the receipt, which has "
          + receipt.logs().size());
    }
    ReceiptFields.LogFields log = receipt.logs().get(logIndex);
    facts.put("log", Integer.toString(logIndex));
    facts.put("log.address", Hex.encode0x(log.address()));
    for (int t = 0; t < log.topics().size(); t++) {
      facts.put("log.topic" + t, Hex.encode0x(log.topics().get(t)));
    }
    facts.put("log.data", Hex.encode0x(log.data()));
    ProofBundle.BatchPath batch = bundle.batch();
    if (batch != null) {
      if (log.topics().size() < 2) {
        throw new ProofException("the batch path needs the log's first indexed topic as its"
            + " root, and the log has none");
      }
      if (!MerkleBatch.verify(suite.hashFunction(), log.topics().get(1), batch.leaf(),
          batch.index(), batch.count(), batch.path())) {
        throw new ProofException("the batch path does not lead from digest "
            + Hex.encode0x(batch.leaf()) + " (leaf " + batch.index() + " of " + batch.count()
            + ") to the root " + Hex.encode0x(log.topics().get(1)) + " the log anchors");
      }
      facts.put("batch.leaf", Hex.encode0x(batch.leaf()));
      facts.put("batch.index", Long.toString(batch.index()));
      facts.put("batch.count", Long.toString(batch.count()));
    }
  }

  private static void state(ProofBundle bundle, CryptoSuite suite, HeaderFields header,
      Map<String, String> facts) {
    ProofBundle.AccountProof proof = require(bundle.account(), "account", bundle);
    Account account = account("the account", suite, header.stateRoot(), proof);
    facts.put("address", Hex.encode0x(proof.address()));
    facts.put("exists", Boolean.toString(account.exists()));
    facts.put("nonce", account.nonce().toString());
    facts.put("balance", account.balance().toString());
    facts.put("codeHash", Hex.encode0x(account.codeHash()));
    for (ByteKey key : proof.storage().keySet()) {
      facts.put("storage[" + Hex.encode0x(key.bytes()) + "]", Hex.encode0x(padded(
          storage("the account", suite, account, proof, key.bytes()))));
    }
  }

  /** An account as the state trie holds it; all zero when proven absent. */
  private record Account(boolean exists, BigInteger nonce, BigInteger balance,
      byte[] storageRoot, byte[] codeHash) {}

  private static Account account(String where, CryptoSuite suite, byte[] stateRoot,
      ProofBundle.AccountProof proof) {
    Optional<byte[]> value;
    try {
      value = SecureTrie.verifyProof(suite.hashFunction(), stateRoot, proof.address(),
          proof.proof());
    } catch (InvalidProofException | RlpException e) {
      throw new ProofException(where + ": the account proof of " + Hex.encode0x(
          proof.address()) + " does not lead from the state root: " + e.getMessage());
    }
    if (value.isEmpty()) {
      byte[] emptyRoot = io.chorus.trie.MerklePatriciaTrie.emptyRoot(suite.hashFunction());
      return new Account(false, BigInteger.ZERO, BigInteger.ZERO, emptyRoot,
          suite.hash(new byte[0]));
    }
    try {
      RlpReader whole = RlpReader.of(value.get());
      RlpReader in = whole.readList();
      whole.requireEnd("account");
      BigInteger nonce = in.readBigInteger("nonce", 8);
      BigInteger balance = in.readBigInteger("balance", 32);
      byte[] storageRoot = in.readBytes(32, "storageRoot");
      byte[] codeHash = in.readBytes(32, "codeHash");
      in.requireEnd("account");
      return new Account(true, nonce, balance, storageRoot, codeHash);
    } catch (RlpException e) {
      throw new ProofException(where + ": the proven account is malformed: " + e.getMessage());
    }
  }

  /** A storage slot's value (big-endian, leading zeros trimmed; empty when zero). */
  private static byte[] storage(String where, CryptoSuite suite, Account account,
      ProofBundle.AccountProof proof, byte[] slot) {
    List<byte[]> nodes = proof.storage().get(new ByteKey(slot));
    if (nodes == null) {
      throw new ProofException(where + ": no proof of storage slot " + Hex.encode0x(slot));
    }
    try {
      Optional<byte[]> value = SecureTrie.verifyProof(suite.hashFunction(),
          account.storageRoot(), slot, nodes);
      if (value.isEmpty()) {
        return new byte[0];
      }
      RlpReader whole = RlpReader.of(value.get());
      byte[] bytes = whole.readBytes();
      whole.requireEnd("storage value");
      if (bytes.length > 32) {
        throw new ProofException(where + ": storage slot " + Hex.encode0x(slot) + " holds "
            + bytes.length + " bytes");
      }
      return bytes;
    } catch (InvalidProofException | RlpException e) {
      throw new ProofException(where + ": the proof of storage slot " + Hex.encode0x(slot)
          + " does not lead from the account's storage root: " + e.getMessage());
    }
  }

  private static byte[] inTrie(String what, CryptoSuite suite, byte[] root,
      ProofBundle.Included item) {
    Optional<byte[]> value;
    try {
      value = MerkleProof.verify(suite.hashFunction(), root, Rlp.encodeUnsignedLong(
          item.index()), item.proof());
    } catch (InvalidProofException | RlpException e) {
      throw new ProofException(what + " at index " + item.index() + ": the path does not lead"
          + " from the block's root: " + e.getMessage());
    }
    if (value.isEmpty()) {
      throw new ProofException(what + ": the block has no item at index " + item.index());
    }
    if (!Arrays.equals(value.get(), item.encoded())) {
      throw new ProofException(what + " at index " + item.index() + " is not the one the"
          + " bundle gives: the block holds " + Hex.encode0x(suite.hash(value.get()))
          + " by hash");
    }
    return value.get();
  }

  private static <T> T require(T part, String name, ProofBundle bundle) {
    if (part == null) {
      throw new ProofException("a " + bundle.kind().label() + " bundle needs '" + name + "'");
    }
    return part;
  }

  private static BigInteger word(byte[] value) {
    return new BigInteger(1, value);
  }

  private static byte[] padded(byte[] value) {
    byte[] word = new byte[32];
    System.arraycopy(value, 0, word, 32 - value.length, value.length);
    return word;
  }

  /** A block time for people: ISO-8601 UTC. */
  public static String time(long timestamp) {
    return Instant.ofEpochSecond(timestamp).toString();
  }
}
