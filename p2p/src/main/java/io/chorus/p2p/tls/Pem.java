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
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
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
    return convert(holder);
  }

  /**
   * Every certificate in PEM text, in order: a certificate chain file (leaf first).
   *
   * @throws IOException when the text holds anything but certificates, or none
   */
  public static List<X509Certificate> parseCertificates(String pem) throws IOException {
    List<X509Certificate> certificates = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (!(object instanceof X509CertificateHolder holder)) {
          throw new IOException("a certificate chain holds a " + describe(object));
        }
        certificates.add(convert(holder));
      }
    }
    if (certificates.isEmpty()) {
      throw new IOException("no CERTIFICATE in PEM text");
    }
    return certificates;
  }

  /**
   * A DER-encoded certificate, as a TLS handshake carries it.
   *
   * @throws CertificateException when malformed
   */
  public static X509Certificate decodeCertificate(byte[] der) throws CertificateException {
    try {
      return convert(new X509CertificateHolder(der));
    } catch (IOException e) {
      throw new CertificateException("malformed certificate: " + e.getMessage(), e);
    }
  }

  // SM2 certificates and keys need BouncyCastle: the JDK cannot decode the SM2 curve's keys.
  private static X509Certificate convert(X509CertificateHolder holder) throws IOException {
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    if (isSm2(holder.getSubjectPublicKeyInfo().getAlgorithm())) {
      converter.setProvider(Bouncy.PROVIDER);
    }
    try {
      return converter.getCertificate(holder);
    } catch (CertificateException e) {
      throw new IOException("malformed certificate: " + e.getMessage(), e);
    }
  }

  private static boolean isSm2(AlgorithmIdentifier algorithm) {
    return GMObjectIdentifiers.sm2p256v1.equals(algorithm.getParameters());
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
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    if (isSm2(info.getPrivateKeyAlgorithm())) {
      converter.setProvider(Bouncy.PROVIDER);
    }
    return converter.getPrivateKey(info);
  }

  public static X509Certificate readCertificate(Path file) throws IOException {
    return parseCertificate(Files.readString(file, StandardCharsets.US_ASCII));
  }

  public static PrivateKey readPrivateKey(Path file) throws IOException {
    return parsePrivateKey(Files.readString(file, StandardCharsets.US_ASCII));
  }

  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    return parseCertificates(Files.readString(file, StandardCharsets.US_ASCII));
  }

  public static void writeCertificate(Path file, X509Certificate certificate) throws IOException {
    Files.writeString(file, certificate(certificate), StandardCharsets.US_ASCII);
  }

  /** Writes a certificate chain, leaf first, as one PEM file. */
  public static void writeCertificates(Path file, List<X509Certificate> chain)
      throws IOException {
    StringBuilder text = new StringBuilder();
    chain.forEach(certificate -> text.append(certificate(certificate)));
    Files.writeString(file, text, StandardCharsets.US_ASCII);
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
