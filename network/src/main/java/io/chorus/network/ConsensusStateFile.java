package io.chorus.network;

import io.chorus.consensus.ConsensusState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * A validator's write-ahead consensus state on disk: two slot files, {@code NAME.0} and
 * {@code NAME.1}, written in turn and made durable (fdatasync) before the votes that depend on
 * the state leave. Each holds one record: magic, CRC-32C of the rest, sequence number, payload
 * length, payload. The newest slot whose record checks out is the state; a write that a crash
 * tore fails its check and leaves the slot before it, whose votes were the last to leave.
 *
 * <p>Against write-then-rename this opens no file per write (a validator persists two or three
 * times per block) and needs no directory sync after the slots exist. A state file of the
 * older, single-file form ({@code NAME}) is read when both slots are missing or empty.
 *
 * <p>Slots that hold bytes but no record that checks out are not "never voted": a torn write
 * spoils one slot and leaves the other's record, so no record at all means rot, foreign files
 * or a first write cut short (which looks the same as that first record rotting), and what this
 * validator last voted is unknown ({@link #unreadable}). A missing or empty pair is a member
 * that never wrote one.
 */
final class ConsensusStateFile implements StateWriter, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ConsensusStateFile.class.getName());
  private static final int MAGIC = 0x43535431; // "CST1"
  /** magic, CRC, sequence, length. */
  private static final int HEADER_BYTES = 4 + 4 + 8 + 4;
  /** A record's payload above this is corrupt, not a state: it holds one block at most. */
  static final int PAYLOAD_MAX = 64 * 1024 * 1024;

  private final Path legacy;
  private final Path[] slots;
  private final FileChannel[] channels = new FileChannel[2];
  private final Optional<ConsensusState> latest;
  private final boolean unreadable;
  private long sequence;

  private ConsensusStateFile(Path file) throws IOException {
    this.legacy = file;
    this.slots = new Path[] {slot(file, 0), slot(file, 1)};
    Record newest = null;
    Path spoilt = null; // a slot with bytes but no record that checks out
    for (Path slot : slots) {
      Record record = read(slot);
      if (record == null && Files.isRegularFile(slot) && Files.size(slot) > 0) {
        spoilt = slot;
      }
      if (record != null && (newest == null || record.sequence > newest.sequence)) {
        newest = record;
      }
    }
    unreadable = newest == null && spoilt != null;
    if (newest != null) {
      if (spoilt != null) {
        LOG.log(Level.WARNING, spoilt + " holds no complete state, ignored: a write cut short"
            + " by a crash, whose votes never left");
      }
      sequence = newest.sequence;
      latest = Optional.of(decode(newest.payload, slots[(int) (newest.sequence & 1)]));
    } else if (unreadable) {
      // The single-file form, if still there, is older than the slots written after it.
      LOG.log(Level.WARNING, slots[0] + " and " + slots[1].getFileName() + " hold no"
          + " consensus state that checks out, but not nothing (rot, files from elsewhere, or"
          + " a first write cut short): what this validator last voted is unknown");
      latest = Optional.empty();
    } else if (Files.isRegularFile(legacy)) {
      latest = Optional.of(decode(Files.readAllBytes(legacy), legacy));
    } else {
      latest = Optional.empty();
    }
    boolean created = false;
    try {
      for (int i = 0; i < 2; i++) {
        created |= !Files.exists(slots[i]);
        channels[i] = FileChannel.open(slots[i], StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
      }
      if (created) {
        syncDirectory(file.toAbsolutePath().getParent());
      }
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  /**
   * Opens the state kept under {@code file}'s name, creating its slots when missing.
   *
   * @throws UncheckedIOException when the slots cannot be read or created, or the newest record
   *     passes its check but is not a consensus state
   */
  static ConsensusStateFile open(Path file) {
    try {
      return new ConsensusStateFile(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the consensus state " + file + ": "
          + e.getMessage(), e);
    }
  }

  static Path slot(Path file, int index) {
    return file.resolveSibling(file.getFileName() + "." + index);
  }

  /**
   * The state persisted last before this file was opened; empty when none was, or when it is
   * {@link #unreadable}.
   */
  Optional<ConsensusState> latest() {
    return latest;
  }

  /**
   * Whether the slots hold bytes but no state: this validator may have voted at a height it
   * cannot tell, so it must not vote again until that height is final. It stays so on every
   * opening until a state is written.
   */
  boolean unreadable() {
    return unreadable;
  }

  /** Writes {@code state} over the older slot and returns once it is durable. */
  @Override
  public void write(ConsensusState state) throws IOException {
    byte[] payload = state.encode();
    long next = sequence + 1;
    ByteBuffer record = ByteBuffer.allocate(HEADER_BYTES + payload.length);
    record.putInt(MAGIC).putInt(0).putLong(next).putInt(payload.length).put(payload);
    record.putInt(4, checksum(record.array(), record.position()));
    record.flip();
    int slot = (int) (next & 1);
    try {
      while (record.hasRemaining()) {
        channels[slot].write(record, record.position());
      }
      channels[slot].force(false);
    } catch (IOException e) {
      // A channel's error names no file (EPERM reads "Operation not permitted"): say which.
      throw new IOException("writing " + slots[slot] + ": " + e.getMessage(), e);
    }
    sequence = next;
  }

  /** The two slot files, for messages. */
  @Override
  public String toString() {
    return slots[0] + " and " + slots[1].getFileName();
  }

  @Override
  public void close() {
    for (FileChannel channel : channels) {
      if (channel == null) {
        continue;
      }
      try {
        channel.close();
      } catch (IOException e) {
        // Every write was forced before it returned: nothing is lost by a failed close.
        LOG.log(Level.WARNING, "closing the consensus state failed: " + e.getMessage());
      }
    }
  }

  private record Record(long sequence, byte[] payload) {}

  /** The slot's record, or null when it has none that checks out (empty, torn or foreign). */
  private static Record read(Path slot) throws IOException {
    if (!Files.isRegularFile(slot)) {
      return null;
    }
    byte[] bytes = Files.readAllBytes(slot);
    if (bytes.length < HEADER_BYTES) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int length = in.getInt(16);
    if (in.getInt(0) != MAGIC || length < 0 || length > PAYLOAD_MAX
        || length > bytes.length - HEADER_BYTES) {
      return null;
    }
    int recordEnd = HEADER_BYTES + length;
    if (in.getInt(4) != checksum(bytes, recordEnd)) {
      return null;
    }
    return new Record(in.getLong(8), Arrays.copyOfRange(bytes, HEADER_BYTES, recordEnd));
  }

  /** CRC-32C of a record's bytes after the CRC field, up to {@code recordEnd}. */
  private static int checksum(byte[] bytes, int recordEnd) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 8, recordEnd - 8);
    return (int) crc.getValue();
  }

  private static ConsensusState decode(byte[] payload, Path from) {
    try {
      return ConsensusState.decode(payload);
    } catch (RuntimeException e) {
      throw new IllegalStateException(from + " holds no consensus state this version reads ("
          + e.getMessage() + "): restore it, or remove it only if this validator has not voted"
          + " at its height", e);
    }
  }

  private static void syncDirectory(Path directory) throws IOException {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    }
  }
}
