package io.chorus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.client.Account;
import io.chorus.client.ChorusClient;
import io.chorus.client.ClientException;
import io.chorus.client.JsonRpcClient;
import io.chorus.client.Receipt;
import io.chorus.codec.Hex;
import io.chorus.state.system.Governance;
import io.chorus.state.system.ProposalKind;
import io.chorus.state.system.SystemContracts;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chorus gov}: the committee's proposals and votes, on chain. */
@Command(
    name = "gov",
    mixinStandardHelpOptions = true,
    description = {
        "Governance by vote: list proposals, propose a change, vote on one.",
        "Proposals and votes are transactions to the governance contract at "
            + "0x0000000000000000000000000000000000001000, signed in the chain's suite with a",
        "committee member's key (--key-file, e.g. a node's node.key). A proposal passes when",
        "its yes weight reaches its kind's threshold before it expires, and takes effect at",
        "the start of the next block."},
    subcommands = {GovCommand.ListProposals.class, GovCommand.Propose.class,
        GovCommand.Vote.class})
final class GovCommand {
  private static final byte[] GOVERNANCE = SystemContracts.GOVERNANCE.toArray();

  /** The node to ask or send to. */
  static final class Target {
    @Option(names = "--url", defaultValue = "http://127.0.0.1:8545",
        description = "The node's JSON-RPC URL (default: ${DEFAULT-VALUE}).")
    String url;
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Lists proposals, newest first (chorus_govProposals).")
  static final class ListProposals implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Target target = new Target();

    @Option(names = "--limit", defaultValue = "20",
        description = "At most this many (1 to 100; default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
      JsonNode proposals;
      try {
        proposals = new JsonRpcClient(target.url).call("chorus_govProposals",
            "0x" + Integer.toHexString(limit));
      } catch (ClientException e) {
        return fail(spec, "cannot list proposals: " + e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      if (proposals.isEmpty()) {
        out.println("no proposals yet");
      }
      for (JsonNode p : proposals) {
        out.printf("#%-4d %-10s %-18s %s  yes %s, no %s  blocks %d..%d  by %s%s%n",
            p.path("id").asLong(), p.path("status").asText(), p.path("kind").asText(),
            p.path("fields"), p.path("yesWeight").asText(), p.path("noWeight").asText(),
            p.path("createdAt").asLong(), p.path("expiresAt").asLong(),
            p.path("proposer").asText(),
            p.has("failure") ? "  (" + p.path("failure").asText() + ")" : "");
      }
      return 0;
    }
  }

  @Command(name = "propose", mixinStandardHelpOptions = true,
      description = {"Proposes a change; the proposer's vote is yes. Kinds and their fields:",
          "  add-member ACCOUNT WEIGHT       remove-member ACCOUNT",
          "  add-validator PUBLIC_KEY        remove-validator ADDRESS",
          "  grant-roles ACCOUNT BITS        revoke-roles ACCOUNT BITS  (1 sender, 2 deployer,",
          "                                  4 receivables.obligor, 8 receivables.bank,",
          "                                  16 sharing.authority, 32 receivables.regulator)",
          "  freeze ACCOUNT                  unfreeze ACCOUNT",
          "  set-method-access CONTRACT SELECTOR ACCESS  (0 default, 1 allowed, 2 denied)",
          "  revoke-certificate SERIAL       set-restrictions SENDERS DEPLOYERS  (true|false)",
          "  set-gas-limit GAS               set-block-interval MILLISECONDS",
          "  set-fee-mode MODE               (0 ethereum1559, 1 zero)",
          "  set-notary-policy TYPE [SIGNER,...] M  (notary co-signers of a record type;",
          "                                  0x000…000 the depositor; [] 0 removes it)",
          "  receivable-freeze PIECE COURT_REF   receivable-unfreeze PIECE COURT_REF",
          "  receivable-force-transfer PIECE TO VALUE COURT_REF  (court orders on receivables)",
          "  sharing-department ACCOUNT NAME  (the department, certificate O, an account acts",
          "                                  for in data sharing; \"\" unbinds it)",
          "  crosschain-client ID CHAIN_ID SUITE GENESIS_HASH HEIGHT HEADER_HASH COUNTERPARTY",
          "                                  (a light client of another chain: docs/cross-chain.md)",
          "  org-data-key ORG PUBLIC_KEY     (the organisation's data key, which events visible",
          "                                  to it are sealed for: adds or rotates it; see",
          "                                  'chorus ca data-key')"})
  static final class Propose implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin TxCommand.Connection node = new TxCommand.Connection();
    @ArgGroup(multiplicity = "1") TxCommand.Key key;

    @Parameters(index = "0", paramLabel = "KIND", description = "What to change.")
    String kind;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "FIELD",
        description = "The kind's fields.")
    List<String> fields = List.of();

    @Option(names = "--expiry", defaultValue = "1000", paramLabel = "BLOCKS",
        description = "Votes close this many blocks after the proposal (default: "
            + "${DEFAULT-VALUE}).")
    long expiry;

    @Override
    public Integer call() {
      byte[] data;
      try {
        ProposalKind k = ProposalKind.named(kind);
        data = Governance.proposeCall(k, k.encodeText(fields), expiry);
      } catch (IllegalArgumentException e) {
        return fail(spec, e.getMessage());
      }
      return TxCommand.run(spec, () -> {
        Sent sent = Sent.to(node, key, data);
        long id = new BigInteger(1, sent.tried()).longValueExact();
        return report(spec, sent.receipt(), "proposal #" + id + " made by " + sent.member());
      });
    }
  }

  @Command(name = "vote", mixinStandardHelpOptions = true,
      description = "Votes yes or no on a proposal.")
  static final class Vote implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin TxCommand.Connection node = new TxCommand.Connection();
    @ArgGroup(multiplicity = "1") TxCommand.Key key;

    @Parameters(index = "0", paramLabel = "ID", description = "The proposal's number.")
    long id;

    @Parameters(index = "1", paramLabel = "yes|no", description = "The vote.")
    String choice;

    @Override
    public Integer call() {
      String vote = choice.toLowerCase(Locale.ROOT);
      if (!Arrays.asList("yes", "no").contains(vote)) {
        return fail(spec, "a vote is yes or no, got '" + choice + "'");
      }
      byte[] data = Governance.voteCall(id, vote.equals("yes"));
      return TxCommand.run(spec, () -> {
        Sent sent = Sent.to(node, key, data);
        JsonNode proposal = sent.client().rpc().call("chorus_govProposal",
            "0x" + Long.toHexString(id));
        return report(spec, sent.receipt(), sent.member() + " voted " + vote + " on #" + id
            + ": now " + proposal.path("status").asText() + " (yes "
            + proposal.path("yesWeight").asText() + ", no " + proposal.path("noWeight").asText()
            + ")");
      });
    }
  }

  /**
   * A call to the governance contract, tried with {@code eth_call} first (a refusal comes back
   * with the contract's reason and nothing is sent), then signed, sent and in a block.
   */
  private record Sent(ChorusClient client, String member, byte[] tried, Receipt receipt) {
    static Sent to(TxCommand.Connection node, TxCommand.Key key, byte[] data) {
      ChorusClient client = node.connect();
      Account member = client.account(key.privateKey());
      byte[] tried = client.call(member.address(), GOVERNANCE, data);
      Receipt receipt = client.waitForReceipt(
          client.send(member, GOVERNANCE, BigInteger.ZERO, data, 0), node.timeout());
      return new Sent(client, member.addressHex(), tried, receipt);
    }
  }

  private static int report(CommandSpec spec, Receipt receipt, String what) {
    if (!receipt.success()) {
      return fail(spec, "transaction " + Hex.encode0x(receipt.transactionHash())
          + " failed in block " + receipt.blockNumber());
    }
    spec.commandLine().getOut().println(what + " (transaction "
        + Hex.encode0x(receipt.transactionHash()) + ", block " + receipt.blockNumber() + ")");
    return 0;
  }

  private static int fail(CommandSpec spec, String message) {
    spec.commandLine().getErr().println("chorus gov: " + message);
    return 1;
  }
}
