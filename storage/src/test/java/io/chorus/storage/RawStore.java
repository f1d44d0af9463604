package io.chorus.storage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

/**
 * A closed {@link ChainStore}'s RocksDB directory opened directly, for tests that damage or count
 * what the store wrote.
 */
final class RawStore {
  /** Every column family of the store; RocksDB opens a directory only with all of them. */
  static final List<String> FAMILIES = java.util.stream.Stream.concat(
      java.util.stream.Stream.of("default"), ChainStore.FAMILIES.stream()).toList();

  private RawStore() {}

  /** What a test does with the database; {@code family} names a column family's handle. */
  interface Use {
    void apply(RocksDB db, Families family) throws Exception;
  }

  /** The handle of a column family by its name. */
  interface Families {
    ColumnFamilyHandle get(String name);
  }

  static void open(Path dir, Use use) throws Exception {
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (String family : FAMILIES) {
      descriptors.add(new ColumnFamilyDescriptor(family.getBytes(StandardCharsets.US_ASCII)));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options = new DBOptions();
        RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles)) {
      try {
        use.apply(db, name -> {
          int index = FAMILIES.indexOf(name);
          if (index < 0) {
            throw new IllegalArgumentException("no column family " + name);
          }
          return handles.get(index);
        });
      } finally {
        handles.forEach(ColumnFamilyHandle::close);
      }
    }
  }
}
