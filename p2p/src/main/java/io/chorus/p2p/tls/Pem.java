package io.chorus.p2p.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * PEM text for certificates ({@code CERTIFICATE}) and unencrypted PKCS#8 private keys
 * ({@code PRIVATE KEY}): the formats openssl, Go and the JDK (through Netty) all read, so an
 * operator can inspect the chain's files with {@code openssl x509 -text}. Key files are written
 * owner-read/write only where the file system has POSIX permissions.
 */
public final class Pem {
  private Pem() {}

  /** The PEM text of a certificate. */
  public static String certificate(X509Certificate certificate) {
    return write(certificate);
  }

  /** The PKCS#8 PEM text of a private key. */
  public static String privateKey(PrivateKey key) {
    try {
      PemObject pkcs8 = new JcaPKCS8Generator(key, null).generate();
      return write(pkcs8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a " + key.getAlgorithm() + " key", e);
    }
  }

  /**
   * The first certificate in PEM text.
   *
   * @throws IOException when the text holds no certificate or a malformed one
   */
  public static X509Certificate parseCertificate(String pem) throws IOException {
    Object object = parse(pem);
    if (!(object instanceof X509CertificateHolder holder)) {
      throw new IOException("no CERTIFICATE in PEM text (found " + describe(object) + ")");
    }
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (CertificateException e) {
      throw new IOException("malformed certificate: " + e.getMessage(), e);
    }
  }

  /**
   * The first PKCS#8 private key in PEM text.
   *
   * @throws IOException when the text holds no unencrypted PKCS#8 key
   */
  public static PrivateKey parsePrivateKey(String pem) throws IOException {
    Object object = parse(pem);
    if (!(object instanceof PrivateKeyInfo info)) {
      throw new IOException("no unencrypted PRIVATE KEY in PEM text (found " + describe(object)
          + ")");
    }
    return new JcaPEMKeyConverter().getPrivateKey(info);
  }

  public static X509Certificate readCertificate(Path file) throws IOException {
    return parseCertificate(Files.readString(file, StandardCharsets.US_ASCII));
  }

  public static PrivateKey readPrivateKey(Path file) throws IOException {
    return parsePrivateKey(Files.readString(file, StandardCharsets.US_ASCII));
  }

  public static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
    Files.writeString(file, certificate(certificate), StandardCharsets.US_ASCII);
  }

  /** Writes a key file readable by its owner only (where POSIX permissions exist). */
  public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
    Files.deleteIfExists(file);
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(file,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(file, privateKey(key), StandardCharsets.US_ASCII);
  }

  private static String write(Object object) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write PEM", e);
    }
    return text.toString();
  }

  private static Object parse(String pem) throws IOException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      return parser.readObject();
    }
  }

  private static String describe(Object object) {
    return object == null ? "nothing" : object.getClass().getSimpleName();
  }
}
