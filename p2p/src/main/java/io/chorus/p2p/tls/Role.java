package io.chorus.p2p.tls;

import java.util.Arrays;
import java.util.List;

/**
 * What a certificate's holder is in the consortium, written as the subject's OU so that
 * {@code openssl x509 -subject} shows it: a CA, a node, or one of the account roles the issue's
 * governance works with.
 */
public enum Role {
  /** The consortium root or an organisation's CA. */
  CA("ca"),
  /** A chain node: its certificate is its TLS identity and binds its consensus key. */
  NODE("node"),
  /** A member of the governance committee. */
  COMMITTEE("committee"),
  /** Runs validators on behalf of an organisation. */
  VALIDATOR_OPERATOR("validator-operator"),
  /** May deploy contracts. */
  DEPLOYER("deployer"),
  /** An ordinary account holder. */
  USER("user"),
  /** Reads, including private data where granted. */
  AUDITOR("auditor");

  private final String label;

  Role(String label) {
    this.label = label;
  }

  /** The OU text, e.g. {@code validator-operator}. */
  public String label() {
    return label;
  }

  /**
   * The role of an OU text.
   *
   * @throws IllegalArgumentException for an unknown label, naming the known ones
   */
  public static Role of(String label) {
    for (Role role : values()) {
      if (role.label.equals(label)) {
        return role;
      }
    }
    throw new IllegalArgumentException("unknown role '" + label + "'; roles are "
        + Arrays.stream(values()).map(Role::label).toList());
  }

  /** The labels of the roles a user certificate may carry. */
  public static List<String> userRoles() {
    return Arrays.stream(values()).filter(r -> r != CA && r != NODE).map(Role::label).toList();
  }
}
