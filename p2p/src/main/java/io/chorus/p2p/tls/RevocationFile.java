package io.chorus.p2p.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Revoked certificates listed in a text file of the node's data directory
 * ({@value #FILE_NAME} beside the node's TLS files): one serial number a line in hex, as
 * {@code openssl x509 -noout -serial} prints it (a {@code serial=} prefix is allowed), with
 * {@code #} comments. Serial numbers are 127 random bits, so one names one certificate of the
 * consortium. A missing file revokes nothing.
 *
 * <p>The file is read again when its modification time or size changes, checked whenever the
 * network polls {@link #version()}. A file that no longer parses keeps the last good list and
 * is reported, so a half-written edit cannot readmit a revoked node.
 */
public final class RevocationFile implements RevocationSource {
  /** The file's name in a node's TLS directory. */
  public static final String FILE_NAME = "revoked.txt";
  private static final Logger LOG = Logger.getLogger(RevocationFile.class.getName());

  private final Path file;
  private volatile Set<BigInteger> revoked = Set.of();
  private FileTime modified;
  private long size = -1;
  private long version;

  /**
   * Reads the file now.
   *
   * @throws UncheckedIOException when it exists and cannot be read or parsed
   */
  public RevocationFile(Path file) {
    this.file = Objects.requireNonNull(file, "file");
    try {
      reloadIfChanged();
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  @Override
  public boolean isRevoked(X509Certificate certificate) {
    return revoked.contains(certificate.getSerialNumber());
  }

  @Override
  public synchronized long version() {
    try {
      reloadIfChanged();
    } catch (IOException e) {
      LOG.warning(e.getMessage() + "; the previous list of " + revoked.size()
          + " revoked certificates stays in force");
    }
    return version;
  }

  private synchronized void reloadIfChanged() throws IOException {
    FileTime nowModified;
    long nowSize;
    try {
      nowModified = Files.getLastModifiedTime(file);
      nowSize = Files.size(file);
    } catch (NoSuchFileException e) {
      nowModified = null;
      nowSize = -1;
    }
    if (Objects.equals(nowModified, modified) && nowSize == size) {
      return;
    }
    Set<BigInteger> parsed = nowModified == null ? Set.of() : parse(file);
    modified = nowModified;
    size = nowSize;
    if (!parsed.equals(revoked)) {
      revoked = parsed;
      version++;
    }
  }

  /**
   * The serial numbers listed in a revocation file.
   *
   * @throws IOException when unreadable, or naming the first malformed line
   */
  public static Set<BigInteger> parse(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Set<BigInteger> serials = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int comment = line.indexOf('#');
      String text = (comment < 0 ? line : line.substring(0, comment)).strip();
      if (text.startsWith("serial=")) {
        text = text.substring("serial=".length());
      }
      if (text.isEmpty()) {
        continue;
      }
      try {
        serials.add(new BigInteger(text, 16));
      } catch (NumberFormatException e) {
        throw new IOException(file + " line " + (i + 1) + ": '" + text + "' is not a hex "
            + "certificate serial number", e);
      }
    }
    return Set.copyOf(serials);
  }

  /** Appends a certificate's serial number with a comment naming it. */
  public static void append(Path file, X509Certificate certificate) throws IOException {
    String line = certificate.getSerialNumber().toString(16).toUpperCase() + "  # "
        + certificate.getSubjectX500Principal() + System.lineSeparator();
    Files.writeString(file, line, StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
  }
}
