package io.chorus.state.system;

import io.chorus.evm.Address;
import java.math.BigInteger;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The governance and permissions a chain starts with, as its genesis file states them.
 *
 * @param committee the members who vote, with their weights; empty (a chain with no
 *     validators and no committee given), nothing can be changed by vote
 * @param thresholds the weighted share of yes votes each kind needs; kinds not listed need
 *     {@link Threshold#DEFAULT}
 * @param roles accounts that start with roles ({@link Permissions#ROLE_SENDER} and
 *     {@link Permissions#ROLE_DEPLOYER} bits)
 * @param organisationDataKeys each member organisation's public data key (64 bytes, of the
 *     chain's suite), by its name as its certificates give it (subject O): what captures
 *     visible to it are sealed for ({@link Governance#organisationDataKey}); a proposal of kind
 *     {@link ProposalKind#ORG_DATA_KEY} adds or rotates one
 */
public record Consortium(
    List<Member> committee,
    Map<ProposalKind, Threshold> thresholds,
    boolean restrictSenders,
    boolean restrictDeployers,
    Map<Address, Long> roles,
    Map<String, byte[]> organisationDataKeys) {

  /** A committee member and its voting weight. */
  public record Member(Address account, BigInteger weight) {
    public Member {
      if (weight.signum() <= 0 || weight.bitLength() > 128) {
        throw new IllegalArgumentException("member " + account + ": weight must be in [1, 2^128),"
            + " got " + weight);
      }
    }
  }

  /** Passed when yes weight × denominator ≥ numerator × total weight. */
  public record Threshold(long numerator, long denominator) {
    /** Two thirds of the weight, as BFT quorums go. */
    public static final Threshold DEFAULT = new Threshold(2, 3);

    public Threshold {
      if (denominator <= 0 || numerator <= 0 || numerator > denominator
          || denominator > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("a threshold is n/d with 0 < n <= d < 2^31, got "
            + numerator + "/" + denominator);
      }
    }

    /** Parses {@code "2/3"}. */
    public static Threshold parse(String text) {
      String[] parts = text.split("/", -1);
      try {
        if (parts.length == 2) {
          return new Threshold(Long.parseLong(parts[0].trim()), Long.parseLong(parts[1].trim()));
        }
      } catch (NumberFormatException e) {
        // falls through to the message below
      }
      throw new IllegalArgumentException("a threshold is written n/d, like 2/3; got '" + text
          + "'");
    }

    @Override
    public String toString() {
      return numerator + "/" + denominator;
    }
  }

  public Consortium {
    if (committee.stream().map(Member::account).distinct().count() != committee.size()) {
      throw new IllegalArgumentException("a committee member is listed twice");
    }
    committee = List.copyOf(committee);
    EnumMap<ProposalKind, Threshold> all = new EnumMap<>(ProposalKind.class);
    for (ProposalKind kind : ProposalKind.values()) {
      all.put(kind, thresholds.getOrDefault(kind, Threshold.DEFAULT));
    }
    thresholds = Collections.unmodifiableMap(all);
    roles = Collections.unmodifiableMap(new TreeMap<>(roles));
    organisationDataKeys.forEach((name, key) -> {
      String problem = Governance.organisationDataKeyProblem(name, key);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
    });
    organisationDataKeys = Collections.unmodifiableMap(new TreeMap<>(organisationDataKeys));
  }

  /** A consortium whose organisations have no data keys yet. */
  public Consortium(List<Member> committee, Map<ProposalKind, Threshold> thresholds,
      boolean restrictSenders, boolean restrictDeployers, Map<Address, Long> roles) {
    this(committee, thresholds, restrictSenders, restrictDeployers, roles, Map.of());
  }

  /** This consortium with {@code keys} as its organisations' data keys. */
  public Consortium withOrganisationDataKeys(Map<String, byte[]> keys) {
    return new Consortium(committee, thresholds, restrictSenders, restrictDeployers, roles,
        keys);
  }

  /** An open chain governed by {@code members} with equal weights and the default thresholds. */
  public static Consortium open(List<Address> members) {
    return new Consortium(members.stream().map(a -> new Member(a, BigInteger.ONE)).toList(),
        Map.of(), false, false, Map.of());
  }
}
