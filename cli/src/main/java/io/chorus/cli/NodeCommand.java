package io.chorus.cli;

import io.chorus.node.Node;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chorus node}: runs a node in the foreground until it is stopped. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = {
        "Runs a node from a data directory (made by 'chorus init') in the foreground: the chain,",
        "its block producer and JSON-RPC over HTTP and WebSocket on one port, with /metrics.",
        "Stops cleanly on Ctrl-C or SIGTERM ('chorus down')."})
final class NodeCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private NodeOptions.Dir dir = new NodeOptions.Dir();
  @Mixin private NodeOptions.Rpc rpc = new NodeOptions.Rpc();

  @Override
  public Integer call() throws InterruptedException {
    DataDir data = dir.dataDir();
    data.running().ifPresent(r -> {
      throw new IllegalArgumentException("a node (pid " + r.pid() + ") already runs on "
          + data.root + " at " + r.rpcUrl() + ": stop it with 'chorus down" + dir.flag() + "'");
    });
    Node node = Node.start(new Node.Config(data.root, rpc.host, rpc.port));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      data.clearRunning();
      stopped.countDown();
    }, "chorus-shutdown"));
    data.writeRunning(new DataDir.Running(ProcessHandle.current().pid(), node.rpcUrl()));
    spec.commandLine().getOut().println("chorus node: chain " + node.chain().chainId()
        + ", head " + node.chain().head().number() + ", JSON-RPC on " + node.rpcUrl()
        + " (WebSocket on the same port, metrics at " + node.rpcUrl() + "/metrics)");
    spec.commandLine().getOut().flush();
    stopped.await();
    return 0;
  }
}
