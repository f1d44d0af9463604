package io.chorus.state.system;

import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import io.chorus.evm.StateReader;
import io.chorus.evm.Word;
import io.chorus.tx.Transaction;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The permissions system contract: who may send transactions, who may deploy contracts, which
 * accounts and contracts are frozen, and per-contract method rules by 4-byte selector. Its
 * storage is written only by governance (passed proposals) and genesis; transactions read it
 * through the views in {@code Permissions.sol}. {@link #refusal} is the rule the state
 * transition and the pool apply to every transaction.
 */
public final class Permissions {
  /** May send transactions when senders are restricted. */
  public static final long ROLE_SENDER = 1;
  /** May create contracts when deployers are restricted. */
  public static final long ROLE_DEPLOYER = 2;
  /** A core enterprise whose signed terms issue receivables: {@link #RECEIVABLES_OBLIGOR}. */
  public static final long ROLE_RECEIVABLES_OBLIGOR = 4;
  /** A bank or factor that may finance receivables: {@link #RECEIVABLES_BANK}. */
  public static final long ROLE_RECEIVABLES_BANK = 8;
  /**
   * The data authority (政务数据主管部门) of data sharing, which checks every application:
   * {@link #SHARING_AUTHORITY}.
   */
  public static final long ROLE_SHARING_AUTHORITY = 16;
  /**
   * A regulator of supply-chain finance, which reads every account's receivables lists:
   * {@link #RECEIVABLES_REGULATOR}.
   */
  public static final long ROLE_RECEIVABLES_REGULATOR = 32;
  /** Every role bit governance may grant. */
  public static final long ROLES_KNOWN = ROLE_SENDER | ROLE_DEPLOYER | ROLE_RECEIVABLES_OBLIGOR
      | ROLE_RECEIVABLES_BANK | ROLE_SHARING_AUTHORITY | ROLE_RECEIVABLES_REGULATOR;
  public static final String RECEIVABLES_OBLIGOR = "receivables.obligor";
  public static final String RECEIVABLES_BANK = "receivables.bank";
  public static final String SHARING_AUTHORITY = "sharing.authority";
  public static final String RECEIVABLES_REGULATOR = "receivables.regulator";
  /** The roles by the names genesis files and messages give them, in bit order. */
  public static final Map<String, Long> ROLE_NAMES = rolesByName();

  /** Method access rules of a contract's selector. */
  public static final int METHOD_DEFAULT = 0;
  public static final int METHOD_ALLOWED = 1;
  public static final int METHOD_DENIED = 2;

  static final long FLAG_RESTRICT_SENDERS = 1;
  static final long FLAG_RESTRICT_DEPLOYERS = 2;
  /** Set once any account is frozen or any method rule made: only then are they looked up. */
  static final long FLAG_RULES = 4;

  static final Word FLAGS = SystemStorage.slot("flags");

  private static final Function RESTRICTIONS =
      Function.parse("restrictions()", "(bool,bool)");
  private static final Function ROLES = Function.parse("roles(address)", "(uint256)");
  private static final Function IS_FROZEN = Function.parse("isFrozen(address)", "(bool)");
  private static final Function METHOD_ACCESS =
      Function.parse("methodAccess(address,bytes4)", "(uint8)");
  private static final Function CAN_SEND = Function.parse("canSend(address)", "(bool)");
  private static final Function CAN_DEPLOY = Function.parse("canDeploy(address)", "(bool)");
  private static final Function IS_CERTIFICATE_REVOKED =
      Function.parse("isCertificateRevoked(uint256)", "(bool)");
  static final List<Function> VIEWS = List.of(RESTRICTIONS, ROLES, IS_FROZEN, METHOD_ACCESS,
      CAN_SEND, CAN_DEPLOY, IS_CERTIFICATE_REVOKED);

  private Permissions() {}

  private static Map<String, Long> rolesByName() {
    Map<String, Long> names = new LinkedHashMap<>();
    names.put("sender", ROLE_SENDER);
    names.put("deployer", ROLE_DEPLOYER);
    names.put(RECEIVABLES_OBLIGOR, ROLE_RECEIVABLES_OBLIGOR);
    names.put(RECEIVABLES_BANK, ROLE_RECEIVABLES_BANK);
    names.put(SHARING_AUTHORITY, ROLE_SHARING_AUTHORITY);
    names.put(RECEIVABLES_REGULATOR, ROLE_RECEIVABLES_REGULATOR);
    return Collections.unmodifiableMap(names);
  }

  static Word rolesSlot(Address account) {
    return SystemStorage.slot("roles", account);
  }

  static Word frozenSlot(Address account) {
    return SystemStorage.slot("frozen", account);
  }

  static Word methodSlot(Address contract, byte[] selector) {
    return SystemStorage.slot("method", contract, selector);
  }

  static Word allowedCountSlot(Address contract) {
    return SystemStorage.slot("allowedCount", contract);
  }

  static Word revokedSlot(BigInteger serial) {
    return SystemStorage.slot("revoked", Word.fromBigInteger(serial));
  }

  /**
   * Why {@code sender} may not send {@code tx} in the state {@code state}, or empty when it
   * may. A committee member may always call the governance contract, so that no rule can lock
   * the committee out of changing the rules.
   */
  public static Optional<String> refusal(StateReader state, Transaction tx, Address sender) {
    SystemStorage storage = SystemStorage.readOnly(SystemContracts.PERMISSIONS, state);
    long flags = storage.readLong(FLAGS);
    if (flags == 0) {
      return Optional.empty();
    }
    boolean rules = (flags & FLAG_RULES) != 0;
    if (rules && !storage.read(frozenSlot(sender)).isZero()) {
      return Optional.of("not permitted: sender " + sender + " is frozen");
    }
    Address to = tx.isCreation() ? null : Address.of(tx.to());
    if (SystemContracts.GOVERNANCE.equals(to) && Governance.isMember(state, sender)) {
      return Optional.empty();
    }
    long roles = storage.readLong(rolesSlot(sender));
    if ((flags & FLAG_RESTRICT_SENDERS) != 0 && (roles & ROLE_SENDER) == 0) {
      return Optional.of("not permitted: sender " + sender + " lacks the sender role"
          + " (senders are restricted; governance grants roles)");
    }
    if (to == null) {
      if ((flags & FLAG_RESTRICT_DEPLOYERS) != 0 && (roles & ROLE_DEPLOYER) == 0) {
        return Optional.of("not permitted: sender " + sender + " lacks the deployer role"
            + " (deployers are restricted; governance grants roles)");
      }
      return Optional.empty();
    }
    if (!rules) {
      return Optional.empty();
    }
    if (!storage.read(frozenSlot(to)).isZero()) {
      return Optional.of("not permitted: contract " + to + " is frozen");
    }
    byte[] data = tx.data();
    byte[] selector = Arrays.copyOf(data, 4); // short call data: padded as Solidity reads it
    long access = storage.readLong(methodSlot(to, selector));
    if (access == METHOD_DENIED) {
      return Optional.of("not permitted: method 0x" + Hex.encode(selector)
          + " of contract " + to + " is denied");
    }
    if (access != METHOD_ALLOWED && storage.readLong(allowedCountSlot(to)) > 0) {
      return Optional.of("not permitted: contract " + to + " allows only listed methods, and 0x"
          + Hex.encode(selector) + " is not one of them");
    }
    return Optional.empty();
  }

  /** Whether {@code state} restricts no sender, deployer, account or method at all. */
  public static boolean unrestricted(StateReader state) {
    return SystemStorage.readOnly(SystemContracts.PERMISSIONS, state).read(FLAGS).isZero();
  }

  /**
   * Whether the committee revoked certificate {@code serial} in {@code state}: what peer
   * admission can consult besides the CA's own revocation list.
   */
  public static boolean isCertificateRevoked(StateReader state, BigInteger serial) {
    return !SystemStorage.readOnly(SystemContracts.PERMISSIONS, state).read(revokedSlot(serial))
        .isZero();
  }

  /** Genesis: the restrictions and the accounts that start with roles. */
  static void genesis(SystemStorage storage, Consortium consortium) {
    long flags = (consortium.restrictSenders() ? FLAG_RESTRICT_SENDERS : 0)
        | (consortium.restrictDeployers() ? FLAG_RESTRICT_DEPLOYERS : 0);
    storage.write(FLAGS, flags);
    for (var entry : consortium.roles().entrySet()) {
      storage.write(rolesSlot(entry.getKey()), entry.getValue());
    }
  }

  static void setRestrictions(SystemStorage storage, boolean senders, boolean deployers) {
    long flags = storage.readLong(FLAGS) & FLAG_RULES;
    storage.write(FLAGS, flags | (senders ? FLAG_RESTRICT_SENDERS : 0)
        | (deployers ? FLAG_RESTRICT_DEPLOYERS : 0));
  }

  static void setRoles(SystemStorage storage, Address account, long roles) {
    storage.write(rolesSlot(account), roles);
  }

  static long roles(SystemStorage storage, Address account) {
    return storage.readLong(rolesSlot(account));
  }

  static void setFrozen(SystemStorage storage, Address account, boolean frozen) {
    markRules(storage);
    storage.write(frozenSlot(account), frozen ? 1 : 0);
  }

  static void setMethodAccess(SystemStorage storage, Address contract, byte[] selector,
      int access) {
    markRules(storage);
    Word slot = methodSlot(contract, selector);
    long old = storage.readLong(slot);
    long allowed = storage.readLong(allowedCountSlot(contract));
    allowed += (access == METHOD_ALLOWED ? 1 : 0) - (old == METHOD_ALLOWED ? 1 : 0);
    storage.write(allowedCountSlot(contract), allowed);
    storage.write(slot, access);
  }

  static void revokeCertificate(SystemStorage storage, BigInteger serial) {
    storage.write(revokedSlot(serial), 1);
  }

  private static void markRules(SystemStorage storage) {
    long flags = storage.readLong(FLAGS);
    if ((flags & FLAG_RULES) == 0) {
      storage.write(FLAGS, flags | FLAG_RULES);
    }
  }

  /** Answers a view call; null when the selector is none of the contract's. */
  static byte[] view(SystemStorage storage, byte[] input) {
    Function f = SystemContracts.match(VIEWS, input);
    if (f == null) {
      return null;
    }
    Tuple args = f.decodeCall(input);
    long flags = storage.readLong(FLAGS);
    Object result;
    if (f == RESTRICTIONS) {
      return Abi.bytes(f.getOutputs().encode(Tuple.of((flags & FLAG_RESTRICT_SENDERS) != 0,
          (flags & FLAG_RESTRICT_DEPLOYERS) != 0)));
    } else if (f == ROLES) {
      result = BigInteger.valueOf(roles(storage, Abi.fromAbi(args.get(0))));
    } else if (f == IS_FROZEN) {
      result = !storage.read(frozenSlot(Abi.fromAbi(args.get(0)))).isZero();
    } else if (f == METHOD_ACCESS) {
      result = (int) storage.readLong(methodSlot(Abi.fromAbi(args.get(0)), args.get(1)));
    } else if (f == CAN_SEND || f == CAN_DEPLOY) {
      Address account = Abi.fromAbi(args.get(0));
      long roles = roles(storage, account);
      boolean frozen = !storage.read(frozenSlot(account)).isZero();
      result = !frozen && (f == CAN_SEND
          ? (flags & FLAG_RESTRICT_SENDERS) == 0 || (roles & ROLE_SENDER) != 0
          : ((flags & FLAG_RESTRICT_SENDERS) == 0 || (roles & ROLE_SENDER) != 0)
              && ((flags & FLAG_RESTRICT_DEPLOYERS) == 0 || (roles & ROLE_DEPLOYER) != 0));
    } else {
      result = !storage.read(revokedSlot(args.get(0))).isZero();
    }
    return Abi.bytes(f.getOutputs().encode(Tuple.singleton(result)));
  }
}
