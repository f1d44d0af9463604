package io.chorus.rpc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Files the server answers from memory under one path prefix, e.g. the console's pages under
 * {@code /console}: read once from the class path (so they ship inside the jar and work with no
 * network), compressed once, and named by an ETag so a browser revalidates them for a 304.
 * {@code /console} and {@code /console/} answer {@code index.html}.
 */
public final class StaticSite {
  /** No site: the server answers no files. */
  public static final StaticSite NONE = new StaticSite("", Map.of());

  /**
   * One file.
   *
   * @param contentType its Content-Type
   * @param bytes its content
   * @param gzipped its content gzip-compressed, sent to clients that accept gzip
   * @param etag a strong ETag (quoted) from the content's hash
   */
  public record Asset(String contentType, byte[] bytes, byte[] gzipped, String etag) {}

  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "json", "application/json",
      "svg", "image/svg+xml",
      "png", "image/png",
      "ico", "image/x-icon",
      "txt", "text/plain; charset=utf-8");

  private final String prefix;
  private final Map<String, Asset> assets;

  private StaticSite(String prefix, Map<String, Asset> assets) {
    this.prefix = prefix;
    this.assets = Map.copyOf(assets);
  }

  /**
   * The files under a class-path directory (in a jar or on disk), served under {@code prefix}.
   *
   * @param prefix the path they answer under, e.g. {@code /console}
   * @param loader where to find them
   * @param root the directory's resource name, e.g. {@code io/chorus/console/site}
   */
  public static StaticSite fromClassPath(String prefix, ClassLoader loader, String root) {
    if (!prefix.startsWith("/") || prefix.endsWith("/") || prefix.equals("/ws")) {
      throw new IllegalArgumentException("a site prefix starts with / and does not end with"
          + " one, nor is /ws: " + prefix);
    }
    URL url = loader.getResource(root);
    if (url == null) {
      throw new IllegalArgumentException("no resource directory " + root + " on the class path");
    }
    Map<String, Asset> assets = new TreeMap<>();
    try {
      if (url.getProtocol().equals("jar")) {
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
          String dir = root.endsWith("/") ? root : root + "/";
          for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            JarEntry entry = e.nextElement();
            if (!entry.isDirectory() && entry.getName().startsWith(dir)) {
              try (InputStream in = jar.getInputStream(entry)) {
                put(assets, entry.getName().substring(dir.length()), in.readAllBytes());
              }
            }
          }
        }
      } else {
        Path dir = Path.of(url.toURI());
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path file : files.filter(Files::isRegularFile).toList()) {
            put(assets, dir.relativize(file).toString().replace('\\', '/'),
                Files.readAllBytes(file));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the site's files under " + root, e);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot read the site's files under " + url, e);
    }
    if (!assets.containsKey("index.html")) {
      throw new IllegalArgumentException("the site under " + root + " has no index.html");
    }
    return new StaticSite(prefix, assets);
  }

  private static void put(Map<String, Asset> assets, String name, byte[] bytes) {
    int dot = name.lastIndexOf('.');
    String type = TYPES.get(dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT));
    if (type == null) {
      throw new IllegalArgumentException("the site's file " + name
          + " has no known content type; known extensions: " + TYPES.keySet());
    }
    assets.put(name, new Asset(type, bytes, gzip(bytes), etag(bytes)));
  }

  /** The path prefix, e.g. {@code /console}; empty for {@link #NONE}. */
  public String prefix() {
    return prefix;
  }

  /** Whether {@code path} (without its query) is this site's. */
  public boolean owns(String path) {
    return !prefix.isEmpty() && (path.equals(prefix) || path.startsWith(prefix + "/"));
  }

  /** The file at a path this site owns; the prefix itself names {@code index.html}. */
  public Optional<Asset> asset(String path) {
    if (!owns(path)) {
      return Optional.empty();
    }
    String name = path.length() <= prefix.length() + 1 ? "index.html"
        : path.substring(prefix.length() + 1);
    return Optional.ofNullable(assets.get(name));
  }

  /** Every file by name, e.g. for a test to check the bundle's size. */
  public Map<String, Asset> assets() {
    return assets;
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }
}
