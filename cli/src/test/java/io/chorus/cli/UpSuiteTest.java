package io.chorus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.chain.GenesisFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code up --suite} reaches the genesis of a new chain (through init, here the network layout
 * up makes) and is refused for an existing chain of another suite before anything starts.
 */
class UpSuiteTest {
  @TempDir Path dir;

  @Test
  void theSuiteOfAnExistingChainCannotChange() {
    Path net = dir.resolve("net");
    assertEquals(0, run("init", "--dir", net.toString(), "--validators", "4", "--suite", "sm"));
    assertEquals("sm", GenesisFile.read(net.resolve("node0").resolve("genesis.json")).suite());
    StringWriter err = new StringWriter();
    int code = Chorus.commandLine().setOut(new PrintWriter(new StringWriter()))
        .setErr(new PrintWriter(err, true))
        .execute("up", "--dir", net.toString(), "--suite", "ethereum");
    assertEquals(2, code);
    assertTrue(err.toString().contains("holds a chain of the sm suite, not ethereum"),
        err.toString());
    StringWriter misspelt = new StringWriter();
    code = Chorus.commandLine().setOut(new PrintWriter(new StringWriter()))
        .setErr(new PrintWriter(misspelt, true)).execute("up", "--dir", dir.resolve("other")
            .toString(), "--suite", "sm3");
    assertEquals(2, code);
    assertTrue(misspelt.toString().contains("unknown crypto suite 'sm3'"), misspelt.toString());
  }

  private static int run(String... args) {
    return Chorus.commandLine().setOut(new PrintWriter(new StringWriter()))
        .setErr(new PrintWriter(new StringWriter())).execute(args);
  }
}
