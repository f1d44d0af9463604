package io.chorus.trace;

import io.chorus.crypto.KeyPair;
import java.util.List;
import java.util.Optional;

/**
 * What visibility needs to know of the consortium: this node's organisation and consensus key
 * pair, and the consensus public keys of the nodes of an organisation that this node knows. A
 * capture visible only to named organisations is sealed for those keys; a node opens a sealed
 * capture with its own key pair. The node module supplies it from its TLS identity and its
 * peers' node certificates (each binds an organisation, its O, to a consensus key); a node
 * without a consortium PKI (a dev node) has {@link #NONE}.
 */
public interface ConsortiumDirectory {
  /** A node in no organisation: it captures for the whole consortium only, opens nothing. */
  ConsortiumDirectory NONE = new ConsortiumDirectory() {
    @Override
    public Optional<String> organisation() {
      return Optional.empty();
    }

    @Override
    public Optional<KeyPair> nodeKeyPair() {
      return Optional.empty();
    }

    @Override
    public List<byte[]> nodePublicKeys(String organisation) {
      return List.of();
    }
  };

  /** This node's organisation (its node certificate's O); empty for a node in none. */
  Optional<String> organisation();

  /** This node's consensus key pair, to open captures sealed for it; empty with no organisation. */
  Optional<KeyPair> nodeKeyPair();

  /**
   * The consensus public keys (64 bytes each) of the nodes of {@code organisation} that this
   * node knows now: its own when it is its organisation, and those of its connected peers whose
   * node certificates name it. Empty when it knows none.
   */
  List<byte[]> nodePublicKeys(String organisation);
}
