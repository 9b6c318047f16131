package dev.corral.agent.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies one {@code http(s)://} or {@code file://} URI to a file. Redirects are followed. A
 * {@code #sha256=HEX} fragment is not sent; the content must have that SHA-256 or the fetch fails. The file
 * appears atomically (written beside it, then renamed), so a failed or interrupted fetch leaves nothing.
 *
 * <p>Blocking and interruptible (checked between chunks); thread-safe: one HttpClient is shared.
 */
final class Downloader {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  /** No response for this long fails the download rather than holding a task's launch forever. */
  private static final Duration RESPONSE_TIMEOUT = Duration.ofMinutes(5);
  private static final Map<Integer, String> REASONS = Map.ofEntries(
      Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
      Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"), Map.entry(408, "Request Timeout"),
      Map.entry(410, "Gone"), Map.entry(429, "Too Many Requests"), Map.entry(500, "Internal Server Error"),
      Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"), Map.entry(504, "Gateway Timeout"));
  private static final AtomicLong TEMP = new AtomicLong();

  private final HttpClient http = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NORMAL)
      .connectTimeout(CONNECT_TIMEOUT)
      .build();

  /** Fetches {@code uri} to {@code target} (replaced if present); returns the size in bytes. */
  long download(URI uri, Path target) throws FetchException, InterruptedException {
    String expected = expectedSha256(uri);
    URI location = withoutFragment(uri);
    Path temp = target.resolveSibling(target.getFileName() + ".part-" + TEMP.incrementAndGet());
    try {
      Files.createDirectories(target.getParent());
      String actual;
      try (InputStream in = open(location); OutputStream out = Files.newOutputStream(temp)) {
        actual = copy(in, out);
      }
      if (expected != null && !expected.equals(actual)) {
        throw new FetchException("sha256 mismatch: expected " + expected + ", got " + actual);
      }
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return Files.size(target);
    } catch (InterruptedIOException e) {
      throw new InterruptedException("interrupted while fetching " + location);
    } catch (IOException e) {
      throw new FetchException(describe(e), e);
    } finally {
      deleteQuietly(temp);
    }
  }

  private InputStream open(URI uri) throws IOException, FetchException, InterruptedException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("file")) {
      try {
        return Files.newInputStream(Path.of(uri));
      } catch (IllegalArgumentException e) {
        throw new FetchException("not an absolute file URI: " + e.getMessage());
      }
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new FetchException("unsupported scheme '" + scheme + "' (http, https, file, maven)");
    }
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(RESPONSE_TIMEOUT).GET().build();
    HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    int status = response.statusCode();
    if (status != 200) {
      response.body().close();
      throw new FetchException(status + " " + REASONS.getOrDefault(status, "").trim());
    }
    return response.body();
  }

  /** Copies and returns the SHA-256 of what was copied, in lower-case hex. */
  private static String copy(InputStream in, OutputStream out) throws IOException {
    MessageDigest digest = sha256();
    byte[] buffer = new byte[64 * 1024];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedIOException();
      }
      out.write(buffer, 0, n);
      digest.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The hex digest of a {@code #sha256=HEX} fragment, lower case; null without one. */
  static String expectedSha256(URI uri) throws FetchException {
    String fragment = uri.getFragment();
    if (fragment == null || !fragment.startsWith("sha256=")) {
      return null;
    }
    String hex = fragment.substring("sha256=".length()).toLowerCase(Locale.ROOT);
    if (!hex.matches("[0-9a-f]{64}")) {
      throw new FetchException("the #sha256= fragment must be 64 hex digits");
    }
    return hex;
  }

  static URI withoutFragment(URI uri) {
    if (uri.getRawFragment() == null) {
      return uri;
    }
    String s = uri.toString();
    return URI.create(s.substring(0, s.indexOf('#')));
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file " + e.getMessage();
    }
    if (e instanceof java.net.ConnectException) {
      return "cannot connect" + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "timed out: " + e.getMessage();
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a leftover .part file is harmless; the next fetch writes its own
    }
  }
}
