package io.chorus.p2p.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.logging.Logger;

/**
 * A node's TLS directory as a {@link CredentialSource}: {@value ChainCa#CERTIFICATE_FILE},
 * {@value TlsCredentials#CERTIFICATE_FILE} and {@value TlsCredentials#KEY_FILE}, read again
 * when one of them changes on disk ({@code chorus ca rotate}, or an operator copying new files
 * in). Files that do not load together (a rotation half-written, a key that is not the
 * certificate's) keep the credentials in force, are reported, and are tried again at the next
 * poll.
 */
public final class TlsDirectory implements CredentialSource {
  private static final Logger LOG = Logger.getLogger(TlsDirectory.class.getName());

  private final Path directory;
  private volatile TlsCredentials current;
  private List<FileTime> stamps;
  private long version;

  /**
   * Loads the credentials now.
   *
   * @throws IOException when the files are missing, malformed or do not belong together
   */
  public TlsDirectory(Path directory) throws IOException {
    this.directory = Objects.requireNonNull(directory, "directory");
    this.stamps = stamps();
    this.current = load(directory);
  }

  @Override
  public TlsCredentials current() {
    return current;
  }

  @Override
  public synchronized long version() {
    List<FileTime> now;
    try {
      now = stamps();
    } catch (IOException e) {
      LOG.warning("cannot read the TLS files in " + directory + ": " + e.getMessage());
      return version;
    }
    if (now.equals(stamps)) {
      return version;
    }
    try {
      current = load(directory);
      stamps = now;
      version++;
    } catch (IOException | RuntimeException e) {
      LOG.warning("the TLS files in " + directory + " changed but do not load ("
          + e.getMessage() + "); the current certificate stays in force");
    }
    return version;
  }

  /**
   * Reads the node's credentials and checks that its key is its certificate's.
   *
   * @throws IOException naming what is wrong
   */
  public static TlsCredentials load(Path directory) throws IOException {
    TlsCredentials credentials = TlsCredentials.load(directory);
    if (!KeyPairs.matches(credentials.nodeKey(), credentials.nodeCertificate().getPublicKey())) {
      throw new IOException(directory.resolve(TlsCredentials.KEY_FILE) + " is not the key of "
          + directory.resolve(TlsCredentials.CERTIFICATE_FILE));
    }
    return credentials;
  }

  private List<FileTime> stamps() throws IOException {
    List<FileTime> times = new ArrayList<>();
    for (String file : List.of(ChainCa.CERTIFICATE_FILE, TlsCredentials.CERTIFICATE_FILE,
        TlsCredentials.KEY_FILE)) {
      times.add(Files.getLastModifiedTime(directory.resolve(file)));
    }
    return times;
  }
}
