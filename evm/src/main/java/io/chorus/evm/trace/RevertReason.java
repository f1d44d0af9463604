package io.chorus.evm.trace;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Reads Solidity's standard revert data, as Geth's callTracer fills {@code revertReason}:
 * {@code Error(string)} gives its message and {@code Panic(uint256)} the panic's meaning; any
 * other data (a custom error) has no reason and stays raw in {@code output}.
 */
public final class RevertReason {
  /** The first four bytes of keccak256("Error(string)"). */
  private static final int ERROR_SELECTOR = 0x08c379a0;
  /** The first four bytes of keccak256("Panic(uint256)"). */
  private static final int PANIC_SELECTOR = 0x4e487b71;
  /** Solidity's panic codes, described in Geth's words. */
  private static final Map<Integer, String> PANICS = Map.of(
      0x00, "generic panic",
      0x01, "assert(false)",
      0x11, "arithmetic underflow or overflow",
      0x12, "division or modulo by zero",
      0x21, "enum overflow",
      0x22, "invalid encoded storage byte array accessed",
      0x31, "out-of-bounds array access; popping on an empty array",
      0x32, "out-of-bounds access of an array or bytesSlice",
      0x41, "out of memory",
      0x51, "uninitialized function");

  private RevertReason() {}

  /** The reason in {@code data}, or null when it is not Error(string) or Panic(uint256). */
  public static String decode(byte[] data) {
    if (data.length < 4) {
      return null;
    }
    int selector = ((data[0] & 0xff) << 24) | ((data[1] & 0xff) << 16) | ((data[2] & 0xff) << 8)
        | (data[3] & 0xff);
    if (selector == ERROR_SELECTOR) {
      return errorMessage(data);
    }
    if (selector == PANIC_SELECTOR && data.length >= 4 + 32) {
      BigInteger code = new BigInteger(1, Arrays.copyOfRange(data, 4, 36));
      String known = code.bitLength() < 32 ? PANICS.get(code.intValue()) : null;
      return known != null ? known : "unknown panic code: 0x" + code.toString(16);
    }
    return null;
  }

  /**
   * The ABI string after the selector: a head word holding the offset of a length word, then
   * that many bytes. Offsets and lengths that point outside the data make it unreadable.
   */
  private static String errorMessage(byte[] data) {
    int body = 4;
    long offset = smallWord(data, body);
    if (offset < 0 || offset > data.length - body - 32L) {
      return null;
    }
    int lengthAt = body + (int) offset;
    long length = smallWord(data, lengthAt);
    if (length < 0 || length > data.length - lengthAt - 32L) {
      return null;
    }
    return new String(data, lengthAt + 32, (int) length, StandardCharsets.UTF_8);
  }

  /** The 32-byte word at {@code at} when it is all there and below 2^31, else -1. */
  private static long smallWord(byte[] data, int at) {
    if (at > data.length - 32) {
      return -1;
    }
    for (int i = at; i < at + 28; i++) {
      if (data[i] != 0) {
        return -1;
      }
    }
    long value = 0;
    for (int i = at + 28; i < at + 32; i++) {
      value = (value << 8) | (data[i] & 0xff);
    }
    return value > Integer.MAX_VALUE ? -1 : value;
  }
}
