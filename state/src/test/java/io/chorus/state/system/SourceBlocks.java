package io.chorus.state.system;

import io.chorus.codec.ByteKey;
import io.chorus.codec.Rlp;
import io.chorus.consensus.CommitCertificate;
import io.chorus.consensus.MessageCodec;
import io.chorus.crosschain.AccountProof;
import io.chorus.crosschain.GovernanceSlots;
import io.chorus.crosschain.SourceChain;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.evm.Word;
import io.chorus.state.WorldState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link NotaryChain} seen from another chain: headers over the states its real state
 * transition computed, commit certificates sealed by its test keys under its chain domain, and
 * governance proofs from those states as {@code eth_getProof} gives them. Only the header's
 * other fields are made up (a header comes from the ledger, above this module): the light
 * client reads the number, time and state root, and the certificate seals the whole header.
 */
final class SourceBlocks {
  final NotaryChain chain;
  final SourceChain source;

  /** A header and the state under its root, to prove from. */
  record Block(byte[] header, long number, WorldState state) {}

  SourceBlocks(NotaryChain chain) {
    this.chain = chain;
    byte[] genesis = header(0, NotaryChain.GENESIS_TIME, chain.snapshot().rootHash(), "");
    this.source = new SourceChain(NotaryChain.CHAIN_ID, chain.suite, chain.suite.hash(genesis));
  }

  /** The block being built, sealed over the state as it stands now. */
  Block seal() {
    return seal("");
  }

  /** The same, with {@code extra} in its extraData: a twin at the same height. */
  Block seal(String extra) {
    WorldState state = chain.snapshot();
    return new Block(header(chain.number, chain.timestamp(), state.rootHash(), extra),
        chain.number, state);
  }

  /** A certificate of {@code block} sealed by the chain's test accounts {@code signers}. */
  byte[] certificate(Block block, int... signers) {
    return certificate(block, java.util.Arrays.stream(signers).mapToObj(i -> chain.keys[i])
        .toList());
  }

  /** A certificate of {@code block} sealed by a quorum of the chain's genesis validators. */
  byte[] quorumCertificate(Block block) {
    int n = chain.validatorKeys.length;
    return certificate(block, List.of(chain.validatorKeys).subList(0, (2 * n + 2) / 3));
  }

  private byte[] certificate(Block block, List<KeyPair> signers) {
    byte[] hash = chain.suite.hash(block.header());
    byte[] sealed = source.verifier().hash(MessageCodec.sealBody(block.number(), 0, hash));
    List<CommitCertificate.Seal> seals = new ArrayList<>();
    for (KeyPair key : signers) {
      seals.add(new CommitCertificate.Seal(new ByteKey(chain.suite.address(key.publicKey())),
          chain.suite.sign(sealed, key)));
    }
    return new CommitCertificate(block.number(), 0, hash, seals).encode();
  }

  /** The governance slots an update to {@code block} proves, for a client that followed some. */
  AccountProof forUpdate(Block block, long clientChanges) {
    long changes = Governance.validatorChanges(block.state());
    long nextChangeAt = changes > clientChanges
        ? Governance.validatorChangedAt(block.state(), clientChanges + 1) : 0;
    return governance(block, GovernanceSlots.forUpdate(clientChanges, changes, nextChangeAt,
        block.number(), Governance.validators(block.state()).size()));
  }

  AccountProof forCreate(Block block) {
    return governance(block, GovernanceSlots.forCreate(
        Governance.validators(block.state()).size()));
  }

  AccountProof governance(Block block, List<byte[]> slots) {
    return storage(block, SystemContracts.GOVERNANCE, slots);
  }

  /** The proof of {@code slots} of {@code account} in the block's state, as eth_getProof. */
  AccountProof storage(Block block, Address account, List<byte[]> slots) {
    WorldState.Proof proof = block.state().prove(account,
        slots.stream().map(Word::fromBytes).toList());
    Map<ByteKey, List<byte[]>> bySlot = new LinkedHashMap<>();
    for (int i = 0; i < slots.size(); i++) {
      bySlot.put(new ByteKey(slots.get(i)), proof.storageProofs().get(i));
    }
    return new AccountProof(account.toArray(), proof.accountProof(), bySlot);
  }

  private static byte[] header(long number, long timestamp, byte[] stateRoot, String extra) {
    return Rlp.encodeList(Rlp.encodeBytes(new byte[32]), Rlp.encodeBytes(new byte[32]),
        Rlp.encodeBytes(new byte[20]), Rlp.encodeBytes(stateRoot), Rlp.encodeBytes(new byte[32]),
        Rlp.encodeBytes(new byte[32]), Rlp.encodeBytes(new byte[256]), Rlp.encodeUnsignedLong(0),
        Rlp.encodeUnsignedLong(number), Rlp.encodeUnsignedLong(100_000_000),
        Rlp.encodeUnsignedLong(0), Rlp.encodeUnsignedLong(timestamp),
        Rlp.encodeBytes(("chorus test" + extra).getBytes(StandardCharsets.US_ASCII)),
        Rlp.encodeBytes(new byte[32]), Rlp.encodeBytes(new byte[8]), Rlp.encodeUnsignedLong(0));
  }
}
