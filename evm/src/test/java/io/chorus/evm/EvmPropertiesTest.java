package io.chorus.evm;

import static io.chorus.evm.Opcodes.*;
import static java.math.BigInteger.ONE;
import static java.math.BigInteger.ZERO;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import java.math.BigInteger;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * Properties over random programs. Biased random bytecode (defined opcodes, pushes of small and
 * extreme values, JUMPDESTs, calls and creations) with random calldata and gas never makes the
 * EVM throw and always keeps {@link RunInvariants}, and the same run twice gives the same result.
 * Separately, every arithmetic, comparison and bitwise opcode agrees with a BigInteger model
 * written from the Yellow Paper's definitions, gas included.
 */
class EvmPropertiesTest {
  private static final BigInteger TWO_256 = ONE.shiftLeft(256);
  private static final BigInteger MAX = TWO_256.subtract(ONE);
  private static final BigInteger SIGN = ONE.shiftLeft(255);
  private static final RandomDistribution UNIFORM = RandomDistribution.uniform();

  /** Values where word arithmetic breaks: limb and sign boundaries, memory limits. */
  private static final List<BigInteger> EDGES = List.of(ZERO, ONE, BigInteger.TWO,
      BigInteger.valueOf(31), BigInteger.valueOf(32), BigInteger.valueOf(255),
      BigInteger.valueOf(256), BigInteger.valueOf(Limits.MEMORY_BYTES_MAX),
      ONE.shiftLeft(31), ONE.shiftLeft(32), BigInteger.valueOf(Long.MAX_VALUE),
      ONE.shiftLeft(63), ONE.shiftLeft(64).subtract(ONE), ONE.shiftLeft(64),
      ONE.shiftLeft(128).subtract(ONE), ONE.shiftLeft(128), ONE.shiftLeft(192),
      SIGN.subtract(ONE), SIGN, SIGN.add(ONE), MAX.subtract(BigInteger.valueOf(31)),
      MAX.subtract(ONE), MAX);

  // Initcodes for the creation pieces: deploys 8 bytes, self-destructs, reverts, returns 0xEF.
  private static final List<byte[]> INITCODES = List.of(
      new Asm().push(Hex.decode("602a5f5260205ff3")).op(PUSH0, MSTORE).push(8).push(24)
          .op(RETURN).bytes(),
      new Asm().push(Harness.OTHER).op(SELFDESTRUCT).bytes(),
      new byte[] {PUSH0, PUSH0, (byte) REVERT},
      new Asm().push(0xEF).op(PUSH0, MSTORE8).push(1).op(PUSH0, RETURN).bytes(),
      new byte[0]);

  private static final List<Address> TARGETS = List.of(Harness.CONTRACT, Harness.OTHER,
      Harness.SENDER, RunInvariants.EMPTY, Address.ofIndex(1), Address.ofIndex(4),
      Address.parse("0x00000000000000000000000000000000deadbeef"));

  @Provide
  static Arbitrary<byte[]> programs() {
    return pieces().list().ofMaxSize(60).map(EvmPropertiesTest::concat);
  }

  @Provide
  static Arbitrary<byte[]> smallPrograms() {
    return pieces().list().ofMaxSize(20).map(EvmPropertiesTest::concat);
  }

  @Provide
  static Arbitrary<byte[]> calldata() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
  }

  @Provide
  static Arbitrary<Long> gas() {
    // Mostly budgets where gas boundaries are hit, some for deep recursion; drawn uniformly, as
    // jqwik's default bias toward small numbers would make most of them tiny.
    return Arbitraries.frequencyOf(List.of(
        Tuple.of(6, Arbitraries.longs().between(0, 100_000).withDistribution(UNIFORM)),
        Tuple.of(3, Arbitraries.longs().between(0, 1_000_000).withDistribution(UNIFORM)),
        Tuple.of(1, Arbitraries.longs().between(0, 10_000_000).withDistribution(UNIFORM))));
  }

  private static Arbitrary<byte[]> pieces() {
    Integer[] defined = IntStream.range(0, 256)
        .filter(op -> STATIC_GAS[op] >= 0 && (op < PUSH1 || op > PUSH32))
        .boxed().toArray(Integer[]::new);
    Arbitrary<byte[]> opcode = Arbitraries.of(defined).map(op -> new byte[] {(byte) (int) op});
    // Most opcodes come with as many pushed operands as they pop, so runs get somewhere.
    Arbitrary<byte[]> opWithOperands = Arbitraries.of(defined).flatMap(op -> operands()
        .list().ofSize(STACK_IN[op]).map(pushes -> concat(pushes, new byte[] {(byte) (int) op})));
    Arbitrary<byte[]> call = Combinators.combine(
            Arbitraries.of(CALL, CALLCODE, DELEGATECALL, STATICCALL), Arbitraries.of(TARGETS),
            Arbitraries.integers().between(0, 1))
        .as(EvmPropertiesTest::callPiece);
    Arbitrary<byte[]> create = Combinators.combine(Arbitraries.of(INITCODES),
            Arbitraries.of(CREATE, CREATE2), Arbitraries.integers().between(0, 1))
        .as(EvmPropertiesTest::createPiece);
    return Arbitraries.frequencyOf(List.of(
        Tuple.of(35, opWithOperands), Tuple.of(10, opcode), Tuple.of(10, operands()),
        Tuple.of(5, Arbitraries.just(new byte[] {JUMPDEST})), Tuple.of(4, call),
        Tuple.of(3, create), Tuple.of(1, Arbitraries.bytes().map(b -> new byte[] {b}))));
  }

  /** A push of a small number (offsets, sizes, jump targets), an edge value or an address. */
  private static Arbitrary<byte[]> operands() {
    return Arbitraries.frequencyOf(List.of(
        Tuple.of(20, Arbitraries.integers().between(0, 64).map(v -> new Asm().push(v).bytes())),
        Tuple.of(3, Arbitraries.of(EDGES).map(v -> new Asm().push(v).bytes())),
        Tuple.of(2, Arbitraries.of(TARGETS).map(a -> new Asm().push(a).bytes())),
        Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(32)
            .map(data -> new Asm().push(data).bytes()))));
  }

  /** A call with 32 bytes of input and output at memory 0, passing all gas. */
  private static byte[] callPiece(int op, Address to, int value) {
    Asm asm = new Asm().push(32).op(PUSH0).push(32).op(PUSH0);
    if (op == CALL || op == CALLCODE) {
      asm.push(value);
    }
    return asm.push(to).op(GAS, op).bytes();
  }

  /** Puts the initcode at the end of memory word 0 and creates from it. */
  private static byte[] createPiece(byte[] initcode, int op, int value) {
    Asm asm = new Asm();
    if (op == CREATE2) {
      asm.push(value); // the salt
    }
    if (initcode.length > 0) {
      asm.push(initcode).op(PUSH0, MSTORE);
    }
    return asm.push(initcode.length).push(32 - initcode.length).push(value).op(op).bytes();
  }

  private static byte[] concat(List<byte[]> parts) {
    return Bytes.concat(parts.toArray(byte[][]::new));
  }

  private static byte[] concat(List<byte[]> parts, byte[] last) {
    return Bytes.concat(concat(parts), last);
  }

  @Property(tries = 1000)
  void randomCodeNeverThrowsKeepsTheInvariantsAndIsDeterministic(
      @ForAll("programs") byte[] code, @ForAll("smallPrograms") byte[] other,
      @ForAll("calldata") byte[] calldata, @ForAll("gas") long gas) {
    String first = RunInvariants.check(code, other, calldata, gas);
    assertEquals(first, RunInvariants.check(code, other, calldata, gas), "runs differ");
  }

  @Provide
  static Arbitrary<BigInteger> words() {
    return Arbitraries.frequencyOf(List.of(
        Tuple.of(4, Arbitraries.of(EDGES)),
        Tuple.of(3, Arbitraries.bigIntegers().between(ZERO, MAX).withDistribution(UNIFORM)),
        Tuple.of(2, Arbitraries.bigIntegers().between(ZERO, BigInteger.valueOf(300))),
        Tuple.of(2, Arbitraries.bigIntegers().between(ZERO, BigInteger.valueOf(300))
            .map(v -> MAX.subtract(v)))));
  }

  @Provide
  static Arbitrary<Integer> arithmetic() {
    return Arbitraries.of(ADD, MUL, SUB, DIV, SDIV, MOD, SMOD, ADDMOD, MULMOD, EXP, SIGNEXTEND,
        LT, GT, SLT, SGT, EQ, ISZERO, AND, OR, XOR, NOT, BYTE, SHL, SHR, SAR);
  }

  @Property(tries = 3000)
  void arithmeticAgreesWithTheYellowPaper(@ForAll("arithmetic") int op,
      @ForAll("words") BigInteger a, @ForAll("words") BigInteger b,
      @ForAll("words") BigInteger c) {
    // a is on top, then b, then c; unary and binary opcodes leave the rest unused.
    byte[] code = new Asm().push(c).push(b).push(a).op(op).returnTop().bytes();
    Result r = Harness.withCode(code).call(100_000);
    assertArrayEquals(Word.fromBigInteger(model(op, a, b, c)).toBytes(), r.output(),
        String.format("0x%02x(%s, %s, %s)", op, a, b, c));
    // 3 pushes at 3, then PUSH0 2, MSTORE 3 + 1 word 3, PUSH1 3, PUSH0 2, RETURN 0: 22.
    long opGas = switch (op) {
      case ADDMOD, MULMOD -> 8;
      case MUL, DIV, SDIV, MOD, SMOD, SIGNEXTEND -> 5;
      case EXP -> 10 + 50L * ((b.bitLength() + 7) / 8);
      default -> 3;
    };
    assertEquals(100_000 - 22 - opGas, r.gasLeft());
  }

  private static BigInteger signed(BigInteger v) {
    return v.testBit(255) ? v.subtract(TWO_256) : v;
  }

  private static BigInteger bool(boolean b) {
    return b ? ONE : ZERO;
  }

  /** The Yellow Paper's definitions, on unbounded integers reduced mod 2^256. */
  private static BigInteger model(int op, BigInteger a, BigInteger b, BigInteger c) {
    BigInteger result = switch (op) {
      case ADD -> a.add(b);
      case MUL -> a.multiply(b);
      case SUB -> a.subtract(b);
      case DIV -> b.signum() == 0 ? ZERO : a.divide(b);
      // BigInteger's divide and remainder truncate toward zero, as SDIV and SMOD do.
      case SDIV -> b.signum() == 0 ? ZERO : signed(a).divide(signed(b));
      case MOD -> b.signum() == 0 ? ZERO : a.mod(b);
      case SMOD -> b.signum() == 0 ? ZERO : signed(a).remainder(signed(b));
      case ADDMOD -> c.signum() == 0 ? ZERO : a.add(b).mod(c);
      case MULMOD -> c.signum() == 0 ? ZERO : a.multiply(b).mod(c);
      case EXP -> a.modPow(b, TWO_256);
      case SIGNEXTEND -> {
        if (a.compareTo(BigInteger.valueOf(31)) >= 0) {
          yield b;
        }
        int bit = a.intValue() * 8 + 7;
        BigInteger low = b.and(ONE.shiftLeft(bit + 1).subtract(ONE));
        yield b.testBit(bit) ? low.subtract(ONE.shiftLeft(bit + 1)) : low;
      }
      case LT -> bool(a.compareTo(b) < 0);
      case GT -> bool(a.compareTo(b) > 0);
      case SLT -> bool(signed(a).compareTo(signed(b)) < 0);
      case SGT -> bool(signed(a).compareTo(signed(b)) > 0);
      case EQ -> bool(a.equals(b));
      case ISZERO -> bool(a.signum() == 0);
      case AND -> a.and(b);
      case OR -> a.or(b);
      case XOR -> a.xor(b);
      case NOT -> MAX.subtract(a);
      case BYTE -> a.compareTo(BigInteger.valueOf(32)) >= 0 ? ZERO
          : b.shiftRight(8 * (31 - a.intValue())).and(BigInteger.valueOf(255));
      case SHL -> a.compareTo(BigInteger.valueOf(256)) >= 0 ? ZERO : b.shiftLeft(a.intValue());
      case SHR -> a.compareTo(BigInteger.valueOf(256)) >= 0 ? ZERO : b.shiftRight(a.intValue());
      case SAR -> signed(b).shiftRight(a.min(BigInteger.valueOf(256)).intValue());
      default -> throw new IllegalArgumentException("not an arithmetic opcode: " + op);
    };
    return result.mod(TWO_256);
  }
}
