package io.chorus.rpc.rest;

import io.chorus.evm.Address;
import java.util.Objects;
import java.util.Set;

/**
 * Who sent a request, as its credentials prove: the chain account it acts for and the roles it
 * holds (e.g. {@code notary.writer}).
 *
 * @param account the account the node signs for, or that must send a raw transaction
 * @param roles the roles granted to these credentials
 * @param credential which credentials proved it, for logs (e.g. {@code token 3f9a0c21}); never
 *     the secret
 */
public record Caller(Address account, Set<String> roles, String credential) {
  public Caller {
    Objects.requireNonNull(account, "account");
    roles = Set.copyOf(roles);
    Objects.requireNonNull(credential, "credential");
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }
}
