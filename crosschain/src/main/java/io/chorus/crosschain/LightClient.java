package io.chorus.crosschain;

import io.chorus.codec.ByteKey;
import io.chorus.codec.Hex;
import io.chorus.consensus.CommitCertificate;
import io.chorus.consensus.CryptoVerifier;
import io.chorus.consensus.MalformedMessageException;
import io.chorus.consensus.ValidatorSet;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A light client of another Chorus chain: it accepts a source header when a quorum of the
 * validator set that decided that height sealed it, checked in the source's suite under the
 * source's chain domain. It is a value: {@link #update} and {@link #misbehaviour} return what
 * to store, and the heights it verified are kept by its owner ({@link ConsensusStates}).
 *
 * <p>The rules. It never moves backwards. It follows the source's validator-set changes one by
 * one: every update proves, from the header's state, how many changes the source's governance
 * has enacted, and a header past a change the client has not followed is refused until the
 * change's own block is submitted (that block is decided by the old set; its state gives the
 * new one). Two certified blocks at one height freeze it, with evidence naming the signers; a
 * frozen client verifies nothing until governance replaces it. It has no expiry: a client that
 * fell behind accepts the next header whenever a relayer brings it.
 *
 * <p>What it trusts: the header a governance vote gave it, and that a quorum of each set it
 * follows does not seal two blocks at one height (if one does, the evidence shows it and the
 * client stops). Keys of retired validators must stay retired, as for every light client.
 */
public final class LightClient {
  private final SourceChain chain;
  private final long latestHeight;
  private final byte[] latestHash;
  private final long latestTimestamp;
  private final ValidatorSet validators;
  private final long changes;
  private final long validatorsAfter;
  private final Evidence frozen;
  private final CryptoVerifier verifier;

  private LightClient(SourceChain chain, long latestHeight, byte[] latestHash,
      long latestTimestamp, ValidatorSet validators, long changes, long validatorsAfter,
      Evidence frozen) {
    this.chain = chain;
    this.latestHeight = latestHeight;
    this.latestHash = latestHash.clone();
    this.latestTimestamp = latestTimestamp;
    this.validators = validators;
    this.changes = changes;
    this.validatorsAfter = validatorsAfter;
    this.frozen = frozen;
    this.verifier = chain.verifier();
  }

  /**
   * A client of {@code chain} that trusts {@code trustedHeader}, as a governance vote decided:
   * its validator set and change count are read from the header's state through
   * {@code governance} (the slots of {@link GovernanceSlots#forCreate}). Block 0 must be the
   * chain's genesis block.
   *
   * @throws CrossChainException when the header or proof does not hold
   */
  public static Update.Advanced create(SourceChain chain, byte[] trustedHeader,
      AccountProof governance) {
    SourceHeader header = SourceHeader.decode(chain.suite(), trustedHeader);
    if (header.number() == 0 && !Arrays.equals(header.hash(), chain.genesisHash())) {
      throw new CrossChainException("block 0 hashes to " + Hex.encode0x(header.hash())
          + ", not to the chain's genesis hash " + Hex.encode0x(chain.genesisHash()));
    }
    StateRoots.requireUsable(chain.suite(), header);
    ProvenStorage storage = ProvenStorage.open(chain.suite(), header.stateRoot(),
        GovernanceSlots.address(), governance);
    long changes = storage.number(GovernanceSlots.changes());
    ValidatorSet validators = readSet(chain, storage);
    storage.requireAllRead();
    LightClient client = new LightClient(chain, header.number(), header.hash(),
        header.timestamp(), validators, changes, header.number(), null);
    return new Update.Advanced(client, state(header, BigInteger.ZERO));
  }

  /**
   * A client as its owner stored it: the fields a client this class returned reports
   * ({@link #chain}, {@link #latestHeight}, …), for an owner that keeps them apart (the
   * cross-chain system contract, in its storage). Nothing is checked again: only what this
   * class returned may be restored.
   */
  public static LightClient restore(SourceChain chain, long latestHeight, byte[] latestHash,
      long latestTimestamp, ValidatorSet validators, long changes, long validatorsAfter,
      Optional<Evidence> frozen) {
    return new LightClient(chain, latestHeight, latestHash, latestTimestamp, validators,
        changes, validatorsAfter, frozen.orElse(null));
  }

  public SourceChain chain() {
    return chain;
  }

  public long latestHeight() {
    return latestHeight;
  }

  public byte[] latestHash() {
    return latestHash.clone();
  }

  public long latestTimestamp() {
    return latestTimestamp;
  }

  /** The set that decides every block after {@link #validatorsAfter()}. */
  public ValidatorSet validators() {
    return validators;
  }

  /** The source's validator-set changes this client has followed. */
  public long changes() {
    return changes;
  }

  /**
   * The height after which {@link #validators()} decides blocks: the last change block the
   * client followed, or its trusted header.
   */
  public long validatorsAfter() {
    return validatorsAfter;
  }

  /** Why the client is frozen, or empty while it is active. */
  public Optional<Evidence> frozen() {
    return Optional.ofNullable(frozen);
  }

  /**
   * Checks a source header and its commit certificate and moves the client to it.
   *
   * @param governance the header's state's governance slots, {@link GovernanceSlots#forUpdate}
   * @param known the heights already verified, to tell a repeat from a conflict
   * @throws CrossChainException when the client is frozen, or the header is below its latest
   *     height and not one it verified, or the certificate does not prove the header final, or
   *     the header is past a validator-set change the client has not followed
   */
  public Update update(byte[] header, byte[] certificate, AccountProof governance,
      ConsensusStates known) {
    requireActive();
    SourceHeader block = SourceHeader.decode(chain.suite(), header);
    CommitCertificate sealed = decodeCertificate(certificate);
    if (block.number() <= latestHeight) {
      return revisit(block, sealed, known);
    }
    if (block.timestamp() <= latestTimestamp) {
      throw new CrossChainException(block + " has time " + block.timestamp() + ", not after "
          + latestTimestamp + " of block " + latestHeight + " the client verified");
    }
    StateRoots.requireUsable(chain.suite(), block);
    // The change count first: a header past a change the client has not followed is refused
    // for that, whichever set sealed it, and proofs cost hashes where seals cost signatures.
    ProvenStorage storage = ProvenStorage.open(chain.suite(), block.stateRoot(),
        GovernanceSlots.address(), governance);
    long sourceChanges = storage.number(GovernanceSlots.changes());
    ValidatorSet nextSet = validators;
    long nextAfter = validatorsAfter;
    if (sourceChanges < changes) {
      throw new CrossChainException(block + "'s state shows " + sourceChanges + " validator"
          + "-set changes, fewer than the " + changes + " the client followed");
    }
    if (sourceChanges > changes) {
      long changeBlock = storage.number(GovernanceSlots.changedAt(changes + 1));
      if (sourceChanges > changes + 1 || changeBlock != block.number()) {
        throw new CrossChainException("the source changed its validator set at block "
            + changeBlock + " (change " + (changes + 1) + "), which the client has not"
            + " followed: update to block " + changeBlock + " first");
      }
      nextSet = readSet(chain, storage);
      nextAfter = block.number();
    }
    storage.requireAllRead();
    BigInteger signers = certify(block, sealed);
    LightClient next = new LightClient(chain, block.number(), block.hash(), block.timestamp(),
        nextSet, sourceChanges, nextAfter, null);
    return new Update.Advanced(next, state(block, signers));
  }

  /**
   * Freezes the client on two blocks at one height, each sealed by a quorum of the set the
   * client holds for that height.
   *
   * @return the frozen client, to store
   * @throws CrossChainException when the client is already frozen, or the two are not a
   *     conflict the client can check (other heights, the same block, a height its set does not
   *     decide, a certificate that does not hold)
   */
  public LightClient misbehaviour(byte[] firstHeader, byte[] firstCertificate,
      byte[] secondHeader, byte[] secondCertificate) {
    requireActive();
    SourceHeader first = SourceHeader.decode(chain.suite(), firstHeader);
    SourceHeader second = SourceHeader.decode(chain.suite(), secondHeader);
    if (first.number() != second.number()) {
      throw new CrossChainException("misbehaviour needs two blocks at one height, not at "
          + first.number() + " and " + second.number());
    }
    if (Arrays.equals(first.hash(), second.hash())) {
      throw new CrossChainException("both headers are " + first + ": no conflict");
    }
    requireDecidedByHeldSet(first.number());
    BigInteger firstSigners = certify(first, decodeCertificate(firstCertificate));
    BigInteger secondSigners = certify(second, decodeCertificate(secondCertificate));
    return freeze(new Evidence(first.number(), first.hash(), names(firstSigners),
        second.hash(), names(secondSigners)));
  }

  /**
   * Checks that {@code value} (32 bytes, not zero) is stored at {@code slot} of
   * {@code account} in the source's state at a verified {@code height}.
   *
   * @throws CrossChainException when the client is frozen, the height is not verified, or the
   *     proof does not show that value there
   */
  public void verifyMembership(ConsensusStates known, long height, byte[] account, byte[] slot,
      byte[] value, AccountProof proof) {
    if (value.length != 32 || StateRoots.isZero(value)) {
      throw new IllegalArgumentException("a stored value is a non-zero 32-byte word");
    }
    ProvenStorage storage = storageAt(known, height, account, proof);
    byte[] stored = storage.word(slot);
    storage.requireAllRead();
    if (!Arrays.equals(stored, value)) {
      throw new CrossChainException("slot " + Hex.encode0x(slot) + " of "
          + Hex.encode0x(account) + " holds " + Hex.encode0x(stored) + " at block " + height
          + ", not " + Hex.encode0x(value));
    }
  }

  /**
   * Checks that {@code slot} of {@code account} is empty in the source's state at a verified
   * {@code height}.
   *
   * @throws CrossChainException when the client is frozen, the height is not verified, or the
   *     proof does not show the slot empty
   */
  public void verifyNonMembership(ConsensusStates known, long height, byte[] account,
      byte[] slot, AccountProof proof) {
    ProvenStorage storage = storageAt(known, height, account, proof);
    byte[] stored = storage.word(slot);
    storage.requireAllRead();
    if (!StateRoots.isZero(stored)) {
      throw new CrossChainException("slot " + Hex.encode0x(slot) + " of "
          + Hex.encode0x(account) + " is not empty at block " + height + ": it holds "
          + Hex.encode0x(stored));
    }
  }

  private ProvenStorage storageAt(ConsensusStates known, long height, byte[] account,
      AccountProof proof) {
    requireActive();
    ConsensusState state = known.at(height).filter(s -> s.height() == height)
        .orElseThrow(() -> new CrossChainException("block " + height + " of the source is not"
            + " one the client verified (or its owner no longer keeps it): prove against a"
            + " verified height"));
    return ProvenStorage.open(chain.suite(), state.stateRoot(), account, proof);
  }

  /** A header at or below the latest height: the one verified there, or a conflict. */
  private Update revisit(SourceHeader block, CommitCertificate sealed, ConsensusStates known) {
    Optional<ConsensusState> stored = known.at(block.number())
        .filter(s -> s.height() == block.number());
    if (stored.isEmpty()) {
      throw new CrossChainException("the client is at block " + latestHeight + " and does not"
          + " move back to block " + block.number());
    }
    ConsensusState verified = stored.get();
    if (Arrays.equals(verified.headerHash(), block.hash())) {
      return new Update.Known(verified); // changes nothing, so its certificate need not hold
    }
    requireDecidedByHeldSet(block.number());
    BigInteger signers = certify(block, sealed);
    return new Update.Frozen(freeze(new Evidence(block.number(), verified.headerHash(),
        names(verified.signers()), block.hash(), names(signers))));
  }

  private void requireDecidedByHeldSet(long height) {
    if (height <= validatorsAfter) {
      throw new CrossChainException("block " + height + " was decided by a validator set the"
          + " client no longer holds (it holds the set of the blocks after " + validatorsAfter
          + ")");
    }
  }

  private LightClient freeze(Evidence evidence) {
    return new LightClient(chain, latestHeight, latestHash, latestTimestamp, validators,
        changes, validatorsAfter, evidence);
  }

  private void requireActive() {
    if (frozen != null) {
      throw new CrossChainException("the client is frozen: two blocks at height "
          + frozen.height() + " were sealed by " + frozen.equivocators().size()
          + " validators in common; only governance can replace it");
    }
  }

  /** The signers, as bits by position, once the certificate is shown to seal the header. */
  private BigInteger certify(SourceHeader block, CommitCertificate certificate) {
    if (certificate.height() != block.number()) {
      throw new CrossChainException("the certificate is for height " + certificate.height()
          + ", the header is " + block);
    }
    if (!Arrays.equals(certificate.blockDigest(), block.hash())) {
      throw new CrossChainException("the certificate seals block "
          + Hex.encode0x(certificate.blockDigest()) + ", not " + block);
    }
    Optional<String> wrong = certificate.verify(validators, verifier);
    if (wrong.isPresent()) {
      throw new CrossChainException("the commit certificate of " + block + " does not prove"
          + " it final: " + wrong.get());
    }
    BigInteger signers = BigInteger.ZERO;
    for (CommitCertificate.Seal seal : certificate.seals()) {
      signers = signers.setBit(validators.indexOf(seal.address()));
    }
    return signers;
  }

  private List<ByteKey> names(BigInteger signers) {
    List<ByteKey> names = new ArrayList<>();
    for (int i = 0; i < validators.size(); i++) {
      if (signers.testBit(i)) {
        names.add(validators.get(i).address());
      }
    }
    return names;
  }

  private static CommitCertificate decodeCertificate(byte[] certificate) {
    try {
      return CommitCertificate.decode(certificate);
    } catch (MalformedMessageException e) {
      throw new CrossChainException("the commit certificate is malformed: " + e.getMessage());
    }
  }

  private static ConsensusState state(SourceHeader header, BigInteger signers) {
    return new ConsensusState(header.number(), header.hash(), header.stateRoot(),
        header.timestamp(), signers);
  }

  /** The validator set in the proven governance storage. */
  private static ValidatorSet readSet(SourceChain chain, ProvenStorage storage) {
    long count = storage.number(GovernanceSlots.validatorCount());
    if (count < 1 || count > io.chorus.consensus.Limits.VALIDATORS_MAX) {
      throw new CrossChainException("the proven validator set has " + count + " validators;"
          + " a set has 1 to " + io.chorus.consensus.Limits.VALIDATORS_MAX);
    }
    List<ValidatorSet.Validator> members = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      long length = storage.number(GovernanceSlots.validatorLength(i));
      if (length != GovernanceSlots.KEY_BYTES) {
        throw new CrossChainException("validator " + i + " is " + length + " bytes, not a"
            + " 64-byte key");
      }
      byte[] key = new byte[GovernanceSlots.KEY_BYTES];
      System.arraycopy(storage.word(GovernanceSlots.validatorChunk(i, 0)), 0, key, 0, 32);
      System.arraycopy(storage.word(GovernanceSlots.validatorChunk(i, 1)), 0, key, 32, 32);
      try {
        members.add(new ValidatorSet.Validator(new ByteKey(chain.suite().address(key)), key));
      } catch (IllegalArgumentException e) {
        throw new CrossChainException("validator " + i + " is not a key: " + e.getMessage());
      }
    }
    try {
      return new ValidatorSet(members);
    } catch (IllegalArgumentException e) {
      throw new CrossChainException("the proven validator set is not valid: " + e.getMessage());
    }
  }
}
