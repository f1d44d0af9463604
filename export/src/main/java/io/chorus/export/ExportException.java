package io.chorus.export;

/**
 * Why the exporter stopped, with a message that names what to fix. {@link Kind} tells a
 * configuration mistake from a database the exporter refuses to write into.
 */
public final class ExportException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of problem: each has its own exit code in {@code chorus export}. */
  public enum Kind {
    /** The node or the database cannot be reached or used as configured: exit code 2. */
    CONFIGURATION(2),
    /** The database holds a newer schema or another chain: exit code 3. */
    REFUSED(3),
    /** The node answered something the exporter cannot write (a bug or a foreign node). */
    FAILED(1);

    private final int exitCode;

    Kind(int exitCode) {
      this.exitCode = exitCode;
    }

    public int exitCode() {
      return exitCode;
    }
  }

  private final Kind kind;

  public ExportException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public ExportException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
