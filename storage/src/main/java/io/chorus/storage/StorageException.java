package io.chorus.storage;

/** A storage failure: the database refused an operation, or stored data is missing or corrupt. */
public final class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
