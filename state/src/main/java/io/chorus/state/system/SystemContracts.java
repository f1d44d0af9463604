package io.chorus.state.system;

import com.esaulpaugh.headlong.abi.Function;
import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import io.chorus.crosschain.GovernanceSlots;
import io.chorus.crypto.HashFunction;
import io.chorus.evm.Address;
import io.chorus.evm.BlockEnv;
import io.chorus.evm.Journal;
import io.chorus.evm.NativeContracts;
import io.chorus.evm.Result;
import io.chorus.evm.Status;
import io.chorus.state.WorldState;
import io.chorus.trace.epcis.CaptureCall;
import io.chorus.tx.Transaction;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The system contracts: native Java at fixed addresses, called with Solidity's ABI (see
 * {@code system/*.sol} in this module's resources), their data in their own account's storage.
 * A transaction, {@code eth_call} or a contract's CALL or STATICCALL runs it (a contract that
 * is a committee member votes as itself); the code stored at the address is one INVALID
 * opcode, so that tools see a contract there and DELEGATECALL fails.
 */
public final class SystemContracts {
  /** Committee, proposals, votes and the validator set: {@code Governance.sol}. */
  public static final Address GOVERNANCE = Address.of(GovernanceSlots.address());
  /** Roles, restrictions, frozen accounts, method rules: {@code Permissions.sol}. */
  public static final Address PERMISSIONS = Address.parse(
      "0x0000000000000000000000000000000000001001");
  /** Notarization (存证) records, attestations and batch anchors: {@code Notary.sol}. */
  public static final Address NOTARY = Address.parse(
      "0x0000000000000000000000000000000000001002");
  /** Anchors of captured GS1 EPCIS events, carried in their call data: {@code Trace.sol}. */
  public static final Address TRACE = Address.parse(CaptureCall.CONTRACT);
  /**
   * Receivables (供应链金融) as ERC-3525 pieces: issue, split, financing, payment:
   * {@code Receivables.sol}.
   */
  public static final Address RECEIVABLES = Address.parse(
      "0x0000000000000000000000000000000000001004");
  /**
   * Government data sharing (政务数据共享): the catalogue, applications, grants and the audit
   * of every access: {@code DataSharing.sol}.
   */
  public static final Address DATA_SHARING = Address.parse(
      "0x0000000000000000000000000000000000001005");
  /**
   * Light clients of other Chorus chains, created by vote and updated by anyone with certified
   * headers: {@code CrossChain.sol}.
   */
  public static final Address CROSSCHAIN = Address.parse(
      "0x0000000000000000000000000000000000001006");
  /** The code stored at each system address: one INVALID opcode. */
  static final byte[] CODE = {(byte) 0xFE};

  private SystemContracts() {}

  /**
   * A system contract's name and its JSON ABI, as solc compiles its interface ({@code
   * system/NAME.abi.json} beside {@code NAME.sol}; {@code state/tools/system-abi.sh} makes it).
   */
  public record Described(Address address, String name, String abiJson) {}

  /** The system contracts with their names and JSON ABIs, for tools that decode calls. */
  public static List<Described> described() {
    return List.of(new Described(GOVERNANCE, "ChorusGovernance", abiJson("Governance")),
        new Described(PERMISSIONS, "ChorusPermissions", abiJson("Permissions")),
        new Described(NOTARY, "ChorusNotary", abiJson("Notary")),
        new Described(TRACE, "ChorusTrace", abiJson("Trace")),
        new Described(RECEIVABLES, "ChorusReceivables", abiJson("Receivables")),
        new Described(DATA_SHARING, "ChorusDataSharing", abiJson("DataSharing")),
        new Described(CROSSCHAIN, "ChorusCrossChain", abiJson("CrossChain")));
  }

  static String abiJson(String contract) {
    String resource = "/system/" + contract + ".abi.json";
    try (InputStream in = SystemContracts.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the state jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  public static boolean isSystem(Address address) {
    return GOVERNANCE.equals(address) || PERMISSIONS.equals(address)
        || NOTARY.equals(address) || TRACE.equals(address) || RECEIVABLES.equals(address)
        || DATA_SHARING.equals(address)
        || CROSSCHAIN.equals(address);
  }

  /**
   * The block and transaction a call runs in, as the system contracts see them.
   *
   * @param txHash the hash of the transaction being run, computed only when a contract records
   *     it (in {@code eth_call}, the hash of whatever bytes the call was built from)
   * @param chainId what signatures over terms bind, so that they hold on this chain only
   */
  record Context(long blockNumber, long timestamp, Supplier<byte[]> txHash,
      BigInteger chainId) {}

  /** A reason a call reverts with, returned to the caller as Solidity's Error(string). */
  static final class Revert extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Revert(String reason) {
      super(reason, null, false, false);
    }
  }

  /** The function among {@code functions} whose selector starts {@code input}, or null. */
  static Function match(List<Function> functions, byte[] input) {
    if (input.length < Function.SELECTOR_LEN) {
      return null;
    }
    byte[] selector = Arrays.copyOf(input, Function.SELECTOR_LEN);
    for (Function f : functions) {
      if (Arrays.equals(f.selector(), selector)) {
        return f;
      }
    }
    return null;
  }

  /** The system contracts as the EVM calls them, running {@code tx} in {@code block}. */
  public static NativeContracts natives(BlockEnv block, Transaction tx, HashFunction hash) {
    Context context = new Context(block.number(), block.timestamp(),
        () -> hash.hash(tx.encoded()), block.chainId());
    return new NativeContracts() {
      @Override
      public boolean has(Address address) {
        return isSystem(address);
      }

      @Override
      public Result call(Journal journal, Address caller, Address to, BigInteger value,
          byte[] input, long gas, boolean isStatic, Outcall outcall) {
        return SystemContracts.call(journal, caller, to, value, input, gas, context, isStatic,
            hash, outcall);
      }
    };
  }

  /**
   * Runs a message call to the system contract at {@code to} within {@code gas}: its writes go
   * to {@code journal} and are undone when it reverts or runs out of gas.
   *
   * @param isStatic true for a read-only call, which may not propose or vote
   * @param outcall how the contract calls an application contract in turn (the router its
   *     ports)
   */
  static Result call(Journal journal, Address sender, Address to, BigInteger value,
      byte[] input, long gas, Context context, boolean isStatic, HashFunction hash,
      NativeContracts.Outcall outcall) {
    int snapshot = journal.snapshot();
    if (gas < Governance.CALL_GAS) {
      return new Result(Status.OUT_OF_GAS, 0, Bytes.EMPTY, null);
    }
    SystemStorage storage = SystemStorage.calling(to, journal, gas - Governance.CALL_GAS,
        outcall);
    try {
      if (value.signum() != 0) {
        throw new Revert("system contracts take no value");
      }
      byte[] output;
      String name;
      if (GOVERNANCE.equals(to)) {
        output = Governance.call(storage, sender, input, context.blockNumber(), isStatic, hash);
        name = "governance";
      } else if (PERMISSIONS.equals(to)) {
        output = Permissions.view(storage, input);
        name = "permissions";
      } else if (NOTARY.equals(to)) {
        output = NotaryContract.call(storage, sender, input, context, isStatic);
        name = "notary";
      } else if (TRACE.equals(to)) {
        output = TraceContract.call(storage, sender, input, context, isStatic);
        name = "trace";
      } else if (RECEIVABLES.equals(to)) {
        output = ReceivablesContract.call(storage, sender, input, context, isStatic, hash);
        name = "receivables";
      } else if (DATA_SHARING.equals(to)) {
        output = DataSharingContract.call(storage, sender, input, context, isStatic, hash);
        name = "data sharing";
      } else {
        output = CrossChainContract.call(storage, sender, input, context, isStatic, hash);
        name = "cross-chain";
      }
      if (output == null) {
        throw new Revert("the " + name + " contract has no function with selector 0x"
            + Hex.encode(Arrays.copyOf(input, Math.min(4, input.length))));
      }
      return new Result(Status.SUCCESS, storage.gasLeft(), output, null);
    } catch (Revert e) {
      journal.revertTo(snapshot);
      return new Result(Status.REVERT, storage.gasLeft(), Abi.revertData(e.getMessage()), null);
    } catch (IllegalArgumentException | ArithmeticException | BufferUnderflowException e) {
      // The ABI library's answer to malformed or truncated call data, or a number out of range.
      journal.revertTo(snapshot);
      return new Result(Status.REVERT, storage.gasLeft(),
          Abi.revertData("malformed call data: " + e.getMessage()), null);
    } catch (SystemStorage.OutOfGas e) {
      journal.revertTo(snapshot);
      return new Result(Status.OUT_OF_GAS, 0, Bytes.EMPTY, null);
    }
  }

  /**
   * What runs at the start of block {@code number}, before its transactions: passed proposals
   * take effect. Unmetered: it is the chain's own work, bounded by the proposals queued.
   */
  public static void beginBlock(Journal journal, HashFunction hash, long number) {
    Governance.beginBlock(SystemStorage.writable(GOVERNANCE, journal, Long.MAX_VALUE),
        SystemStorage.writable(PERMISSIONS, journal, Long.MAX_VALUE),
        SystemStorage.writable(NOTARY, journal, Long.MAX_VALUE),
        SystemStorage.writable(RECEIVABLES, journal, Long.MAX_VALUE),
        SystemStorage.writable(DATA_SHARING, journal, Long.MAX_VALUE),
        SystemStorage.writable(CROSSCHAIN, journal, Long.MAX_VALUE), hash, number);
  }

  /** Writes the system contracts' code and initial storage into a genesis state. */
  public static void genesis(WorldState state, Consortium consortium, List<byte[]> validators,
      long gasLimit, long blockIntervalMs, boolean zeroFees, HashFunction hash) {
    state.put(GOVERNANCE, 1, BigInteger.ZERO, CODE, Map.of());
    state.put(PERMISSIONS, 1, BigInteger.ZERO, CODE, Map.of());
    state.put(NOTARY, 1, BigInteger.ZERO, CODE, Map.of());
    state.put(TRACE, 1, BigInteger.ZERO, CODE, Map.of());
    state.put(RECEIVABLES, 1, BigInteger.ZERO, CODE, Map.of());
    state.put(DATA_SHARING, 1, BigInteger.ZERO, CODE, Map.of());
    state.put(CROSSCHAIN, 1, BigInteger.ZERO, CODE, Map.of());
    Journal journal = new Journal(state, hash);
    Governance.genesis(SystemStorage.writable(GOVERNANCE, journal, Long.MAX_VALUE), consortium,
        validators, gasLimit, blockIntervalMs, zeroFees, hash);
    Permissions.genesis(SystemStorage.writable(PERMISSIONS, journal, Long.MAX_VALUE),
        consortium);
    state.apply(journal.finish());
  }
}
