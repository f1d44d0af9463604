import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/**
 * Each column family's bytes on disk in a chain store (a stopped node's {@code chain}
 * directory), after flushing and fully compacting it, so that the figures do not depend on when
 * RocksDB last compacted: run by bench/state-history-disk.sh.
 */
public class ColumnFamilySizes {
  public static void main(String[] args) throws Exception {
    RocksDB.loadLibrary();
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    try (Options options = new Options()) {
      for (byte[] name : RocksDB.listColumnFamilies(options, args[0])) {
        descriptors.add(new ColumnFamilyDescriptor(name));
      }
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options = new DBOptions(); FlushOptions flush = new FlushOptions();
        RocksDB db = RocksDB.open(options, args[0], descriptors, handles)) {
      flush.setWaitForFlush(true);
      long total = 0;
      for (int i = 0; i < handles.size(); i++) {
        ColumnFamilyHandle family = handles.get(i);
        db.flush(flush, family);
        db.compactRange(family);
        long bytes = Long.parseLong(db.getProperty(family, "rocksdb.total-sst-files-size"));
        long keys = Long.parseLong(db.getProperty(family, "rocksdb.estimate-num-keys"));
        total += bytes;
        System.out.printf("%-14s %,14d bytes %,12d keys%n",
            new String(descriptors.get(i).getName()), bytes, keys);
      }
      System.out.printf("%-14s %,14d bytes%n", "total", total);
      handles.forEach(ColumnFamilyHandle::close);
    }
  }
}
