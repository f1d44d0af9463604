package io.chorus.notary;

import io.chorus.codec.Hex;
import io.chorus.proof.NotaryEvidence;
import io.chorus.proof.ProofVerifier;
import io.chorus.proof.TrustRoot;
import io.chorus.service.certificate.Certificate;
import io.chorus.service.certificate.CertificatePdf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The notarization certificate (存证证书) of a verified proof: what {@code chorus notary
 * certificate} writes and {@code GET /api/v1/notary/records/{id}/certificate} serves, one
 * implementation for both. Its QR code links to the record (or batch) on a node's REST API.
 */
public final class NotaryCertificates {
  private NotaryCertificates() {}

  /**
   * The certificate of {@code evidence}, which the caller verified against {@code root}.
   *
   * @param fileName the notarized file's name, shown when known
   * @param baseUrl the node whose REST API the QR code links to, e.g. {@code
   *     http://127.0.0.1:8545}
   * @param proofJson the proof bundle, embedded so that the PDF checks offline
   */
  public static Certificate certificate(Optional<String> fileName,
      NotaryEvidence.Evidence evidence, TrustRoot root, String baseUrl, String proofJson) {
    List<Certificate.Line> lines = new ArrayList<>();
    fileName.ifPresent(name -> lines.add(new Certificate.Line("文件 File", name)));
    lines.add(new Certificate.Line("内容摘要 Digest", Hex.encode0x(evidence.digest())));
    if (isRecord(evidence)) {
      lines.add(new Certificate.Line("记录编号 Record id", evidence.id() + " (v"
          + evidence.version() + ")"));
      lines.add(new Certificate.Line("摘要算法 Algorithm", evidence.algorithm()));
      lines.add(new Certificate.Line("类型 Type", evidence.recordType()));
    } else {
      lines.add(new Certificate.Line("批次 Batch", "#" + evidence.batchNumber() + ", digest "
          + (evidence.index() + 1) + " of " + evidence.count()));
    }
    lines.add(new Certificate.Line("附加信息 Metadata", evidence.metadata()));
    lines.add(new Certificate.Line("存证人 Depositor", Hex.encode0x(evidence.depositor())));
    lines.add(new Certificate.Line("区块 Block", evidence.proven().blockNumber() + "  "
        + Hex.encode0x(evidence.proven().blockHash())));
    lines.add(new Certificate.Line("存证时间 Time (UTC)",
        ProofVerifier.time(evidence.proven().timestamp())));
    lines.add(new Certificate.Line("交易 Transaction",
        evidence.proven().facts().get("transaction")));
    lines.add(new Certificate.Line("链 Chain", "id " + root.chainId() + ", "
        + root.suite().name() + " suite, genesis " + Hex.encode0x(root.genesisHash())));
    StringBuilder signers = new StringBuilder();
    evidence.proven().signers().forEach(s -> signers.append(Hex.encode0x(s)).append('\n'));
    lines.add(new Certificate.Line("共识签名 Final by", signers.toString().strip()));
    String link = baseUrl.replaceAll("/+$", "") + (isRecord(evidence)
        ? recordPath(evidence.id()) : NotaryService.BATCHES + "/" + evidence.batchNumber());
    return new Certificate("存证证书 Notarization Certificate", lines, link, proofJson);
  }

  /** The certificate as a PDF, its text in the CJK font at {@code fontFile}. */
  public static byte[] pdf(Certificate certificate, Path fontFile) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      CertificatePdf.write(certificate, fontFile, out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render the certificate with the font " + fontFile
          + ": " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /** A record's path on the REST API, its id percent-encoded as one segment. */
  public static String recordPath(String id) {
    return NotaryService.RECORDS + "/" + encodeSegment(id);
  }

  /**
   * {@code text} as one path segment: every byte of its UTF-8 but the unreserved characters
   * and ':' percent-encoded, so '/', '+', '%' and spaces survive the trip.
   */
  static String encodeSegment(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~' || c == ':') {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static boolean isRecord(NotaryEvidence.Evidence evidence) {
    return evidence.how().equals("record");
  }
}
