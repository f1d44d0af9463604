package io.chorus.service.certificate;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import org.apache.fontbox.ttf.TrueTypeCollection;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentNameDictionary;
import org.apache.pdfbox.pdmodel.PDEmbeddedFilesNameTreeNode;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * Renders a {@link Certificate} as a one-page A4 PDF (PDFBox): the lines in a CJK font embedded
 * as a subset, a QR code of the verify link drawn as vector squares, and the proof bundle
 * attached as {@value #PROOF_FILE}, which {@link #embeddedProof} reads back.
 */
public final class CertificatePdf {
  /** The name of the attached proof bundle. */
  public static final String PROOF_FILE = "proof.json";
  /** Where Debian, Ubuntu and Fedora put a CJK font, first found is used. */
  static final List<Path> FONT_PATHS = List.of(
      Path.of("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
      Path.of("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
      Path.of("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"),
      Path.of("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"));
  private static final float MARGIN = 56;
  private static final float LABEL_WIDTH = 150;
  private static final float SIZE = 10;
  private static final float LEADING = 15;

  private CertificatePdf() {}

  /**
   * A CJK font file: {@code CHORUS_CJK_FONT} if set, else the first of {@link #FONT_PATHS}.
   *
   * @throws IllegalStateException saying what to install when there is none
   */
  public static Path findFont() {
    String chosen = System.getenv("CHORUS_CJK_FONT");
    if (chosen != null && !chosen.isBlank()) {
      Path path = Path.of(chosen);
      if (!Files.isReadable(path)) {
        throw new IllegalStateException("CHORUS_CJK_FONT names " + path + ", which cannot be"
            + " read");
      }
      return path;
    }
    return FONT_PATHS.stream().filter(Files::isReadable).findFirst().orElseThrow(() ->
        new IllegalStateException("no CJK font for the certificate's Chinese text: install one"
            + " (Debian: apt-get install fonts-wqy-zenhei) or set CHORUS_CJK_FONT to a .ttf or"
            + " .ttc file; looked at " + FONT_PATHS));
  }

  /** Writes the certificate as PDF to {@code out}, its text in the font at {@code fontFile}. */
  public static void write(Certificate certificate, Path fontFile, OutputStream out)
      throws IOException {
    // The font stays open until the document is saved: PDFBox subsets its glyphs then.
    try (java.io.Closeable fontOwner = open(fontFile); PDDocument doc = new PDDocument()) {
      PDFont font = PDType0Font.load(doc, first(fontOwner), true);
      PDPage page = new PDPage(PDRectangle.A4);
      doc.addPage(page);
      doc.getDocumentInformation().setTitle(certificate.title());
      doc.getDocumentInformation().setCreator("Chorus");
      doc.getDocumentInformation().setCreationDate(Calendar.getInstance());
      float width = page.getMediaBox().getWidth();
      float top = page.getMediaBox().getHeight() - MARGIN;
      try (PDPageContentStream text = new PDPageContentStream(doc, page)) {
        float y = top;
        y = line(text, font, 18, MARGIN, y, certificate.title()) - 14;
        text.moveTo(MARGIN, y + 6);
        text.lineTo(width - MARGIN, y + 6);
        text.stroke();
        y -= 8;
        float valueWidth = width - 2 * MARGIN - LABEL_WIDTH;
        for (Certificate.Line line : certificate.lines()) {
          List<String> wrapped = wrap(line.value(), font, SIZE, valueWidth);
          line(text, font, SIZE, MARGIN, y, line.label());
          for (String part : wrapped) {
            line(text, font, SIZE, MARGIN + LABEL_WIDTH, y, part);
            y -= LEADING;
          }
          y -= 4;
        }
        float qrSize = 120;
        float qrY = Math.min(y - 10, MARGIN + 90) - qrSize + 90;
        qr(text, certificate.verifyLink(), MARGIN, qrY, qrSize);
        float noteX = MARGIN + qrSize + 16;
        float noteWidth = width - MARGIN - noteX;
        float noteY = qrY + qrSize - 12;
        for (String note : List.of("扫码在线核验 Scan to check online:",
            certificate.verifyLink(),
            "本证书内嵌证明文件 " + PROOF_FILE + "，无需联网即可核验：",
            "This PDF embeds its proof bundle; check it offline, trusting only the genesis file:",
            "chorus notary verify FILE --certificate THIS.pdf --genesis genesis.json")) {
          for (String part : wrap(note, font, 8, noteWidth)) {
            line(text, font, 8, noteX, noteY, part);
            noteY -= 11;
          }
        }
      }
      attach(doc, certificate.proofJson());
      doc.save(out);
    }
  }

  /**
   * The proof bundle attached to a certificate PDF.
   *
   * @throws IllegalArgumentException when the file is not a PDF or carries no proof
   */
  public static String embeddedProof(byte[] pdf) {
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      PDDocumentNameDictionary names = doc.getDocumentCatalog().getNames();
      PDEmbeddedFilesNameTreeNode files = names == null ? null : names.getEmbeddedFiles();
      Map<String, PDComplexFileSpecification> entries = files == null ? null : files.getNames();
      PDComplexFileSpecification spec = entries == null ? null : entries.get(PROOF_FILE);
      if (spec == null || spec.getEmbeddedFile() == null) {
        throw new IllegalArgumentException("the PDF carries no " + PROOF_FILE
            + ": it is not a Chorus certificate");
      }
      return new String(spec.getEmbeddedFile().toByteArray(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a readable PDF: " + e.getMessage(), e);
    }
  }

  /** The font file, opened: a collection (.ttc) or a single font (.ttf, .otf). */
  private static java.io.Closeable open(Path file) throws IOException {
    if (file.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".ttc")) {
      return new TrueTypeCollection(file.toFile());
    }
    return new org.apache.fontbox.ttf.TTFParser().parse(
        new org.apache.pdfbox.io.RandomAccessReadBufferedFile(file.toFile()));
  }

  /** The font itself, or a collection's first. */
  private static TrueTypeFont first(java.io.Closeable opened) throws IOException {
    if (opened instanceof TrueTypeFont font) {
      return font;
    }
    TrueTypeFont[] first = new TrueTypeFont[1];
    ((TrueTypeCollection) opened).processAllFonts(font -> {
      if (first[0] == null) {
        first[0] = font;
      }
    });
    if (first[0] == null) {
      throw new IOException("the font collection holds no font");
    }
    return first[0];
  }

  private static float line(PDPageContentStream text, PDFont font, float size, float x, float y,
      String value) throws IOException {
    text.beginText();
    text.setFont(font, size);
    text.newLineAtOffset(x, y);
    text.showText(value);
    text.endText();
    return y - size * 1.4f;
  }

  /** Splits text to fit {@code width}, between words where it can, else mid-word (hex). */
  static List<String> wrap(String value, PDFont font, float size, float width)
      throws IOException {
    List<String> out = new ArrayList<>();
    for (String paragraph : value.split("\n", -1)) {
      StringBuilder current = new StringBuilder();
      for (int i = 0; i < paragraph.length(); ) {
        int cp = paragraph.codePointAt(i);
        String next = current + new String(Character.toChars(cp));
        if (current.length() > 0 && font.getStringWidth(next) / 1000 * size > width) {
          int space = current.lastIndexOf(" ");
          if (space > 0 && space < current.length() - 1) {
            out.add(current.substring(0, space));
            current = new StringBuilder(current.substring(space + 1));
          } else {
            out.add(current.toString());
            current = new StringBuilder();
          }
          continue;
        }
        current.appendCodePoint(cp);
        i += Character.charCount(cp);
      }
      out.add(current.toString());
    }
    return out;
  }

  private static void qr(PDPageContentStream stream, String link, float x, float y, float size)
      throws IOException {
    BitMatrix matrix;
    try {
      matrix = new QRCodeWriter().encode(link, BarcodeFormat.QR_CODE, 0, 0, Map.of(
          EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 0,
          EncodeHintType.CHARACTER_SET, "UTF-8"));
    } catch (WriterException e) {
      throw new IllegalArgumentException("the verify link cannot be a QR code: "
          + e.getMessage(), e);
    }
    float cell = size / matrix.getWidth();
    for (int row = 0; row < matrix.getHeight(); row++) {
      for (int col = 0; col < matrix.getWidth(); col++) {
        if (matrix.get(col, row)) {
          stream.addRect(x + col * cell, y + size - (row + 1) * cell, cell, cell);
        }
      }
    }
    stream.fill();
  }

  private static void attach(PDDocument doc, String proofJson) throws IOException {
    byte[] bytes = proofJson.getBytes(StandardCharsets.UTF_8);
    PDEmbeddedFile file = new PDEmbeddedFile(doc, new ByteArrayInputStream(bytes));
    file.setSubtype("application/json");
    file.setSize(bytes.length);
    file.setCreationDate(Calendar.getInstance());
    PDComplexFileSpecification spec = new PDComplexFileSpecification();
    spec.setFile(PROOF_FILE);
    spec.setFileUnicode(PROOF_FILE);
    spec.setEmbeddedFile(file);
    spec.setFileDescription("Chorus proof bundle (chorus-proof/1)");
    PDEmbeddedFilesNameTreeNode tree = new PDEmbeddedFilesNameTreeNode();
    tree.setNames(Map.of(PROOF_FILE, spec));
    PDDocumentNameDictionary names = new PDDocumentNameDictionary(doc.getDocumentCatalog());
    names.setEmbeddedFiles(tree);
    doc.getDocumentCatalog().setNames(names);
  }
}
