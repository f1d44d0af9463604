package io.chorus.service.certificate;

import java.util.List;

/**
 * What a certificate shows a person: a title, labelled lines, the link its QR code carries,
 * and the proof bundle it embeds so that the PDF itself can be checked offline.
 *
 * @param title the heading, e.g. "存证证书 Notarization Certificate"
 * @param lines label (Chinese and English) and value, in reading order
 * @param verifyLink what the QR code encodes: where to check the record online
 * @param proofJson the proof bundle, embedded as the file {@value CertificatePdf#PROOF_FILE}
 */
public record Certificate(String title, List<Line> lines, String verifyLink, String proofJson) {

  /** One labelled value. */
  public record Line(String label, String value) {}

  /** Copies. */
  public Certificate {
    lines = List.copyOf(lines);
  }
}
