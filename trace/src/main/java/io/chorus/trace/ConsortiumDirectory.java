package io.chorus.trace;

import io.chorus.crypto.KeyPair;
import java.util.List;
import java.util.Optional;

/**
 * What visibility needs to know of this node in the consortium: its organisation, the data key
 * pairs of that organisation it holds, and its own consensus key pair. A capture visible only
 * to named organisations is sealed for their public data keys, which every capturer reads from
 * the chain's state (the genesis file and governance set them); a node opens it with its
 * organisation's data key, whether or not it was connected when the capture was made. The node
 * module supplies it from its node certificate (the organisation, its O) and the data key file
 * its organisation gave it; a node without a consortium PKI (a dev node) has {@link #NONE}.
 */
public interface ConsortiumDirectory {
  /** A node in no organisation: it captures for the whole consortium only, opens nothing. */
  ConsortiumDirectory NONE = new ConsortiumDirectory() {
    @Override
    public Optional<String> organisation() {
      return Optional.empty();
    }

    @Override
    public List<KeyPair> organisationDataKeys() {
      return List.of();
    }

    @Override
    public Optional<KeyPair> nodeKeyPair() {
      return Optional.empty();
    }
  };

  /** This node's organisation (its node certificate's O); empty for a node in none. */
  Optional<String> organisation();

  /**
   * The data key pairs of this node's organisation that it holds: the current one and those it
   * had before a rotation, so that captures sealed for an older key still open. Empty when its
   * organisation gave it none.
   */
  List<KeyPair> organisationDataKeys();

  /**
   * This node's consensus key pair, which opens the captures sealed before organisations had
   * data keys (for the nodes of the organisations named, as their capturer knew them); empty
   * with no organisation.
   */
  Optional<KeyPair> nodeKeyPair();
}
