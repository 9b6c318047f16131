package dev.corral.gateway;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Forwards one HTTP exchange to another server and streams the answer back as it arrives, so that
 * server-sent events and large downloads pass through without being buffered.
 *
 * <p>Why {@link java.net.http.HttpClient} rather than Jetty's client: it is in the JDK, so the gateway does
 * not pin itself to the Jetty version Javalin brings; its {@code ofInputStream} body gives plain blocking
 * streaming, which is all a pass-through needs; and it never follows redirects unless told to, so the
 * target's redirects reach the browser (rewritten, see {@link #forward}). Its price: a few headers
 * ({@code Host}, {@code Connection}, {@code Content-Length}, {@code Expect}, {@code Upgrade}) cannot be set,
 * which a reverse proxy drops or recomputes anyway, and no WebSockets (those go
 * through {@link ExecProxy}).
 *
 * <p>Blocking: call it on a thread that may wait as long as the exchange lasts (the gateway's proxy pool).
 * Thread-safe; one per gateway.
 */
public final class Forwarder {
  /** Hop-by-hop headers (RFC 9110 §7.6.1) and those the JDK client sets itself. */
  private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
      "content-length", "expect", "http2-settings");
  private static final int BUFFER = 16 * 1024;

  private final HttpClient client;
  /** Whether the caller's Corral credentials pass (to another Corral gateway) or stay here (to services). */
  private final boolean passCredentials;

  /** A forwarder to services and agents: the caller's Corral credentials stay at this gateway. */
  public Forwarder(Duration connectTimeout) {
    this(connectTimeout, false);
  }

  /**
   * A forwarder to another Corral gateway (a standby's hop to the leader): the caller's token is meant for
   * that gateway, so {@code Authorization: token=…} and the UI's session cookie pass unchanged.
   */
  public static Forwarder toGateway(Duration connectTimeout) {
    return new Forwarder(connectTimeout, true);
  }

  private Forwarder(Duration connectTimeout, boolean passCredentials) {
    this.passCredentials = passCredentials;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1) // backends are plain HTTP/1.1 servers; no h2c upgrade
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(connectTimeout)
        .build();
  }

  /**
   * Sends {@code req} (method, headers, body) to {@code target} and copies the answer to {@code res}.
   *
   * @param extraHeaders added to the forwarded request (e.g. {@code X-Forwarded-Prefix})
   * @param location rewrites the answer's {@code Location} header (redirects)
   * @throws IOException when the target cannot be reached (nothing was written to {@code res} yet) or the
   *     client went away mid-stream
   */
  public void forward(HttpServletRequest req, HttpServletResponse res, URI target, Map<String, String> extraHeaders,
      UnaryOperator<String> location) throws IOException, InterruptedException {
    HttpRequest.Builder out = HttpRequest.newBuilder(target);
    Set<String> listed = connectionListed(req);
    // a Bearer header that authenticated the caller is its Corral token, not a credential of the service
    boolean credentialsInAuthorization = !passCredentials
        && Boolean.TRUE.equals(req.getAttribute(AccessCheck.CREDENTIAL_IN_AUTHORIZATION));
    for (String name : Collections.list(req.getHeaderNames())) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (NOT_FORWARDED.contains(lower) || listed.contains(lower) || extraHeaders.containsKey(name)
          || (lower.equals("authorization") && credentialsInAuthorization)) {
        continue;
      }
      for (String value : Collections.list(req.getHeaders(name))) {
        String kept = passCredentials ? value : withoutGatewayCredentials(name, value);
        if (kept != null) {
          out.header(name, kept);
        }
      }
    }
    extraHeaders.forEach(out::header);
    out.method(req.getMethod(), body(req));
    HttpResponse<InputStream> answer = client.send(out.build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = answer.body()) {
      res.setStatus(answer.statusCode());
      answer.headers().map().forEach((name, values) -> copyHeader(res, name, values, location));
      ServletOutputStream sink = res.getOutputStream();
      sink.flush(); // headers now: an event stream's client should not wait for the first event to see 200
      byte[] buf = new byte[BUFFER];
      int n;
      while ((n = in.read(buf)) >= 0) {
        sink.write(buf, 0, n);
        sink.flush(); // a pass-through, not a buffer: each piece goes on at once (SSE, tail -f)
      }
    }
  }

  /** Headers the caller's {@code Connection} header names: meant for this hop only (RFC 9110 §7.6.1). */
  static Set<String> connectionListed(HttpServletRequest req) {
    Set<String> names = new HashSet<>();
    for (String value : Collections.list(req.getHeaders("Connection"))) {
      for (String token : value.split(",")) {
        String t = token.strip().toLowerCase(Locale.ROOT);
        if (!t.isEmpty()) {
          names.add(t);
        }
      }
    }
    return names;
  }

  /**
   * The caller's Corral credentials stay at the gateway: an {@code Authorization: token=…} header is dropped
   * and the UI's session cookie taken out of {@code Cookie}; anything else (a service's own Basic credentials,
   * its cookies) passes. A Bearer header that authenticated the caller is dropped by {@link #forward}. Null when nothing is left to send.
   */
  static String withoutGatewayCredentials(String name, String value) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.equals("authorization") && value.strip().regionMatches(true, 0, "token=", 0, 6)) {
      return null;
    }
    if (lower.equals("cookie")) {
      StringBuilder kept = new StringBuilder();
      for (String part : value.split(";")) {
        String p = part.strip();
        if (p.isEmpty() || p.startsWith("corral-token=")) {
          continue;
        }
        kept.append(kept.length() == 0 ? "" : "; ").append(p);
      }
      return kept.length() == 0 ? null : kept.toString();
    }
    return value;
  }

  private static void copyHeader(HttpServletResponse res, String name, List<String> values,
      UnaryOperator<String> location) {
    String lower = name.toLowerCase(Locale.ROOT);
    // Date: Jetty writes its own; a second one would confuse caches
    if (lower.equals(":status") || lower.equals("date")
        || (NOT_FORWARDED.contains(lower) && !lower.equals("content-length"))) {
      return;
    }
    if (lower.equals("content-type")) {
      res.setContentType(values.get(0)); // replaces the server's default rather than adding a second one
      return;
    }
    if (lower.equals("content-length")) {
      res.setContentLengthLong(Long.parseLong(values.get(0).trim()));
      return;
    }
    for (String value : values) {
      res.addHeader(name, lower.equals("location") ? location.apply(value) : value);
    }
  }

  private static HttpRequest.BodyPublisher body(HttpServletRequest req) {
    long length = req.getContentLengthLong();
    boolean chunked = req.getHeader("Transfer-Encoding") != null;
    if (length == 0 || (length < 0 && !chunked)) {
      return HttpRequest.BodyPublishers.noBody();
    }
    HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(() -> {
      try {
        return req.getInputStream();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    return length > 0 ? HttpRequest.BodyPublishers.fromPublisher(stream, length) : stream;
  }
}
