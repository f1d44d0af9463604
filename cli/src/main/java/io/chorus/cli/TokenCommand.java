package io.chorus.cli;

import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import io.chorus.service.ApiTokens;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chorus token}: the REST API's tokens in a node's data directory. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = {
        "API tokens for the node's REST API (/api/v1/...): each acts for one account with",
        "a set of roles, and is sent as 'Authorization: Bearer <token>'. The node keeps",
        "only their SHA-256 in DIR/" + ApiTokens.FILE_NAME + " and sees an issue or a",
        "revocation at the next request, without a restart."},
    subcommands = {TokenCommand.Issue.class, TokenCommand.ListTokens.class,
        TokenCommand.Revoke.class})
final class TokenCommand {
  private TokenCommand() {}

  /** The member's own data directory: a network's root holds no node's tokens. */
  static Path nodeDir(NodeOptions.Dir dir) {
    Path root = dir.or(DataDir.DEFAULT);
    if (NetworkDir.isNetwork(root)) {
      throw new IllegalArgumentException(root + " is a whole network's directory: name one"
          + " member's, e.g. --dir " + root.resolve("node0"));
    }
    if (!new DataDir(root).initialized()) {
      throw new IllegalArgumentException("no node in " + root + ": run 'chorus init --dir "
          + root + "' first, or name a node's directory with --dir");
    }
    return root;
  }

  /** {@code 30d}, {@code 12h}, {@code 90m} or an ISO-8601 duration such as {@code P30D}. */
  static Duration lifetime(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.matches("\\d+[dhm]")) {
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
          case 'd' -> Duration.ofDays(n);
          case 'h' -> Duration.ofHours(n);
          default -> Duration.ofMinutes(n);
        };
      }
      return Duration.parse(text.trim());
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException("--expires takes e.g. 30d, 12h, 90m or P30D, not '"
          + text + "'");
    }
  }

  @Command(name = "issue", mixinStandardHelpOptions = true,
      description = "Issues a token and prints it once: store it, the node cannot show it"
          + " again.")
  static final class Issue implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin NodeOptions.Dir dir = new NodeOptions.Dir();

    @Option(names = "--account", required = true, paramLabel = "0xADDRESS",
        description = "The account the token acts for (the node signs its writes with this"
            + " account's keystore key; see 'chorus account').")
    String account;

    @Option(names = "--role", required = true, paramLabel = "ROLE",
        description = "A role the token holds, e.g. notary.writer or chain.sender; repeat for"
            + " more.")
    List<String> roles;

    @Option(names = "--expires", paramLabel = "DURATION",
        description = "Lifetime, e.g. 30d, 12h, 90m or P30D (default: no expiry).")
    String expires;

    @Override
    public Integer call() {
      Path node = nodeDir(dir);
      Address address;
      try {
        address = Address.parse(account);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--account takes 0x and 40 hex digits, not '"
            + account + "'");
      }
      ApiTokens.Issued issued = ApiTokens.issue(node, address, new LinkedHashSet<>(roles),
          Optional.ofNullable(expires).map(TokenCommand::lifetime), Clock.systemUTC(),
          new SecureRandom());
      PrintWriter out = spec.commandLine().getOut();
      out.println(issued.token());
      spec.commandLine().getErr().println("token " + issued.entry().id() + " for "
          + Hex.encode0x(address.toArray()) + ", roles " + String.join(",",
          issued.entry().roles()) + ", " + issued.entry().expiresAt()
          .map(t -> "expires " + t).orElse("no expiry") + "; shown once: store it now");
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Lists the node's tokens: id, account, roles, expiry, state.")
  static final class ListTokens implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin NodeOptions.Dir dir = new NodeOptions.Dir();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      java.time.Instant now = Clock.systemUTC().instant();
      for (ApiTokens.Entry entry : ApiTokens.list(nodeDir(dir))) {
        String state = entry.revoked() ? "revoked" : entry.expired(now) ? "expired" : "active";
        out.printf("%s  %-7s  %s  %s  %s%n", entry.id(), state,
            Hex.encode0x(entry.account().toArray()), String.join(",", entry.roles()),
            entry.expiresAt().map(t -> "expires " + t).orElse("no expiry"));
      }
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Revokes a token; the running node refuses it from its next request.")
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin NodeOptions.Dir dir = new NodeOptions.Dir();

    @Parameters(paramLabel = "ID", description = "The token's id, as 'chorus token list'"
        + " shows it.")
    String id;

    @Override
    public Integer call() {
      ApiTokens.Entry revoked = ApiTokens.revoke(nodeDir(dir), id);
      spec.commandLine().getOut().println("revoked token " + revoked.id() + " of "
          + Hex.encode0x(revoked.account().toArray()));
      return 0;
    }
  }
}
