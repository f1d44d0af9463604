package io.chorus.console;

import io.chorus.rpc.StaticSite;

/**
 * The web console's files, served by every node under {@value #PATH}: the pages are plain HTML,
 * CSS and JavaScript modules in this jar, and read only the node that serves them (JSON-RPC on
 * POST /, live blocks over the WebSocket, the services' REST API), so they never drift from the
 * chain and work with no network beyond the node.
 */
public final class Console {
  /** Where a node serves the console. */
  public static final String PATH = "/console";

  private Console() {}

  /** The console's files, read from this jar. */
  public static StaticSite site() {
    return StaticSite.fromClassPath(PATH, Console.class.getClassLoader(),
        "io/chorus/console/site");
  }
}
