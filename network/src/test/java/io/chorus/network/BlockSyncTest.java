package io.chorus.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chorus.chain.Blockchain;
import io.chorus.codec.ByteKey;
import io.chorus.codec.Rlp;
import io.chorus.consensus.CommitCertificate;
import io.chorus.consensus.Config;
import io.chorus.consensus.MessageCodec;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.ledger.TxPool;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sync appends a peer's blocks only with a certificate of a quorum of this height's validators
 * over exactly that block: too few seals, seals of strangers, or a certificate of another block
 * are refused and counted, and the chain stays where it was.
 */
class BlockSyncTest {
  static final CryptoSuite SUITE = CryptoSuite.ethereum();
  static final List<KeyPair> VALIDATORS = new ArrayList<>();
  static final List<KeyPair> STRANGERS = new ArrayList<>();

  static {
    for (int i = 0; i < 4; i++) {
      VALIDATORS.add(SUITE.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, 10 + i)));
      STRANGERS.add(SUITE.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, 20 + i)));
    }
  }

  @TempDir Path source;
  @TempDir Path target;

  static Genesis genesis() {
    return new Genesis(BigInteger.valueOf(77), SUITE.name(), Genesis.FeeMode.ZERO, 30_000_000,
        1000, 0, new byte[0], VALIDATORS.stream().map(KeyPair::publicKey).toList(), Map.of());
  }

  @Test
  void onlyBlocksProvenFinalByTheirValidatorsAreAppended() {
    try (Blockchain peer = Blockchain.open(source, genesis(), TxPool.Limits.defaults());
        Blockchain chain = Blockchain.open(target, genesis(), TxPool.Limits.defaults());
        ConsensusStateFile state = ConsensusStateFile.open(
            target.resolve(NetworkMember.STATE_FILE))) {
      Blockchain.CommittedBlock block = peer.commit(peer.buildNext(
          Address.of(new byte[20]), 1, new byte[0]));
      byte[] hash = block.hash();
      BlockSync sync = sync(chain, state);
      ByteKey from = new ByteKey(new byte[20]);

      sync.onBlocks(from, blocks(block,
          certificate(chain, 1, hash, VALIDATORS.subList(0, 2))));
      sync.onBlocks(from, blocks(block, certificate(chain, 1, hash, STRANGERS)));
      sync.onBlocks(from, blocks(block, certificate(chain, 1, new byte[32], VALIDATORS)));
      assertEquals(3, sync.refusedBlocks());
      assertEquals(0, chain.head().number());

      sync.onBlocks(from, blocks(block,
          certificate(chain, 1, hash, VALIDATORS.subList(0, 3))));
      assertEquals(1, chain.head().number());
      assertArrayEquals(hash, chain.hashOf(chain.head()));
      assertEquals(1, sync.syncedBlocks());
    }
  }

  private static BlockSync sync(Blockchain chain, ConsensusStateFile state) {
    ValidatorSchedule schedule = new GovernedValidators(chain);
    Peers silent = new Peers() {
      @Override
      public void broadcast(int type, byte[] payload) {}

      @Override
      public boolean send(ByteKey peer, int type, byte[] payload) {
        return true;
      }
    };
    ConsensusDriver notValidating = new ConsensusDriver(chain,
        new ChainBlockSource(chain, Address.of(new byte[20])), schedule,
        height -> Config.defaults(), height -> null,
        state, InstantSource.system());
    return new BlockSync(chain, schedule, NetworkMember.verifier(chain), notValidating, silent);
  }

  private static byte[] blocks(Blockchain.CommittedBlock block, CommitCertificate certificate) {
    return Rlp.encodeList(List.of(Rlp.encodeList(List.of(
        Rlp.encodeBytes(block.block().encode()), Rlp.encodeBytes(certificate.encode())))));
  }

  private static CommitCertificate certificate(Blockchain chain, long height, byte[] digest,
      List<KeyPair> by) {
    byte[] sealed = NetworkMember.verifier(chain).hash(MessageCodec.sealBody(height, 0, digest));
    List<CommitCertificate.Seal> seals = new ArrayList<>();
    for (KeyPair keys : by) {
      seals.add(new CommitCertificate.Seal(new ByteKey(SUITE.address(keys.publicKey())),
          SUITE.sign(sealed, keys)));
    }
    return new CommitCertificate(height, 0, digest, seals);
  }
}
