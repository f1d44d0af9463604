package io.chorus.state;

import io.chorus.evm.Address;
import io.chorus.evm.Word;
import java.util.Map;
import java.util.Set;

/**
 * The keys of the world state a block changed, for the node's history index: the accounts whose
 * nonce, balance or code hash changed (created and deleted ones included), and per account the
 * storage slots whose value changed. A slot written with the value it already held is not a
 * change.
 */
public record StateChanges(Set<Address> accounts, Map<Address, Set<Word>> slots) {
  /** No change: what a block that only read the state leaves. */
  public static final StateChanges NONE = new StateChanges(Set.of(), Map.of());

  public StateChanges {
    accounts = Set.copyOf(accounts);
    slots = Map.copyOf(slots);
  }
}
