package io.chorus.service.certificate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/** A certificate renders its Chinese and English lines, and gives back the proof it embeds. */
class CertificatePdfTest {
  static final String PROOF = "{\"format\":\"chorus-proof/1\",\"note\":\"存证\"}";

  @Test
  void textAndTheEmbeddedProofRoundTrip() throws Exception {
    Certificate certificate = new Certificate("存证证书 Notarization Certificate", List.of(
        new Certificate.Line("记录编号 Record", "contract-2026-001"),
        new Certificate.Line("内容哈希 Content hash (sm3)", "0x" + "ab".repeat(32)),
        new Certificate.Line("标题 Title", "采购合同：上海某制造有限公司与北京某科技有限公司")),
        "http://127.0.0.1:8545/api/v1/notary/records/contract-2026-001", PROOF);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CertificatePdf.write(certificate, CertificatePdf.findFont(), out);
    byte[] pdf = out.toByteArray();
    Path keep = Path.of("target", "certificate-sample.pdf");
    Files.write(keep, pdf); // for a person to look at: pdftoppm -png target/certificate-sample.pdf

    assertEquals(PROOF, CertificatePdf.embeddedProof(pdf));
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      assertEquals(1, doc.getNumberOfPages());
      String text = new PDFTextStripper().getText(doc);
      assertTrue(text.contains("存证证书 Notarization Certificate"), text);
      assertTrue(text.contains("采购合同"), text);
      assertTrue(text.contains("contract-2026-001"), text);
    }
    assertThrows(IllegalArgumentException.class,
        () -> CertificatePdf.embeddedProof("not a pdf".getBytes()));
  }
}
