package io.chorus.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The node a service verb talks to and the caller's API token: {@code --url}, and {@code
 * --token-file} or {@value #TOKEN_ENV}. Each service's verbs extend it with their client.
 */
class ServiceNode {
  static final String TOKEN_ENV = "CHORUS_API_TOKEN";

  @Option(names = "--url", defaultValue = "http://127.0.0.1:8545", paramLabel = "URL",
      description = "The node's HTTP URL (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "A file holding an API token ('chorus token issue'); or set " + TOKEN_ENV
          + ".")
  Path tokenFile;

  /**
   * The token from {@code --token-file}, else {@value #TOKEN_ENV}; null when there is none.
   *
   * @param missing when not null, a token is required and this is the message when there is
   *     none: which role it needs and how to give and issue one
   */
  String token(String missing) {
    String token = System.getenv(TOKEN_ENV);
    if (tokenFile != null) {
      try {
        token = Files.readString(tokenFile).trim();
      } catch (IOException e) {
        throw new IllegalArgumentException(VerifyCommand.problem(tokenFile, e), e);
      }
    }
    if (token == null || token.isBlank()) {
      if (missing != null) {
        throw new IllegalArgumentException(missing);
      }
      return null;
    }
    return token;
  }
}
