package io.chorus.storage;

import java.io.IOException;
import java.nio.file.Path;
import org.rocksdb.NativeLibraryLoader;

/**
 * Where RocksDB's native library is unpacked. By default RocksJava writes a new 15 MB copy into
 * the JVM's temporary directory at each start and deletes it only on an orderly exit, so every
 * node killed with SIGKILL left one behind. A separate class from {@link ChainStore}, whose
 * initialisation loads the library the default way.
 */
public final class RocksLibrary {
  private RocksLibrary() {}

  /**
   * Loads the library, unpacked into {@code directory} under a fixed name (replaced on each
   * start). Call before the first {@link ChainStore} opens; later loads reuse it.
   *
   * @throws StorageException when it cannot be written or loaded there
   */
  public static void loadInto(Path directory) {
    try {
      NativeLibraryLoader.getInstance().loadLibrary(directory.toString());
    } catch (IOException | UnsatisfiedLinkError e) {
      throw new StorageException("cannot load RocksDB's native library from " + directory, e);
    }
  }
}
