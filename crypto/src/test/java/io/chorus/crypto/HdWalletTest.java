package io.chorus.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chorus.codec.Hex;
import org.junit.jupiter.api.Test;

class HdWalletTest {
  private final CryptoSuite suite = CryptoSuite.ethereum();

  private String address(int index) {
    byte[] key = HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, index);
    return Hex.encode0x(suite.address(suite.keyPair(key).publicKey()));
  }

  @Test
  void theTestMnemonicGivesTheAccountsEveryEthereumDevToolFunds() {
    // Published by hardhat, ganache and anvil for this phrase.
    assertEquals("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
        Hex.encode(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, 0)));
    assertEquals("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", address(0));
    assertEquals("0x70997970c51812dc3a010c7d01b50e0d17dc79c8", address(1));
    assertEquals("0xa0ee7a142d267c1f36714e4a8f75612f20a79720", address(9));
  }

  @Test
  void bip32TestVector1() {
    // BIP-32 test vector 1, chain m/0H/1: seed 000102...0f.
    byte[] seed = Hex.decode("000102030405060708090a0b0c0d0e0f");
    assertEquals("e8f32e723decf4051aefac8e2c93c9c5b214313817cdb01a1494b917c8436b35",
        Hex.encode(HdWallet.derive(seed)));
    assertEquals("3c6cb8d0f6a264c91ea8b5030fadaa8e538b020f0a387421a12de9319dc93368",
        Hex.encode(HdWallet.derive(seed, 0x8000_0000, 1)));
  }
}
