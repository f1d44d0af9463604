package io.chorus.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.consensus.ConsensusState;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-ahead state survives reopening, a torn last write, and the older file form; a
 * member that never wrote one starts afresh, but slots that hold bytes and no state are not
 * taken for "never voted".
 */
class ConsensusStateFileTest {
  @TempDir
  Path dir;

  private static ConsensusState at(long height, int round) {
    return new ConsensusState(height, round, Optional.empty(), Optional.empty());
  }

  @Test
  void theLastWriteIsWhatReopeningReads() throws IOException {
    Path file = dir.resolve("consensus-state");
    try (ConsensusStateFile state = ConsensusStateFile.open(file)) {
      assertTrue(state.latest().isEmpty());
      for (int i = 1; i <= 5; i++) {
        state.write(at(i, i % 3));
      }
    }
    try (ConsensusStateFile state = ConsensusStateFile.open(file)) {
      assertEquals(Optional.of(at(5, 2)), state.latest());
      state.write(at(6, 0)); // continues the sequence: goes over the older slot
    }
    try (ConsensusStateFile state = ConsensusStateFile.open(file)) {
      assertEquals(Optional.of(at(6, 0)), state.latest());
    }
  }

  @Test
  void aTornLastWriteLeavesTheStateBeforeIt() throws IOException {
    Path file = dir.resolve("consensus-state");
    try (ConsensusStateFile state = ConsensusStateFile.open(file)) {
      state.write(at(7, 1));
      state.write(at(8, 0)); // the second write lands in slot 0
    }
    Path newest = ConsensusStateFile.slot(file, 0);
    long size = Files.size(newest);
    try (FileChannel channel = FileChannel.open(newest, StandardOpenOption.WRITE)) {
      channel.truncate(size - 1); // the crash cut the record's last byte
    }
    try (ConsensusStateFile state = ConsensusStateFile.open(file)) {
      assertEquals(Optional.of(at(7, 1)), state.latest());
      assertFalse(state.unreadable());
    }
  }

  @Test
  void bothSlotsUnreadableIsUnknownNotNeverVoted() throws IOException {
    Path file = dir.resolve("consensus-state");
    Files.write(file, at(3, 0).encode()); // an older state in the single-file form
    try (ConsensusStateFile state = ConsensusStateFile.open(file)) {
      state.write(at(7, 1));
      state.write(at(8, 0));
    }
    for (int i = 0; i < 2; i++) {
      byte[] flipped = Files.readAllBytes(ConsensusStateFile.slot(file, i));
      flipped[flipped.length - 1] ^= 1; // both records rot
      Files.write(ConsensusStateFile.slot(file, i), flipped);
    }
    try (ConsensusStateFile state = ConsensusStateFile.open(file)) {
      assertEquals(Optional.empty(), state.latest(), "the older file is older than the slots");
      assertTrue(state.unreadable());
      state.write(at(9, 0)); // once this member votes again, that is what it knows
    }
    try (ConsensusStateFile state = ConsensusStateFile.open(file)) {
      assertFalse(state.unreadable());
      assertEquals(Optional.of(at(9, 0)), state.latest());
    }
  }

  @Test
  void aMemberThatNeverWroteAStateStartsAfresh() throws IOException {
    Path file = dir.resolve("consensus-state");
    for (int opening = 0; opening < 2; opening++) { // the second finds the empty slots
      try (ConsensusStateFile state = ConsensusStateFile.open(file)) {
        assertFalse(state.unreadable());
        assertEquals(Optional.empty(), state.latest());
      }
    }
    assertTrue(Files.isRegularFile(ConsensusStateFile.slot(file, 0)));
  }

  @Test
  void theSingleFileOfEarlierVersionsIsReadWhenNoSlotHoldsAState() throws IOException {
    Path file = dir.resolve("consensus-state");
    Files.write(file, at(3, 2).encode());
    try (ConsensusStateFile state = ConsensusStateFile.open(file)) {
      assertEquals(Optional.of(at(3, 2)), state.latest());
      state.write(at(4, 0));
    }
    try (ConsensusStateFile state = ConsensusStateFile.open(file)) {
      assertEquals(Optional.of(at(4, 0)), state.latest());
    }
  }

  @Test
  void aFileThatIsNoStateStopsTheValidatorWithWhatToDo() throws IOException {
    Path file = dir.resolve("consensus-state");
    Files.write(file, new byte[] {1, 2, 3});
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ConsensusStateFile.open(file));
    assertTrue(e.getMessage().contains("has not voted"), e.getMessage());
  }
}
