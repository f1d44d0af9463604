package io.chorus.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A RocksDB key-value store of its own, keys in byte order: for a service's index beside the
 * chain (the EPCIS event store), which a node can drop and rebuild from the chain. Writes are
 * atomic batches; reads are point gets, prefix walks and {@link Cursor}s that seek (to merge
 * ordered index walks without reading them whole).
 */
public final class OrderedStore implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  /** Bits per key of the Bloom filters: about 1 % false positives. */
  private static final int BLOOM_BITS_PER_KEY = 10;

  private final BloomFilter bloom;
  private final Options options;
  private final RocksDB db;

  /** One key and its value in a walk. */
  public record Entry(byte[] key, byte[] value) {}

  /**
   * Opens the store in {@code directory}, creating it when absent.
   *
   * @throws StorageException when RocksDB cannot open it
   */
  public OrderedStore(Path directory) {
    // Index reads test many keys that are absent (is this event in that posting list? is it
    // sealed?): a Bloom filter per table answers most of them without reading a block.
    this.bloom = new BloomFilter(BLOOM_BITS_PER_KEY, false);
    // An index takes in a stream of small keys that the first levels rewrite again and again:
    // kept uncompressed there, LZ4 (which costs less CPU than the default Snappy) below.
    this.options = new Options().setCreateIfMissing(true)
        .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(bloom))
        .setCompressionPerLevel(List.of(CompressionType.NO_COMPRESSION,
            CompressionType.NO_COMPRESSION, CompressionType.LZ4_COMPRESSION,
            CompressionType.LZ4_COMPRESSION, CompressionType.LZ4_COMPRESSION,
            CompressionType.LZ4_COMPRESSION, CompressionType.LZ4_COMPRESSION));
    try {
      Files.createDirectories(directory);
      this.db = RocksDB.open(options, directory.toString());
    } catch (RocksDBException | java.io.IOException e) {
      options.close();
      bloom.close();
      throw new StorageException("cannot open the store in " + directory, e);
    }
  }

  public Optional<byte[]> get(byte[] key) {
    try {
      return Optional.ofNullable(db.get(key));
    } catch (RocksDBException e) {
      throw new StorageException("cannot read the store", e);
    }
  }

  /** Writes every pair at once, or none: a null value deletes its key. */
  public void write(Map<byte[], byte[]> pairs) {
    List<Entry> entries = new ArrayList<>(pairs.size());
    pairs.forEach((key, value) -> entries.add(new Entry(key, value)));
    write(entries);
  }

  /**
   * Writes every entry at once, or none, in order (a later entry for the same key wins): a
   * null value deletes its key. No map to fill: an indexer writing tens of keys per event
   * spent a tenth of its time hashing them into one.
   */
  public void write(List<Entry> entries) {
    try (WriteBatch batch = new WriteBatch(); WriteOptions sync = new WriteOptions()) {
      for (Entry entry : entries) {
        if (entry.value() == null) {
          batch.delete(entry.key());
        } else {
          batch.put(entry.key(), entry.value());
        }
      }
      db.write(sync, batch);
    } catch (RocksDBException e) {
      throw new StorageException("cannot write the store", e);
    }
  }

  /**
   * The entries whose keys start with {@code prefix}, from the first key at or after
   * {@code from} (itself under the prefix) in byte order, at most {@code limit}.
   */
  public List<Entry> scan(byte[] prefix, byte[] from, int limit) {
    List<Entry> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(from); it.isValid() && out.size() < limit; it.next()) {
        byte[] key = it.key();
        if (key.length < prefix.length
            || !Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) {
          break;
        }
        out.add(new Entry(key, it.value()));
      }
    }
    return out;
  }

  /**
   * A cursor over the keys that start with {@code prefix}, positioned nowhere until it seeks.
   * It reads the store as it was when opened; close it (it holds native memory).
   */
  public Cursor cursor(byte[] prefix) {
    return new Cursor(db.newIterator(), prefix.clone());
  }

  /**
   * A position among the keys under one prefix, in byte order: it seeks forward ({@link
   * #seek}) or backward ({@link #seekForPrev}) and steps ({@link #next}, {@link #prev}); each
   * move answers whether it rests on a key under the prefix. Not thread-safe.
   */
  public static final class Cursor implements AutoCloseable {
    private final RocksIterator it;
    private final byte[] prefix;
    private boolean valid;
    private byte[] key;

    private Cursor(RocksIterator it, byte[] prefix) {
      this.it = it;
      this.prefix = prefix;
    }

    /** Moves to the first key at or after {@code key}. */
    public boolean seek(byte[] key) {
      it.seek(key);
      return settle();
    }

    /** Moves to the last key at or before {@code key}. */
    public boolean seekForPrev(byte[] key) {
      it.seekForPrev(key);
      return settle();
    }

    public boolean next() {
      if (valid) {
        it.next();
      }
      return settle();
    }

    public boolean prev() {
      if (valid) {
        it.prev();
      }
      return settle();
    }

    public boolean valid() {
      return valid;
    }

    /** The key it rests on; only when {@link #valid}. */
    public byte[] key() {
      return key;
    }

    public byte[] value() {
      return it.value();
    }

    private boolean settle() {
      valid = false;
      if (it.isValid()) {
        key = it.key();
        valid = key.length >= prefix.length
            && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
      }
      return valid;
    }

    @Override
    public void close() {
      it.close();
    }
  }

  @Override
  public void close() {
    db.close();
    options.close();
    bloom.close();
  }
}
