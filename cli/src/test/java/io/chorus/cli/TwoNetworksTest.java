package io.chorus.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import com.esaulpaugh.headlong.abi.TupleType;
import io.chorus.client.Receipt;
import io.chorus.codec.ByteKey;
import io.chorus.codec.Hex;
import java.io.StringWriter;
import io.chorus.crosschain.PacketCommitment;
import io.chorus.codec.RlpItem;
import io.chorus.codec.Rlp;
import io.chorus.consensus.CommitCertificate;
import io.chorus.consensus.CryptoVerifier;
import io.chorus.consensus.MessageCodec;
import io.chorus.crosschain.GovernanceSlots;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.state.system.SystemContracts;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two networks on one machine, connected as an operator connects them. Goal: the cross-chain
 * stack end to end between an {@code sm} chain A and an {@code ethereum} chain B of four
 * validators each ({@link TwoChains}: {@code chorus init --validators 4 --network}, each
 * validator a node in this JVM, peers of each other), each with a light client of the other
 * created by a vote of its committee, and one {@code chorus relay} process carrying everything.
 * Method: the applications compiled by solc (shipped in the jar) are deployed on both chains,
 * registered and bound to their peers by {@code chorus xchain deploy-app} and {@code bind};
 * then a token of each chain goes to the other and comes back (escrowed on its source, a
 * voucher on the destination, burnt and the escrow released on return; balances read on both
 * chains at each rest), and a notary record of each chain is proven on the other. A's committee
 * then removes a validator while transfers are in flight: B's client must follow the change
 * block (the relayer's log names it), transfers sent after the change must still arrive, and a
 * certificate of the old set (the removed validator's seal among a quorum of the old four) for
 * a block after the change must be refused by B's client, where the genuine certificate of that
 * block is accepted. A batch of {@value #BATCH} transfers A→B is timed from each send to its
 * acknowledgement seen on A: the figures are printed (docs/cross-chain.md, "Two networks on one
 * machine"). Last, A's validators equivocate and B's client must freeze until B's committee
 * replaces it.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TwoNetworksTest {
  private static final int VALIDATORS = 4;
  private static final int BLOCK_INTERVAL_MS = 500;
  private static final int BATCH = Integer.getInteger("chorus.twonetworks.batch", 50);
  private static final long PORT_GAS = 500_000;
  private static final Function APPROVE = Function.parse("approve(address,uint256)");
  private static final Function SEND = Function.parse(
      "send(string,uint256,string,string,uint64,string)", "(uint64)");
  private static final Function BALANCE_OF = Function.parse("balanceOf(address)", "(uint256)");
  private static final Function VOUCHER_BALANCE = Function.parse("balanceOf(string,address)",
      "(uint256)");
  private static final Function TOTAL_SUPPLY = Function.parse("totalSupply(string)",
      "(uint256)");
  private static final Function ESCROW_OF = Function.parse("escrowOf(string,address)",
      "(uint256)");
  private static final Function VOUCHER_PREFIX = Function.parse("voucherPrefix(string)",
      "(string)");
  private static final Function NOTARIZE =
      Function.parse("Notarize(string,uint8,bytes,string,string)");
  private static final Function PROVE = Function.parse("prove(string,string,uint64)",
      "(uint64)");
  private static final Function PROVEN_RECORD = Function.parse(
      "provenRecord(string,string,uint32)",
      "((bytes32,bytes32,address,uint32,uint8,bool,uint64,uint64,uint64,string))");
  private static final Function DELIVERY_OF = Function.parse("deliveryOf(string,uint64)",
      "(uint8)");
  /** NotaryBridge's {@code Delivery.STORED}. */
  private static final int STORED = 1;
  private static final Function EVIDENCE = Function.parse("evidence(string)",
      "(uint64,bytes32,address[],bytes32,address[])");
  private static final com.esaulpaugh.headlong.abi.Event<?> CLIENT_FROZEN =
      com.esaulpaugh.headlong.abi.Event.create("ClientFrozen",
          TupleType.parse("(string,uint64,bytes32,bytes32,address[])"), false, false, false,
          false, false);
  private static final int SHA256 = 2;
  private static final BigInteger SUPPLY = BigInteger.valueOf(1_000_000);

  @TempDir Path dir;

  /** A chain's applications: an ERC-20 native to it, the transfer app and the notary bridge. */
  record Apps(Address token, Address transfer, Address bridge) {}

  @Test
  void transfersNotarizationsAndARotationBetweenTwoFourValidatorNetworks() throws Exception {
    try (TwoChains chains = TwoChains.start(dir, VALIDATORS, BLOCK_INTERVAL_MS)) {
      TwoChains.Chain a = chains.a;
      TwoChains.Chain b = chains.b;
      Apps onA = deploy(a);
      Apps onB = deploy(b);
      bind(a, onA, onB);
      bind(b, onB, onA);
      Path log = dir.resolve("relayer.log");
      Process relayer = chains.startRelayer(0, log);
      try {
        roundTrip(a, onA, b, onB, log);
        roundTrip(b, onB, a, onA, log);
        notarizeAndProve(a, onA, b, onB, "HT-A-1", log);
        notarizeAndProve(b, onB, a, onA, "HT-B-1", log);
        long changeBlock = rotate(a, onA, b, onB, log);
        assertTrue(Files.readString(log).contains("updateClient to block " + changeBlock
            + ": updated"), "B's client did not follow A's change block " + changeBlock + ":\n"
            + Files.readString(log));
        measure(a, onA, b, onB, log);
      } finally {
        relayer.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
      oldSetRefusedAfterTheChange(chains);
      equivocationFreezesUntilGovernanceReplaces(chains, onA, onB, log);
    }
  }

  /**
   * Deploys the token (its supply to the operator) and both applications, registered, as a user
   * does: {@code chorus xchain deploy-app erc20|token|notary}.
   */
  private static Apps deploy(TwoChains.Chain chain) {
    Address token = deployApp(chain, "erc20", "--supply", SUPPLY.toString());
    Address transfer = deployApp(chain, "token", "--port-gas", Long.toString(PORT_GAS));
    Address bridge = deployApp(chain, "notary", "--port-gas", Long.toString(PORT_GAS));
    chain.client.resetNonce(chain.operator); // the commands signed with the operator's key
    return new Apps(token, transfer, bridge);
  }

  /** Binds {@code here}'s applications to their peers: {@code chorus xchain bind}. */
  private static void bind(TwoChains.Chain chain, Apps here, Apps peer) {
    xchain(chain, "bind", "--app", here.transfer().toString(), "--client", chain.clientId,
        "--peer", peer.transfer().toString());
    xchain(chain, "bind", "--app", here.bridge().toString(), "--client", chain.clientId,
        "--peer", peer.bridge().toString());
    chain.client.resetNonce(chain.operator);
  }

  private static Address deployApp(TwoChains.Chain chain, String app, String... options) {
    List<String> args = new ArrayList<>(List.of("deploy-app", app));
    args.addAll(List.of(options));
    java.util.regex.Matcher contract = java.util.regex.Pattern.compile("contract (0x[0-9a-f]{40})")
        .matcher(xchain(chain, args.toArray(String[]::new)));
    assertTrue(contract.find(), chain.name + ": deploy-app " + app + " printed no address");
    return Address.of(Hex.decode(contract.group(1)));
  }

  /** {@code chorus xchain ARGS} as the operator on {@code chain}; its output. */
  private static String xchain(TwoChains.Chain chain, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--key-file", chain.operatorKey.toString()));
    return read(chain, all.toArray(String[]::new));
  }

  /** {@code chorus xchain ARGS} against {@code chain}, signing nothing; its output. */
  private static String read(TwoChains.Chain chain, String... args) {
    List<String> all = new ArrayList<>(List.of("xchain"));
    all.addAll(List.of(args));
    all.addAll(List.of("--url", chain.url()));
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code = Chorus.commandLine().setOut(new java.io.PrintWriter(out))
        .setErr(new java.io.PrintWriter(err)).execute(all.toArray(String[]::new));
    assertEquals(0, code, String.join(" ", all) + ": " + err);
    return out.toString();
  }

  private static Receipt call(TwoChains.Chain chain, Address to, Function f, Object... args) {
    return chain.mined(send(chain, to, f, args));
  }

  private static byte[] send(TwoChains.Chain chain, Address to, Function f, Object... args) {
    return chain.client.send(chain.operator, to.toArray(), BigInteger.ZERO,
        f.encodeCallWithArgs(args).array(), 2_000_000);
  }

  private static <T> T view(TwoChains.Chain chain, Address at, Function f, Object... args) {
    Tuple answer = f.decodeReturn(chain.client.call(chain.operator.address(), at.toArray(),
        f.encodeCallWithArgs(args).array()));
    return answer.get(0);
  }

  private static BigInteger timeout(TwoChains.Chain source, TwoChains.Chain dest) {
    return BigInteger.valueOf(Math.max(source.headTime(), dest.headTime()) + 600);
  }

  /** Sends {@code amount} of {@code denom} from the operator to the operator on the other side. */
  private static byte[] transfer(TwoChains.Chain from, Apps apps, TwoChains.Chain to,
      String denom, long amount) {
    return send(from, apps.transfer(), SEND, denom, BigInteger.valueOf(amount),
        to.operator.addressHex(), from.clientId, timeout(from, to), "");
  }

  private static void await(String what, Path log, BooleanSupplier done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!done.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, what + " within 90 s; relayer log:\n"
          + Files.readString(log));
      Thread.sleep(100);
    }
  }

  private static BigInteger escrow(TwoChains.Chain chain, Apps apps) {
    return view(chain, apps.transfer(), ESCROW_OF, chain.clientId, abi(apps.token()));
  }

  /** The operator's balance of the token native to {@code chain}. */
  private static BigInteger tokens(TwoChains.Chain chain, Apps apps) {
    return view(chain, apps.token(), BALANCE_OF, holder(chain));
  }

  private static String voucher(TwoChains.Chain dest, Apps destApps, Apps sourceApps) {
    String prefix = view(dest, destApps.transfer(), VOUCHER_PREFIX, dest.clientId);
    return prefix + sourceApps.token();
  }

  /**
   * {@code source}'s token to {@code dest} and back: escrowed on the source and a voucher minted
   * on the destination, then the voucher burnt and the escrow released.
   */
  private static void roundTrip(TwoChains.Chain source, Apps sourceApps, TwoChains.Chain dest,
      Apps destApps, Path log) throws Exception {
    long amount = 1_234;
    BigInteger before = tokens(source, sourceApps);
    String voucher = voucher(dest, destApps, sourceApps);
    // Out as a user sends it: the ERC-20 approved and the packet sent by 'chorus xchain transfer'.
    String printed = xchain(source, "transfer", "--app", sourceApps.transfer().toString(),
        "--client", source.clientId, "--denom", sourceApps.token().toString(), "--amount",
        Long.toString(amount), "--receiver", dest.operator.addressHex());
    assertTrue(printed.contains(": packet " + source.clientId + "#"), printed);
    source.client.resetNonce(source.operator);
    BigInteger sent = BigInteger.valueOf(amount);
    await(source.name + "→" + dest.name + ": the voucher minted", log, () -> sent.equals(
        view(dest, destApps.transfer(), VOUCHER_BALANCE, voucher, holder(dest))));
    assertEquals(amount + " " + voucher, read(dest, "balance", "--app",
        destApps.transfer().toString(), "--denom", sourceApps.token().toString(), "--via",
        dest.clientId, "--holder", dest.operator.addressHex()).trim(), "chorus xchain balance");
    assertEquals(before.subtract(sent).toString(), read(source, "balance", "--denom",
        sourceApps.token().toString(), "--holder", source.operator.addressHex()).trim());
    assertEquals(sent, escrow(source, sourceApps), "escrowed on " + source.name);
    assertEquals(before.subtract(sent), tokens(source, sourceApps));
    assertEquals(sent, view(dest, destApps.transfer(), TOTAL_SUPPLY, voucher));

    dest.mined(transfer(dest, destApps, source, voucher, amount));
    await(dest.name + "→" + source.name + ": the escrow released", log,
        () -> before.equals(tokens(source, sourceApps)));
    assertEquals(BigInteger.ZERO, escrow(source, sourceApps), "escrow left on " + source.name);
    assertEquals(BigInteger.ZERO, view(dest, destApps.transfer(), VOUCHER_BALANCE, voucher,
        holder(dest)));
    assertEquals(BigInteger.ZERO, view(dest, destApps.transfer(), TOTAL_SUPPLY, voucher));
    await(dest.name + "'s return acknowledged", log, () -> dest.pendingCount() == 0);
  }

  /** The operator's address, as the ABI takes it. */
  private static com.esaulpaugh.headlong.abi.Address holder(TwoChains.Chain chain) {
    return abi(Address.of(chain.operator.address()));
  }

  private static com.esaulpaugh.headlong.abi.Address abi(Address address) {
    return com.esaulpaugh.headlong.abi.Address.wrap(com.esaulpaugh.headlong.abi.Address
        .toChecksumAddress(new BigInteger(1, address.toArray())));
  }

  /** A record notarized on {@code source} proven on {@code dest} through the bridges. */
  private static void notarizeAndProve(TwoChains.Chain source, Apps sourceApps,
      TwoChains.Chain dest, Apps destApps, String id, Path log) throws Exception {
    byte[] hash = source.client.suite().hash(id.getBytes(StandardCharsets.UTF_8));
    call(source, SystemContracts.NOTARY, NOTARIZE, id, SHA256, hash, "contract",
        "{\"from\":\"" + source.name + "\"}");
    Receipt proved = call(source, sourceApps.bridge(), PROVE, id, source.clientId,
        timeout(source, dest));
    long sequence = sequenceSent(proved);
    await(source.name + "'s record " + id + " proven on " + dest.name, log, () -> view(source,
        sourceApps.bridge(), DELIVERY_OF, source.clientId, BigInteger.valueOf(sequence))
        .equals(STORED));
    Tuple proven = view(dest, destApps.bridge(), PROVEN_RECORD, dest.clientId, id, 0L);
    assertArrayEquals(hash, proven.get(0), "the hash proven on " + dest.name);
    assertEquals(holder(source), proven.get(2), "the depositor proven on " + dest.name);
  }

  /** The sequence of the packet a transaction sent (its router's {@code PacketSent} log). */
  private static long sequenceSent(Receipt receipt) {
    return RelayChain.sequence(packetSent(receipt));
  }

  /**
   * Removes A's last validator by a vote of its committee while transfers A→B are in flight,
   * then sends more after the change; all must arrive. Returns the change block.
   */
  private static long rotate(TwoChains.Chain a, Apps onA, TwoChains.Chain b, Apps onB, Path log)
      throws Exception {
    String voucher = voucher(b, onB, onA);
    long each = 10;
    int before = 3;
    int after = 3;
    call(a, onA.token(), APPROVE, abi(onA.transfer()),
        BigInteger.valueOf(each * (before + after)));
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < before; i++) {
      sent.add(transfer(a, onA, b, onA.token().toString(), each));
    }
    byte[] removed = Hex.decode(Files.readString(a.memberKeys.get(VALIDATORS - 1)).trim());
    String removedAddress = Hex.encode0x(a.client.suite().address(
        a.client.suite().keyPair(removed).publicKey()));
    TwoChains.pass(a, "remove-validator", removedAddress);
    byte[] governance = GovernanceSlots.address();
    await("A's validator change enacted", log, () -> storage(a, governance,
        GovernanceSlots.changes()) == 1);
    long changeBlock = storage(a, governance, GovernanceSlots.changedAt(1));
    assertEquals(VALIDATORS - 1, storage(a, governance, GovernanceSlots.validatorCount()));
    sent.forEach(a::mined);
    for (int i = 0; i < after; i++) {
      Receipt r = a.mined(transfer(a, onA, b, onA.token().toString(), each));
      assertTrue(r.blockNumber() > changeBlock, "sent after the change");
    }
    BigInteger all = BigInteger.valueOf(each * (before + after));
    await("the transfers around A's validator change received on B", log, () -> all.equals(
        view(b, onB.transfer(), VOUCHER_BALANCE, voucher, holder(b))));
    await("A's transfers acknowledged", log, () -> a.pendingCount() == 0);
    assertEquals(1, b.relay(Hex.decode(Files.readString(b.operatorKey).trim()))
        .clientState(b.clientId).changes(),
        "B's client followed one validator change of A");
    return changeBlock;
  }

  private static long storage(TwoChains.Chain chain, byte[] address, byte[] slot) {
    return new BigInteger(1, Hex.decode(chain.client.rpc().call("eth_getStorageAt",
        Hex.encode0x(address), Hex.encode0x(slot), "latest").asText())).longValueExact();
  }

  /**
   * {@value #BATCH} transfers A→B sent at once; prints packets per second (sent to the last
   * acknowledgement seen on A) and the latency from each send to its acknowledgement on A.
   */
  private static void measure(TwoChains.Chain a, Apps onA, TwoChains.Chain b, Apps onB,
      Path log) throws Exception {
    call(a, onA.token(), APPROVE, abi(onA.transfer()), BigInteger.valueOf(BATCH));
    long start = System.nanoTime();
    List<byte[]> hashes = new ArrayList<>();
    long[] sentAt = new long[BATCH];
    for (int i = 0; i < BATCH; i++) {
      sentAt[i] = System.nanoTime();
      hashes.add(transfer(a, onA, b, onA.token().toString(), 1));
    }
    Map<Long, Integer> bySequence = new HashMap<>();
    for (int i = 0; i < BATCH; i++) {
      bySequence.put(sequenceSent(a.mined(hashes.get(i))), i);
    }
    long[] latency = new long[BATCH];
    int seen = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (seen < BATCH) {
      assertTrue(System.nanoTime() < deadline, seen + " of " + BATCH + " acknowledged in 120 s;"
          + " relayer log:\n" + Files.readString(log));
      long now = System.nanoTime();
      for (Tuple acked : a.logs(TwoChains.PACKET_ACKNOWLEDGED)) {
        Integer i = bySequence.remove(RelayChain.sequence(acked.get(0)));
        if (i != null && ((Tuple) acked.get(0)).get(0).equals(a.clientId)) {
          latency[i] = now - sentAt[i];
          seen++;
        }
      }
      Thread.sleep(100);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Arrays.sort(latency);
    System.out.printf("TwoNetworksTest: %d transfers A→B (sm → ethereum, %d validators each,"
        + " blocks every %d ms) acknowledged in %.1f s: %.1f packets/s; send → acknowledgement"
        + " latency p50 %d ms, p99 %d ms, max %d ms%n", BATCH, VALIDATORS, BLOCK_INTERVAL_MS,
        seconds, BATCH / seconds, latency[BATCH / 2] / 1_000_000,
        latency[(int) Math.ceil(BATCH * 0.99) - 1] / 1_000_000, latency[BATCH - 1] / 1_000_000);
    await("the batch's vouchers on B", log, () -> BigInteger.valueOf(BATCH).compareTo(
        view(b, onB.transfer(), VOUCHER_BALANCE, voucher(b, onB, onA), holder(b))) <= 0);
  }

  /**
   * With the relayer stopped, a block of A after the change, above B's client: sealed by the
   * removed validator and two others (a quorum of the old set) it is refused; its genuine
   * certificate is accepted.
   */
  private static void oldSetRefusedAfterTheChange(TwoChains chains) throws Exception {
    TwoChains.Chain a = chains.a;
    TwoChains.Chain b = chains.b;
    RelayChain onB = b.relay(Hex.decode(Files.readString(chains.relayerKeys.get(1)).trim()));
    RelayChain source = a.relay(Hex.decode(Files.readString(a.operatorKey).trim()));
    RelayChain.ClientState client = onB.clientState(b.clientId);
    long height = client.height() + 2;
    while (source.head() < height) {
      Thread.sleep(100);
    }
    CryptoSuite suite = a.client.suite();
    RelayChain.Block block = source.block(height);
    byte[] digest = suite.hash(block.header());
    byte[] sealed = CryptoVerifier.forChain(suite, a.client.chainId(), source.genesisHash())
        .hash(MessageCodec.sealBody(height, 0, digest));
    List<CommitCertificate.Seal> seals = new ArrayList<>();
    for (int member : new int[] {VALIDATORS - 1, 0, 1}) {
      KeyPair key = suite.keyPair(Hex.decode(Files.readString(a.memberKeys.get(member))
          .trim()));
      seals.add(new CommitCertificate.Seal(new ByteKey(suite.address(key.publicKey())),
          suite.sign(sealed, key)));
    }
    byte[] oldSet = new CommitCertificate(height, 0, digest, seals).encode();
    RelayChain.Outcome forged = onB.await(onB.submit("old set's certificate", Relayer.updateCall(
        b.clientId, source, height, client.changes(), oldSet)));
    assertFalse(forged.done(), "B's client took a certificate of A's old validator set");
    String removed = Hex.encode0x(suite.address(suite.keyPair(Hex.decode(Files.readString(
        a.memberKeys.get(VALIDATORS - 1)).trim())).publicKey()));
    assertTrue(forged.refusal().contains("seal by non-validator " + removed), forged.refusal());
    assertEquals(client.height(), onB.clientState(b.clientId).height());
    RelayChain.Outcome genuine = onB.await(onB.submit("genuine certificate", Relayer.updateCall(
        b.clientId, source, height, client.changes(), source.certificate(height))));
    assertTrue(genuine.done(), () -> "the genuine certificate was refused: "
        + genuine.refusal());
    assertEquals(height, onB.clientState(b.clientId).height());
  }

  /**
   * Equivocation on A, carried to B's client the way a relayer carries blocks: with the relayer
   * stopped, a transfer A→B is sent and B's client brought above it by the genuine certificate;
   * then a second block at that height (the same header with other extra data) sealed by the
   * keys of A's current validators, read from their data directories, is submitted to B by
   * {@code updateClient}. B's client must freeze with evidence naming both blocks and the
   * signers of each (the equivocators those in both), refuse the packet with a valid proof,
   * and keep {@code chorus relay} from starting; a {@code crosschain-client} vote of B's
   * committee replacing it (a new trusted header of A) lets {@code chorus relay --trust} carry
   * the waiting packet.
   */
  private static void equivocationFreezesUntilGovernanceReplaces(TwoChains chains, Apps onA,
      Apps onB, Path log) throws Exception {
    long start = System.nanoTime();
    TwoChains.Chain a = chains.a;
    TwoChains.Chain b = chains.b;
    a.client.resetNonce(a.operator);
    RelayChain onChainB = b.relay(Hex.decode(Files.readString(chains.relayerKeys.get(1)).trim()));
    RelayChain source = a.relay(Hex.decode(Files.readString(a.operatorKey).trim()));
    long amount = 77;
    String voucher = voucher(b, onB, onA);
    BigInteger vouchersBefore = view(b, onB.transfer(), VOUCHER_BALANCE, voucher, holder(b));
    call(a, onA.token(), APPROVE, abi(onA.transfer()), BigInteger.valueOf(amount));
    Receipt sent = a.mined(transfer(a, onA, b, onA.token().toString(), amount));
    Tuple packet = packetSent(sent);
    RelayChain.ClientState client = onChainB.clientState(b.clientId);
    long height = source.head();
    RelayChain.Outcome genuine = onChainB.await(onChainB.submit("genuine update", Relayer
        .updateCall(b.clientId, source, height, client.changes(), source.certificate(height))));
    assertTrue(genuine.done(), () -> "B's client refused A's block: " + genuine.refusal());

    // The fork: block `height` with other extra data, sealed by every current member of A.
    CryptoSuite suite = a.client.suite();
    List<RlpItem> fields = new ArrayList<>(((RlpItem.List) Rlp.decode(source.block(height)
        .header())).items());
    fields.set(12, new RlpItem.Bytes("equivocation".getBytes(StandardCharsets.US_ASCII)));
    byte[] fork = Rlp.encode(new RlpItem.List(fields));
    byte[] forkHash = suite.hash(fork);
    byte[] sealed = CryptoVerifier.forChain(suite, a.client.chainId(), source.genesisHash())
        .hash(MessageCodec.sealBody(height, 0, forkHash));
    List<CommitCertificate.Seal> seals = new ArrayList<>();
    List<String> forkSigners = new ArrayList<>();
    for (int member = 0; member < VALIDATORS - 1; member++) {
      KeyPair key = suite.keyPair(Hex.decode(Files.readString(a.memberKeys.get(member)).trim()));
      seals.add(new CommitCertificate.Seal(new ByteKey(suite.address(key.publicKey())),
          suite.sign(sealed, key)));
      forkSigners.add(Hex.encode0x(suite.address(key.publicKey())));
    }
    byte[] forkCertificate = new CommitCertificate(height, 0, forkHash, seals).encode();
    byte[] forkUpdate = RelayChain.UPDATE_CLIENT.encodeCallWithArgs(b.clientId, fork,
        forkCertificate, updateProof(b.clientId, source, height, client.changes())).array();
    RelayChain.Outcome carried = onChainB.await(onChainB.submit("the fork", forkUpdate));
    assertTrue(carried.done(), () -> "the fork was refused: " + carried.refusal());

    assertEquals(RelayChain.ClientState.FROZEN, onChainB.clientState(b.clientId).status(),
        "two certified blocks at one height did not freeze B's client");
    Tuple evidence = EVIDENCE.decodeReturn(b.client.call(null, RelayChain.ROUTER,
        EVIDENCE.encodeCallWithArgs(b.clientId).array()));
    assertEquals(BigInteger.valueOf(height), evidence.get(0));
    assertArrayEquals(suite.hash(source.block(height).header()), evidence.get(1),
        "the genuine block");
    assertArrayEquals(forkHash, evidence.get(3), "the fork");
    List<String> genuineSigners = addresses(evidence.get(2));
    assertEquals(forkSigners, addresses(evidence.get(4)), "the fork's signers");
    List<String> both = genuineSigners.stream().filter(forkSigners::contains).toList();
    List<Tuple> frozen = b.logs(CLIENT_FROZEN);
    assertEquals(1, frozen.size(), "one ClientFrozen log");
    assertEquals(both, addresses(frozen.get(0).get(4)), "the equivocators named");
    assertTrue(both.size() >= 2, "a quorum of 3 intersects a quorum of 3 in 2 or more: " + both);

    // Frozen: the packet is refused even with a valid proof at a height the client verified.
    byte[] slot = PacketCommitment.slot(PacketCommitment.commitmentPath(packet.get(0),
        RelayChain.sequence(packet)));
    RelayChain.Outcome refused = onChainB.await(onChainB.submit("recvPacket while frozen",
        RelayChain.RECV_PACKET.encodeCallWithArgs(packet, BigInteger.valueOf(height),
            source.proof(RelayChain.ROUTER, List.of(slot), height).encode()).array()));
    assertFalse(refused.done(), "a frozen client let a packet in");
    assertTrue(refused.refusal().contains("frozen"), refused.refusal());
    StringWriter err = new StringWriter();
    assertEquals(2, relay(chains, err), "chorus relay started with a frozen client: " + err);
    assertTrue(err.toString().contains("frozen"), err.toString());
    assertEquals(vouchersBefore, view(b, onB.transfer(), VOUCHER_BALANCE, voucher, holder(b)));

    // Governance replaces the client from a new trusted header of A; the packet then arrives.
    TwoChains.vote(b, b.clientId, a, a.clientId);
    await("B's vote replacing its client took effect", log, () -> onChainB
        .clientState(b.clientId).status() == RelayChain.ClientState.VOTED);
    StringWriter trusted = new StringWriter();
    assertEquals(0, relay(chains, trusted, "--trust"), trusted.toString());
    BigInteger after = vouchersBefore.add(BigInteger.valueOf(amount));
    await("the packet held by the freeze received", log, () -> after.equals(
        view(b, onB.transfer(), VOUCHER_BALANCE, voucher, holder(b))));
    System.out.printf("TwoNetworksTest: equivocation, freeze, refusal and replacement took"
        + " %.1f s%n", (System.nanoTime() - start) / 1e9);
  }

  /** {@code chorus relay --once} in this JVM with the second relayer key; its exit code. */
  private static int relay(TwoChains chains, StringWriter err, String... extra) {
    String key = chains.relayerKeys.get(1).toString();
    List<String> args = new ArrayList<>(List.of("relay", "--a", chains.a.url(), "--b",
        chains.b.url(), "--a-key-file", key, "--b-key-file", key, "--a-client", chains.a.clientId,
        "--once"));
    args.addAll(List.of(extra));
    return Chorus.commandLine().setOut(new java.io.PrintWriter(new StringWriter()))
        .setErr(new java.io.PrintWriter(err, true)).execute(args.toArray(String[]::new));
  }

  /** The governance proof an update to {@code height} carries (as {@link Relayer} builds it). */
  private static byte[] updateProof(String id, RelayChain tracked, long height, long changes) {
    Tuple call = RelayChain.UPDATE_CLIENT.decodeCall(Relayer.updateCall(id, tracked, height,
        changes, new byte[0]));
    return call.get(3);
  }

  private static List<String> addresses(Object[] abiAddresses) {
    return Arrays.stream(abiAddresses).map(x -> x.toString().toLowerCase(java.util.Locale.ROOT))
        .toList();
  }

  /** The packet a transaction sent (its router's {@code PacketSent} log). */
  private static Tuple packetSent(Receipt receipt) {
    byte[] topic = RelayChain.topic0(RelayChain.PACKET_SENT);
    for (Receipt.Log l : receipt.logs()) {
      if (Arrays.equals(RelayChain.ROUTER, l.address()) && Arrays.equals(topic,
          l.topics().get(0))) {
        return RelayChain.PACKET_SENT.getNonIndexedParams().decode(l.data()).get(0);
      }
    }
    throw new AssertionError("no PacketSent log in block " + receipt.blockNumber());
  }

}
