package io.chorus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AotCachesTest {
  static final List<String> OPTIONS = List.of("-XX:+UseSerialGC");

  @TempDir Path dir;

  @Test
  void memberZeroRecordsACacheThatEveryLaterMemberStartsFromUntilTheJarsChange()
      throws Exception {
    Path jar = Files.writeString(dir.resolve("chorus.jar"), "classes");
    Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000));
    Path folder = dir.resolve("aot");
    List<Path> jars = List.of(jar);

    List<String> recording = NetworkLauncher.aotCacheOptions(0, OPTIONS, folder, jars);
    assertEquals(1, recording.size());
    String output = recording.get(0);
    assertEquals(true, output.startsWith("-XX:AOTCacheOutput=" + folder + "/member-jdk")
        && output.endsWith("%p.aot"), output);
    assertEquals(List.of(), NetworkLauncher.aotCacheOptions(1, OPTIONS, folder, jars),
        "one member records; the others start without a cache");

    // What the JVM leaves once member 0 stopped: the file %p named, and no .config beside it.
    Path cache = Path.of(output.substring("-XX:AOTCacheOutput=".length()).replace("%p", "pid7"));
    Files.writeString(cache, "cache");
    Files.setLastModifiedTime(cache, FileTime.fromMillis(2_000_000));
    Files.writeString(Path.of(cache + ".config"), "still being written");
    assertEquals(List.of(), NetworkLauncher.aotCacheOptions(1, OPTIONS, folder, jars),
        "a cache the JVM is still writing is not used");
    Files.delete(Path.of(cache + ".config"));
    for (int member = 0; member < 4; member++) {
      assertEquals(List.of("-XX:AOTCache=" + cache),
          NetworkLauncher.aotCacheOptions(member, OPTIONS, folder, jars));
    }
    assertEquals(1, NetworkLauncher.aotCacheOptions(0, List.of("-XX:+UseG1GC"), folder, jars)
        .stream().filter(o -> o.startsWith("-XX:AOTCacheOutput=")).count(),
        "a cache made with other options is not theirs");

    // A member killed while recording leaves its .config and no cache.
    Path killed = Files.writeString(Path.of(cache.toString().replace("pid7", "pid8") + ".config"),
        "never finished");
    Files.setLastModifiedTime(killed, FileTime.fromMillis(2_500_000));
    Files.setLastModifiedTime(jar, FileTime.fromMillis(3_000_000)); // a rebuild
    assertEquals(output, NetworkLauncher.aotCacheOptions(0, OPTIONS, folder, jars).get(0));
    assertFalse(Files.exists(cache), "a cache older than the jars is deleted");
    assertFalse(Files.exists(killed), "so is what a killed recording left");
  }
}
