package io.chorus.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.codec.Hex;
import io.chorus.codec.Rlp;
import io.chorus.codec.RlpReader;
import io.chorus.consensus.CommitCertificate;
import io.chorus.consensus.MalformedMessageException;
import io.chorus.crypto.CryptoSuite;
import io.chorus.proof.ProofException;
import io.chorus.proof.ReceiptFields;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionDecoder;
import io.chorus.tx.TransactionValidator;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A block as the exporter writes it, decoded from one entry of {@code chorus_getRawBlocks}: the
 * header's fields, each transaction with its sender (recovered here, as the node does for its
 * JSON), its receipt and logs, and the consensus fields. The decoders are those of modules
 * {@code tx}, {@code consensus} and {@code proof} (which reads receipts without the ledger's
 * EVM); the header is read field by field, as {@code proof} reads it, for the same reason.
 *
 * @param round the round that decided it, or null without a commit certificate
 * @param proposer lower-case hex, or null (genesis)
 * @param signers the seals of its certificate (0 without one)
 * @param validators the set that decided it, lower-case hex, in proposer order
 */
record RawBlock(long number, String hash, String parentHash, long timestamp, String miner,
    long gasUsed, long gasLimit, BigInteger baseFee, Integer round, String proposer, int signers,
    List<String> validators, List<Tx> transactions) {

  /** A transaction with what its receipt says; addresses and hashes lower-case hex. */
  record Tx(String hash, int index, String from, String to, String contractCreated,
      BigInteger value, long nonce, int type, long gasLimit, long gasUsed,
      BigInteger effectiveGasPrice, boolean success, byte[] input, List<Log> logs) {}

  /** A log, with its index in the block. */
  record Log(int index, String address, List<byte[]> topics, byte[] data) {}

  /**
   * Decodes one entry of {@code chorus_getRawBlocks}.
   *
   * @throws ExportException when the node's bytes do not decode or disagree with each other
   */
  static RawBlock read(JsonNode entry, CryptoSuite suite, TransactionValidator senders) {
    long number = ChainSource.quantity(entry.path("number")).longValueExact();
    try {
      return read(number, entry, suite, senders);
    } catch (MalformedMessageException | ProofException | IllegalArgumentException
        | ArithmeticException e) { // RLP's and transactions' exceptions are IllegalArgument
      throw new ExportException(ExportException.Kind.FAILED, "block " + number + " from"
          + " chorus_getRawBlocks does not decode: " + e.getMessage(), e);
    }
  }

  private static RawBlock read(long number, JsonNode entry, CryptoSuite suite,
      TransactionValidator senders) {
    RlpReader whole = RlpReader.of(Hex.decode(entry.path("block").asText()));
    RlpReader block = whole.readList();
    whole.requireEnd("block");
    byte[] headerBytes = block.readRaw();
    RlpReader header = RlpReader.of(headerBytes).readList();
    byte[] parentHash = header.readBytes(32, "parentHash");
    header.skip(); // ommersHash
    byte[] coinbase = header.readBytes(20, "coinbase");
    for (int i = 0; i < 5; i++) {
      header.skip(); // stateRoot, transactionsRoot, receiptsRoot, logsBloom, difficulty
    }
    long headerNumber = header.readUnsignedLong("number");
    long gasLimit = header.readUnsignedLong("gasLimit");
    long gasUsed = header.readUnsignedLong("gasUsed");
    long timestamp = header.readUnsignedLong("timestamp");
    header.skip(); // extraData
    header.skip(); // mixHash
    header.skip(); // nonce
    BigInteger baseFee = header.hasNext() ? header.readBigInteger("baseFeePerGas", 32) : null;
    if (headerNumber != number) {
      throw new IllegalArgumentException("its header says block " + headerNumber);
    }
    List<Transaction> txs = new ArrayList<>();
    RlpReader txList = block.readList();
    while (txList.hasNext()) {
      txs.add(TransactionDecoder.decode(txList.nextIsList() ? txList.readRaw()
          : txList.readBytes()));
    }
    RlpReader outer = RlpReader.of(Hex.decode(entry.path("receipts").asText()));
    RlpReader receiptList = outer.readList();
    outer.requireEnd("receipts");
    List<ReceiptFields> receipts = new ArrayList<>();
    while (receiptList.hasNext()) {
      receipts.add(ReceiptFields.read(receiptList.readBytes()));
    }
    if (receipts.size() != txs.size()) {
      throw new IllegalArgumentException(txs.size() + " transactions but " + receipts.size()
          + " receipts");
    }
    List<Tx> out = new ArrayList<>(txs.size());
    long previousGas = 0;
    int logIndex = 0;
    for (int i = 0; i < txs.size(); i++) {
      Transaction tx = txs.get(i);
      ReceiptFields receipt = receipts.get(i);
      byte[] sender = senders.validate(tx);
      String created = tx.to() == null && receipt.success()
          ? hex(createdAddress(suite, sender, tx.nonce())) : null;
      List<Log> logs = new ArrayList<>(receipt.logs().size());
      for (ReceiptFields.LogFields log : receipt.logs()) {
        logs.add(new Log(logIndex++, hex(log.address()), log.topics(), log.data()));
      }
      out.add(new Tx(hex(suite.hash(tx.encoded())), i, hex(sender),
          tx.to() == null ? null : hex(tx.to()), created, tx.value(), tx.nonce(), tx.type(),
          tx.gasLimit(), receipt.cumulativeGasUsed() - previousGas,
          baseFee == null ? tx.maxFeePerGas()
              : tx.maxFeePerGas().min(baseFee.add(tx.maxPriorityFeePerGas())),
          receipt.success(), tx.data(), logs));
      previousGas = receipt.cumulativeGasUsed();
    }
    Integer round = null;
    int signers = 0;
    JsonNode certificate = entry.path("certificate");
    if (certificate.isTextual()) {
      CommitCertificate decoded = CommitCertificate.decode(Hex.decode(certificate.asText()));
      round = decoded.round();
      signers = decoded.seals().size();
    }
    List<String> validators = new ArrayList<>();
    entry.path("validators").forEach(v -> validators.add(v.asText().toLowerCase(Locale.ROOT)));
    JsonNode proposer = entry.path("proposer");
    return new RawBlock(number, hex(suite.hash(headerBytes)), hex(parentHash), timestamp,
        hex(coinbase), gasUsed, gasLimit, baseFee, round,
        proposer.isTextual() ? proposer.asText().toLowerCase(Locale.ROOT) : null, signers,
        List.copyOf(validators), out);
  }

  /** CREATE's address: the last 20 bytes of the suite's hash of rlp([sender, nonce]). */
  private static byte[] createdAddress(CryptoSuite suite, byte[] sender, long nonce) {
    byte[] hash = suite.hash(Rlp.encodeList(Rlp.encodeBytes(sender),
        Rlp.encodeUnsignedLong(nonce)));
    return Arrays.copyOfRange(hash, hash.length - 20, hash.length);
  }

  private static String hex(byte[] bytes) {
    return Hex.encode0x(bytes);
  }
}
