package io.chorus.client;

import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;

/** A signing key in a chain's suite and the address it sends from. */
public record Account(CryptoSuite suite, KeyPair keys, byte[] address) {

  /** The account of a 32-byte private key in {@code suite}. */
  public static Account of(CryptoSuite suite, byte[] privateKey) {
    KeyPair keys = suite.keyPair(privateKey);
    return new Account(suite, keys, suite.address(keys.publicKey()));
  }

  public String addressHex() {
    return Hex.encode0x(address);
  }

  @Override
  public String toString() {
    return "Account[" + suite.name() + " " + addressHex() + "]";
  }
}
