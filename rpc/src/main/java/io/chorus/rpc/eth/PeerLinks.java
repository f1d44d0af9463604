package io.chorus.rpc.eth;

import io.chorus.evm.Address;
import java.time.Instant;

/**
 * What this node sees of the validators right now, beside the chain: for
 * {@code chorus_validatorHealth}. The node supplies it from its network member; the chain alone
 * cannot say whether a peer's session is up or what head it announced.
 */
public interface PeerLinks {
  /** This node's consensus address. */
  Address self();

  /** Whether this node is a member of a BFT network; false for a dev node, which is alone. */
  boolean networked();

  /** This node's own certificate, or null when it has none (a dev node). */
  Identity identity();

  /** What this node sees now of another validator. */
  Link link(Address validator);

  /**
   * Who holds a node certificate, from its subject.
   *
   * @param certificateNotAfter the end of the certificate's validity
   */
  record Identity(String organisation, String name, Instant certificateNotAfter) {}

  /**
   * A peer's session as this node sees it.
   *
   * @param head the head it last announced, or -1 when it announced none since it connected
   * @param identity from the certificate it presented; null when not connected
   */
  record Link(boolean connected, long head, Identity identity) {
    /** No session with the peer. */
    public static final Link NONE = new Link(false, -1, null);
  }

  /** A node with no network: it makes every block itself and has no peers. */
  static PeerLinks alone(Address self) {
    return new PeerLinks() {
      @Override
      public Address self() {
        return self;
      }

      @Override
      public boolean networked() {
        return false;
      }

      @Override
      public Identity identity() {
        return null;
      }

      @Override
      public Link link(Address validator) {
        return Link.NONE;
      }
    };
  }
}
