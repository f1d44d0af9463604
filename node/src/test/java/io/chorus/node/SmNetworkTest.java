package io.chorus.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esaulpaugh.headlong.abi.Function;
import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.chain.GenesisFile;
import io.chorus.client.Abi;
import io.chorus.client.Account;
import io.chorus.client.ChorusClient;
import io.chorus.client.LoadGenerator;
import io.chorus.client.Receipt;
import io.chorus.client.RpcException;
import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import io.chorus.consensus.CommitCertificate;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.Keccak256;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.network.NetworkMember;
import io.chorus.proof.ProofBundle;
import io.chorus.proof.ProofChecks;
import io.chorus.proof.Proven;
import io.chorus.proof.TrustRoot;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionSigner;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 国密 chain end to end: four validators of an {@code sm} chain in one JVM on ShangMi TLS,
 * driven only through JSON-RPC by the Java client, which signs with SM2. The Notary contract is
 * deployed and called by SM2 transactions sent to two members; every receipt is on all four,
 * the blocks and their certificates (SM2 seals over SM3 hashes) agree, the transactions show
 * their SM3 sender and key, and an Ethereum-signed transaction is refused with the reason.
 */
class SmNetworkTest {
  static final CryptoSuite SUITE = CryptoSuite.sm();
  static final BigInteger CHAIN_ID = BigInteger.valueOf(4343);
  static final int MEMBERS = 4;
  static final int SENDERS = 2;
  static final Duration RECEIPT_TIMEOUT = Duration.ofSeconds(30);
  static final Function NOTARIZE = Abi.function("notarize(bytes32)", null);
  static final Function NOTARIZED_AT = Abi.function("notarizedAt(bytes32)", "(uint256)");

  @TempDir Path dir;
  final Node[] nodes = new Node[MEMBERS];
  LocalNetwork network;

  @AfterEach
  void stop() {
    if (network != null) {
      network.close();
    }
  }

  @Test
  void sm2TransactionsThroughTheClientAreFinalOnEveryMember() throws Exception {
    Map<Address, Genesis.Allocation> funded = new HashMap<>();
    for (int i = 0; i < SENDERS; i++) {
      KeyPair keys = SUITE.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, i));
      funded.put(Address.of(SUITE.address(keys.publicKey())),
          Genesis.Allocation.funded(LocalNetwork.FUNDS));
    }
    network = LocalNetwork.layOut(dir, SUITE, CHAIN_ID, MEMBERS, MEMBERS, funded);
    for (int i = 0; i < MEMBERS; i++) {
      nodes[i] = network.start(i);
    }
    ChorusClient first = ChorusClient.connect(nodes[0].rpcUrl());
    ChorusClient second = ChorusClient.connect(nodes[1].rpcUrl());
    assertEquals("sm", first.suite().name());
    assertEquals(CHAIN_ID, first.chainId());
    List<Account> senders = new ArrayList<>();
    for (int i = 0; i < SENDERS; i++) {
      senders.add(first.account(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, i)));
    }

    Receipt deployed = first.deploy(senders.get(0), LoadGenerator.notaryInitcode(), 0,
        RECEIPT_TIMEOUT);
    byte[] notary = deployed.contractAddress();
    List<byte[]> hashes = new ArrayList<>();
    Map<String, byte[]> notarized = new HashMap<>();
    for (int i = 0; i < 6; i++) {
      ChorusClient via = i % 2 == 0 ? first : second;
      byte[] document = SUITE.hash(("document " + i).getBytes(StandardCharsets.UTF_8));
      byte[] hash = via.send(senders.get(i % SENDERS), notary, BigInteger.ZERO,
          Abi.encodeCall(NOTARIZE, List.of(Hex.encode0x(document))), 0);
      hashes.add(hash);
      notarized.put(Hex.encode(hash), document);
    }
    hashes.add(0, deployed.transactionHash());

    for (byte[] hash : hashes) {
      Receipt expected = first.waitForReceipt(hash, RECEIPT_TIMEOUT);
      assertTrue(expected.success(), "transaction " + Hex.encode0x(hash));
      for (Node node : nodes) {
        Receipt there = ChorusClient.connect(node.rpcUrl()).waitForReceipt(hash,
            RECEIPT_TIMEOUT);
        assertEquals(expected.blockNumber(), there.blockNumber());
        assertEquals(expected.gasUsed(), there.gasUsed());
        assertEquals(expected.logs().size(), there.logs().size());
      }
    }
    for (int i = 1; i < hashes.size(); i++) {
      Receipt receipt = first.receipt(hashes.get(i));
      assertEquals(1, receipt.logs().size(), "Notarized event");
      assertArrayEquals(notarized.get(Hex.encode(hashes.get(i))),
          receipt.logs().get(0).topics().get(1));
    }

    ChorusClient last = ChorusClient.connect(nodes[3].rpcUrl());
    byte[] document = notarized.get(Hex.encode(hashes.get(1)));
    byte[] at = last.call(null, notary, Abi.encodeCall(NOTARIZED_AT,
        List.of(Hex.encode0x(document))));
    assertTrue(new BigInteger(Abi.decodeReturn(NOTARIZED_AT, at).get(0)).signum() > 0);

    JsonNode tx = last.rpc().call("eth_getTransactionByHash", Hex.encode0x(hashes.get(1)));
    assertEquals(senders.get(0).addressHex(), tx.path("from").asText());
    assertEquals(Hex.encode0x(hashes.get(1)), tx.path("hash").asText());
    assertEquals(Hex.encode0x(senders.get(0).keys().publicKey()),
        tx.path("publicKey").asText());

    // A proof of the Notarized log, fetched over JSON-RPC, checks offline on SM2 and SM3 alone.
    TrustRoot root = GenesisFile.trustRoot(nodes[0].chain().genesis());
    ProofBundle logProof = ProofBundle.fromJson(last.rpc().call("chorus_getLogProof",
        Hex.encode0x(hashes.get(1)), "0x0").toString());
    Proven proven = ProofChecks.verifiesAndResistsTampering(logProof, root);
    assertEquals(Hex.encode0x(document), proven.facts().get("log.topic1"));
    assertEquals(senders.get(0).addressHex(), proven.facts().get("from"));
    // ... and the state it wrote: notarizedAt[document], mapping slot 0.
    byte[] slot = Keccak256.INSTANCE.hash(Bytes.concat(document, new byte[32]));
    ProofBundle stateProof = ProofBundle.fromJson(last.rpc().call("chorus_getStateProof",
        Hex.encode0x(notary), List.of(Hex.encode0x(slot)), "latest").toString());
    Proven state = ProofChecks.verifiesAndResistsTampering(stateProof, root);
    assertEquals(new BigInteger(Abi.decodeReturn(NOTARIZED_AT, at).get(0)),
        new BigInteger(state.facts().get("storage[" + Hex.encode0x(slot) + "]").substring(2), 16));

    // The members reach each other only over ShangMi TLS (sm chains refuse other TLS).
    JsonNode status = last.rpc().call("chorus_nodeStatus");
    assertEquals("sm", status.path("suite").asText());
    assertEquals(MEMBERS - 1, status.path("network").path("peers").asInt(), status.toString());

    long head = nodes[2].chain().head().number();
    for (long number = 1; number <= head; number++) {
      byte[] hash = nodes[2].chain().store().canonicalHash(number).orElseThrow();
      CommitCertificate certificate = CommitCertificate.decode(
          nodes[2].chain().store().finalityProof(number).orElseThrow());
      assertArrayEquals(hash, certificate.blockDigest());
      assertEquals(Optional.empty(), certificate.verify(
          NetworkMember.validatorSet(nodes[2].chain().genesis()),
          NetworkMember.verifier(nodes[2].chain())));
    }

    KeyPair ethereumKeys = CryptoSuite.ethereum().keyPair(
        HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, 0));
    Transaction ethereumSigned = TransactionSigner.sign(new Transaction(Transaction.DYNAMIC_FEE,
        CHAIN_ID, 0, BigInteger.ONE, BigInteger.valueOf(10_000_000_000L), 21_000,
        notary, BigInteger.ZERO, new byte[0], List.of(), BigInteger.ZERO, List.of(), 0,
        BigInteger.ZERO, BigInteger.ZERO, new byte[0], new byte[0]), ethereumKeys,
        CryptoSuite.ethereum());
    RpcException refused = assertThrows(RpcException.class, () -> first.sendRaw(ethereumSigned));
    assertTrue(refused.getMessage().contains("carry the signer's 64-byte public key after s"),
        refused.getMessage());
    assertNotNull(refused.data());
  }
}
