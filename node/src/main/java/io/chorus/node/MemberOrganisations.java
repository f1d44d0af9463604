package io.chorus.node;

import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import io.chorus.p2p.tls.Subjects;
import io.chorus.p2p.tls.TlsDirectory;
import io.chorus.trace.ConsortiumDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The consortium as a network member knows it, for the EPCIS service's visibility: this node's
 * organisation from its node certificate, its organisation's data key pairs from {@value
 * Node.Config#ORG_DATA_KEY_FILE} in its data directory, and its consensus key pair (which
 * opens captures sealed before organisations had data keys).
 *
 * <p>The data key file holds the organisation's private data keys in hex, one a line: the
 * current one and those it had before a rotation ({@code chorus ca data-key} writes it). It is
 * read again when it changes, so a node given a new key before a rotation takes effect needs
 * no restart.
 */
final class MemberOrganisations implements ConsortiumDirectory {
  private static final System.Logger LOG = System.getLogger(MemberOrganisations.class.getName());

  private final TlsDirectory tls;
  private final KeyPair keys;
  private final CryptoSuite suite;
  private final Path dataKeyFile;
  private volatile Ring ring;

  // The key pairs read from the file, with the time it was last changed when read.
  private record Ring(List<KeyPair> keys, FileTime modified) {}

  /**
   * @throws IllegalArgumentException when the data key file exists and is not one private key
   *     of the suite per line
   */
  MemberOrganisations(TlsDirectory tls, KeyPair keys, CryptoSuite suite, Path dataKeyFile) {
    this.tls = tls;
    this.keys = keys;
    this.suite = suite;
    this.dataKeyFile = dataKeyFile;
    this.ring = read();
  }

  @Override
  public Optional<String> organisation() {
    String name = Subjects.organisation(tls.current().nodeCertificate());
    return name.isEmpty() ? Optional.empty() : Optional.of(name);
  }

  @Override
  public List<KeyPair> organisationDataKeys() {
    Ring known = ring;
    if (!modified().equals(known.modified())) {
      try {
        known = read();
        ring = known;
      } catch (IllegalArgumentException e) {
        // Caught mid-edit, say: the keys read before stay until the file reads whole.
        LOG.log(System.Logger.Level.WARNING, e.getMessage());
      }
    }
    return known.keys();
  }

  @Override
  public Optional<KeyPair> nodeKeyPair() {
    return organisation().map(name -> keys);
  }

  private Ring read() {
    FileTime modified = modified();
    List<KeyPair> read = new ArrayList<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(dataKeyFile);
    } catch (NoSuchFileException e) {
      return new Ring(List.of(), modified);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the organisation data keys in "
          + dataKeyFile + ": " + e.getMessage(), e);
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      try {
        read.add(suite.keyPair(Hex.decode(line)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(dataKeyFile + " line " + (i + 1) + " is not a"
            + " private key of suite " + suite.name() + " in hex (" + e.getMessage() + "): the"
            + " file holds the organisation's private data keys, one a line, as 'chorus ca"
            + " data-key' writes it", e);
      }
    }
    return new Ring(List.copyOf(read), modified);
  }

  private FileTime modified() {
    try {
      return Files.getLastModifiedTime(dataKeyFile);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }
}
