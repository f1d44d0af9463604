package io.chorus.crosschain;

import io.chorus.codec.ByteKey;
import io.chorus.codec.Bytes;
import io.chorus.codec.Rlp;
import io.chorus.consensus.CommitCertificate;
import io.chorus.consensus.CryptoVerifier;
import io.chorus.consensus.MessageCodec;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import io.chorus.trie.InMemoryNodeStore;
import io.chorus.trie.SecureTrie;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A source chain built by hand, with real keys and real tries, in either suite: six key pairs
 * (the first four the genesis validators), the governance contract's storage as the light client
 * reads it (validator set, change count, change blocks), a router account whose slots tests
 * set, and headers over the resulting state roots. Certificates are signed by whichever keys a
 * test names, under this chain's domain or another's, so forgeries are made the way an attacker
 * would make them.
 */
final class SourceFixture {
  static final byte[] ROUTER = address(0x10, 0x05);
  private static final byte[] USER = address(0xab, 0xcd);

  final CryptoSuite suite;
  final SourceChain chain;
  final List<KeyPair> keys = new ArrayList<>();
  private List<KeyPair> validators;
  private final List<Long> changedAt = new ArrayList<>();
  private final Map<ByteKey, byte[]> routerSlots = new LinkedHashMap<>();
  private final InMemoryNodeStore nodes = new InMemoryNodeStore();

  /** One block's header and the tries under its state root, to prove from. */
  record Block(byte[] header, long number, SecureTrie state, SecureTrie governance,
      SecureTrie router, long changes, int validatorCount) {}

  SourceFixture(CryptoSuite suite, long chainId, String name) {
    this(suite, chainId, name, suite.hash((name + " genesis").getBytes(
        StandardCharsets.US_ASCII)));
  }

  /** A chain with the given genesis hash: a twin of another in the other suite. */
  SourceFixture(CryptoSuite suite, long chainId, String name, byte[] genesisHash) {
    this.suite = suite;
    for (int i = 1; i <= 6; i++) {
      keys.add(suite.keyPair(suite.hash((name + " validator " + i).getBytes(
          StandardCharsets.US_ASCII))));
    }
    validators = List.copyOf(keys.subList(0, 4));
    this.chain = new SourceChain(BigInteger.valueOf(chainId), suite, genesisHash);
  }

  KeyPair key(int number) {
    return keys.get(number - 1);
  }

  List<KeyPair> keys(int... numbers) {
    List<KeyPair> out = new ArrayList<>();
    for (int n : numbers) {
      out.add(key(n));
    }
    return out;
  }

  /** Governance enacts a new set in block {@code block}: that block's state holds it. */
  void changeValidators(long block, int... members) {
    validators = keys(members);
    changedAt.add(block);
  }

  void store(byte[] slot, byte[] word) {
    routerSlots.put(new ByteKey(slot), word.clone());
  }

  /** A block over the current state; {@code extra} goes in extraData to make twins differ. */
  Block block(long number, long timestamp, String extra) {
    return block(number, timestamp, extra, null);
  }

  Block block(long number, long timestamp) {
    return block(number, timestamp, "");
  }

  /** A block whose header claims {@code stateRoot} instead of the state's own root. */
  Block block(long number, long timestamp, String extra, byte[] stateRoot) {
    SecureTrie governance = new SecureTrie(suite.hashFunction(), nodes);
    put(governance, GovernanceSlots.changes(), changedAt.size());
    for (int n = 1; n <= changedAt.size(); n++) {
      put(governance, GovernanceSlots.changedAt(n), changedAt.get(n - 1));
    }
    put(governance, GovernanceSlots.validatorCount(), validators.size());
    for (int i = 0; i < validators.size(); i++) {
      byte[] key = validators.get(i).publicKey();
      put(governance, GovernanceSlots.validatorLength(i), 64);
      putWord(governance, GovernanceSlots.validatorChunk(i, 0), java.util.Arrays.copyOf(key, 32));
      putWord(governance, GovernanceSlots.validatorChunk(i, 1),
          java.util.Arrays.copyOfRange(key, 32, 64));
    }
    SecureTrie router = new SecureTrie(suite.hashFunction(), nodes);
    routerSlots.forEach((slot, word) -> putWord(router, slot.bytes(), word));
    SecureTrie state = new SecureTrie(suite.hashFunction(), nodes);
    state.put(GovernanceSlots.address(), account(0, governance.rootHash()));
    state.put(ROUTER, account(0, router.rootHash()));
    state.put(USER, account(1_000_000, io.chorus.trie.MerklePatriciaTrie.emptyRoot(
        suite.hashFunction())));
    byte[] root = stateRoot == null ? state.rootHash() : stateRoot;
    byte[] header = Rlp.encodeList(Rlp.encodeBytes(new byte[32]), Rlp.encodeBytes(new byte[32]),
        Rlp.encodeBytes(new byte[20]), Rlp.encodeBytes(root), Rlp.encodeBytes(new byte[32]),
        Rlp.encodeBytes(new byte[32]), Rlp.encodeBytes(new byte[256]), Rlp.encodeUnsignedLong(0),
        Rlp.encodeUnsignedLong(number), Rlp.encodeUnsignedLong(30_000_000),
        Rlp.encodeUnsignedLong(0), Rlp.encodeUnsignedLong(timestamp),
        Rlp.encodeBytes(extra.getBytes(StandardCharsets.US_ASCII)),
        Rlp.encodeBytes(new byte[32]), Rlp.encodeBytes(new byte[8]), Rlp.encodeUnsignedLong(7));
    return new Block(header, number, state, governance, router, changedAt.size(),
        validators.size());
  }

  /** A certificate of {@code block} sealed by {@code signers} under this chain's domain. */
  byte[] certificate(Block block, List<KeyPair> signers) {
    return certificate(block, signers, chain.verifier());
  }

  /** A certificate sealed under {@code domain}'s chain, with seals in the order given. */
  byte[] certificate(Block block, List<KeyPair> signers, CryptoVerifier domain) {
    byte[] hash = suite.hash(block.header());
    byte[] sealed = domain.hash(MessageCodec.sealBody(block.number(), 0, hash));
    List<CommitCertificate.Seal> seals = new ArrayList<>();
    for (KeyPair k : signers) {
      seals.add(new CommitCertificate.Seal(new ByteKey(suite.address(k.publicKey())),
          suite.sign(sealed, k)));
    }
    return new CommitCertificate(block.number(), 0, hash, seals).encode();
  }

  /** The governance proof an update to {@code block} needs, for a client that followed some. */
  AccountProof forUpdate(Block block, long clientChanges) {
    long nextChangeAt = block.changes() > clientChanges
        ? changedAt.get((int) clientChanges) : 0;
    return governanceProof(block, GovernanceSlots.forUpdate(clientChanges, block.changes(),
        nextChangeAt, block.number(), block.validatorCount()));
  }

  AccountProof forCreate(Block block) {
    return governanceProof(block, GovernanceSlots.forCreate(block.validatorCount()));
  }

  AccountProof governanceProof(Block block, List<byte[]> slots) {
    Map<ByteKey, List<byte[]>> proofs = new HashMap<>();
    for (byte[] slot : slots) {
      proofs.put(new ByteKey(slot), block.governance().prove(slot));
    }
    return new AccountProof(GovernanceSlots.address(), block.state().prove(
        GovernanceSlots.address()), proofs);
  }

  AccountProof routerProof(Block block, byte[] slot) {
    return new AccountProof(ROUTER, block.state().prove(ROUTER),
        Map.of(new ByteKey(slot), block.router().prove(slot)));
  }

  private static void put(SecureTrie trie, byte[] slot, long value) {
    if (value != 0) {
      putWord(trie, slot, Bytes.leftPad(Bytes.ofUnsignedLong(value), 32));
    }
  }

  private static void putWord(SecureTrie trie, byte[] slot, byte[] word) {
    byte[] trimmed = Bytes.trimLeadingZeros(word);
    if (trimmed.length > 0) {
      trie.put(slot, Rlp.encodeBytes(trimmed));
    }
  }

  private byte[] account(long balance, byte[] storageRoot) {
    return Rlp.encodeList(Rlp.encodeUnsignedLong(1), Rlp.encodeUnsignedLong(balance),
        Rlp.encodeBytes(storageRoot), Rlp.encodeBytes(suite.hash(new byte[] {(byte) 0xfe})));
  }

  private static byte[] address(int high, int low) {
    byte[] a = new byte[20];
    a[18] = (byte) high;
    a[19] = (byte) low;
    return a;
  }
}
