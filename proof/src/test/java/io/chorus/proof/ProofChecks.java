package io.chorus.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.ByteKey;
import io.chorus.consensus.CommitCertificate;
import io.chorus.consensus.CryptoVerifier;
import io.chorus.consensus.MessageCodec;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import java.util.ArrayList;
import java.util.List;

/**
 * What every proof bundle from a real network must withstand: it verifies as served and after
 * a JSON round trip, and each kind of tampering (value, path, header, too few, unknown or
 * duplicate seals, another suite, another chain whose validators reuse the same keys) fails
 * with the step named.
 */
public final class ProofChecks {
  private ProofChecks() {}

  public static Proven verifiesAndResistsTampering(ProofBundle bundle, TrustRoot root) {
    Proven proven = ProofVerifier.verify(ProofBundle.fromJson(bundle.toJson()), root);
    assertEquals(bundle.kind(), proven.kind());

    ProofBundle.Included tx = bundle.transaction();
    if (tx != null) {
      byte[] value = tx.encoded().clone();
      value[value.length - 1] ^= 1;
      fails(with(bundle, new ProofBundle.Included(tx.index(), value, tx.proof())), root,
          "is not the one the bundle gives");
      List<byte[]> path = new ArrayList<>(tx.proof());
      byte[] node = path.getLast().clone();
      node[node.length - 1] ^= 1;
      path.set(path.size() - 1, node);
      fails(with(bundle, new ProofBundle.Included(tx.index(), tx.encoded(), path)), root,
          "does not lead from the block's root");
    }
    ProofBundle.AccountProof account = bundle.account();
    if (account != null && !account.storage().isEmpty()) {
      fails(with(bundle, tamperedStorage(account)), root, "the proof of storage slot");
    }
    byte[] header = bundle.block().header().clone();
    header[100] ^= 1; // inside the state root
    fails(sealed(bundle, header, bundle.block().certificate()), root,
        "the header hashes to");

    CommitCertificate c = CommitCertificate.decode(bundle.block().certificate());
    List<CommitCertificate.Seal> seals = c.seals();
    fails(seals(bundle, c, seals.subList(0, 1)), root, "1 seals, quorum is");
    List<CommitCertificate.Seal> twice = new ArrayList<>(seals);
    twice.add(seals.getFirst());
    fails(seals(bundle, c, twice), root, "two seals by");
    CryptoSuite suite = root.suite();
    KeyPair stranger = suite.keyPair(suite.hash(new byte[] {42}));
    byte[] digest = CryptoVerifier.forChain(suite, root.chainId(), root.genesisHash())
        .hash(MessageCodec.sealBody(c.height(), c.round(), c.blockDigest()));
    List<CommitCertificate.Seal> foreign = new ArrayList<>(seals);
    foreign.add(new CommitCertificate.Seal(new ByteKey(suite.address(stranger.publicKey())),
        suite.sign(digest, stranger)));
    fails(seals(bundle, c, foreign), root, "seal by non-validator");

    CryptoSuite other = suite.name().equals("sm") ? CryptoSuite.ethereum() : CryptoSuite.sm();
    fails(bundle, new TrustRoot(root.chainId(), other, root.genesisHash(), root.validators()),
        "suite");
    // Another chain with the same validator keys: its genesis differs, the seals do not carry.
    byte[] otherGenesis = root.genesisHash();
    otherGenesis[0] ^= 1;
    ProofBundle renamed = new ProofBundle(bundle.kind(), new ProofBundle.Chain(
        bundle.chain().chainId(), bundle.chain().suite(), otherGenesis), bundle.block(),
        bundle.validatorChanges(), bundle.transaction(), bundle.receipt(), bundle.logIndex(),
        bundle.account());
    fails(renamed, new TrustRoot(root.chainId(), suite, otherGenesis, root.validators()),
        "bad seal signature");
    return proven;
  }

  public static void fails(ProofBundle bundle, TrustRoot root, String expected) {
    ProofException e = assertThrows(ProofException.class, () -> ProofVerifier.verify(
        ProofBundle.fromJson(bundle.toJson()), root));
    assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: "
        + e.getMessage());
  }

  private static ProofBundle with(ProofBundle b, ProofBundle.Included tx) {
    return new ProofBundle(b.kind(), b.chain(), b.block(), b.validatorChanges(), tx,
        b.receipt(), b.logIndex(), b.account());
  }

  /** The account proof with the last node of its first slot's path altered. */
  public static ProofBundle.AccountProof tamperedStorage(ProofBundle.AccountProof account) {
    java.util.Map<ByteKey, List<byte[]>> storage = new java.util.LinkedHashMap<>(
        account.storage());
    ByteKey first = storage.keySet().iterator().next();
    List<byte[]> path = new ArrayList<>(storage.get(first));
    byte[] node = path.getLast().clone();
    node[node.length - 1] ^= 1;
    path.set(path.size() - 1, node);
    storage.put(first, path);
    return new ProofBundle.AccountProof(account.address(), account.proof(), storage);
  }

  private static ProofBundle with(ProofBundle b, ProofBundle.AccountProof account) {
    return new ProofBundle(b.kind(), b.chain(), b.block(), b.validatorChanges(),
        b.transaction(), b.receipt(), b.logIndex(), account);
  }

  private static ProofBundle sealed(ProofBundle b, byte[] header, byte[] certificate) {
    return new ProofBundle(b.kind(), b.chain(), new ProofBundle.Sealed(header, certificate),
        b.validatorChanges(), b.transaction(), b.receipt(), b.logIndex(), b.account());
  }

  private static ProofBundle seals(ProofBundle b, CommitCertificate c,
      List<CommitCertificate.Seal> seals) {
    return sealed(b, b.block().header(), new CommitCertificate(c.height(), c.round(),
        c.blockDigest(), seals).encode());
  }
}
