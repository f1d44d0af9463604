package io.chorus.state.system;

import static io.chorus.state.system.CrossChainPair.succeeds;

import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import io.chorus.state.TransactionResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * The cross-chain applications compiled by solc ({@code state/tools/xapps.sh}: sources and
 * bytecode under {@code src/main/resources/xapps}), deployed and called as any contract is: by
 * transactions through the real state transition. Account 0 deploys them and is their admin.
 */
final class XApps {
  /** The gas bound the applications register their ports with. */
  static final long PORT_GAS = 500_000;
  static final Function REGISTER_PORT = Function.parse("registerPort(uint64)");
  static final Function BIND_PEER = Function.parse("bindPeer(string,string)");

  private XApps() {}

  /** The creation bytecode of contract {@code name}, as the build script wrote it. */
  static byte[] code(String name) {
    try (InputStream in = XApps.class.getResourceAsStream("/xapps/" + name + ".bin")) {
      if (in == null) {
        throw new IllegalStateException("no /xapps/" + name + ".bin: run state/tools/xapps.sh");
      }
      return Hex.decode(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deploys {@code name} from account 0 with ABI-encoded constructor arguments. */
  static Address deploy(NotaryChain chain, String name, byte[] constructorArgs) {
    byte[] code = code(name);
    byte[] init = new byte[code.length + constructorArgs.length];
    System.arraycopy(code, 0, init, 0, code.length);
    System.arraycopy(constructorArgs, 0, init, code.length, constructorArgs.length);
    TransactionResult deployed = succeeds(chain.send(0, null, init));
    return deployed.contractAddress();
  }

  /**
   * Deploys application {@code name} on both chains of the route, registers each as a port and
   * binds each to the other through the route's clients; the addresses, from's then to's.
   */
  static Address[] deployPair(CrossChainRoute route, String name) {
    Address here = deploy(route.from().chain(), name, new byte[0]);
    Address there = deploy(route.to().chain(), name, new byte[0]);
    succeeds(call(route.from().chain(), 0, here, REGISTER_PORT, BigInteger.valueOf(PORT_GAS)));
    succeeds(call(route.to().chain(), 0, there, REGISTER_PORT, BigInteger.valueOf(PORT_GAS)));
    succeeds(call(route.from().chain(), 0, here, BIND_PEER, route.fromClient(),
        there.toString()));
    succeeds(call(route.to().chain(), 0, there, BIND_PEER, route.toClient(), here.toString()));
    return new Address[] {here, there};
  }

  static TransactionResult call(NotaryChain chain, int from, Address app, Function f,
      Object... args) {
    return chain.send(from, app, f.encodeCallWithArgs(args).array());
  }

  /** The single value view {@code signature} of {@code app} answers. */
  static <T> T view(NotaryChain chain, Address app, String signature, String returns,
      Object... args) {
    Tuple answer = chain.viewOf(app, signature, returns, args);
    return answer.get(0);
  }
}
