package dev.corral.gateway;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.OutputStreamRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Forwards one HTTP exchange to another server and streams the answer back as it arrives, so that
 * server-sent events and large downloads pass through without being buffered.
 *
 * <p>Asynchronous, with Jetty's HTTP client (the version of the Jetty that serves the gateway): the request
 * goes out from the caller's thread, and the answer is copied to the caller's response by the client's own
 * threads as it arrives, so an exchange holds no thread while it waits. An earlier form blocked a pool
 * thread on the JDK's {@code HttpClient}, which hands each exchange between four threads; on a busy machine
 * each hand-over is a wait for a core. The client follows no redirects (the target's reach the browser,
 * rewritten), keeps no cookies (they belong to the browser), decodes nothing (bytes pass as they came) and
 * adds no {@code User-Agent} of its own. No WebSockets: those go through {@link WebSocketTunnel}.
 *
 * <p>Thread-safe; one per gateway; {@link #close} stops its client.
 */
public final class Forwarder implements AutoCloseable {
  /** Hop-by-hop headers (RFC 9110 §7.6.1) and those the client sets itself. */
  private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
      "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host",
      "content-length", "expect", "http2-settings");
  /** Request bodies up to this size are read whole before sending; longer or chunked ones stream. */
  private static final int WHOLE_BODY = 64 * 1024;

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
    QueuedThreadPool threads = new QueuedThreadPool(256, 4);
    threads.setName("gateway-forward");
    threads.setDaemon(true);
    this.client = new HttpClient();
    client.setExecutor(threads);
    client.setFollowRedirects(false);
    client.setHttpCookieStore(new HttpCookieStore.Empty());
    client.getContentDecoderFactories().clear();
    client.setUserAgentField(null);
    client.setDefaultRequestContentType(null); // a body without a type goes on without one
    client.setConnectTimeout(connectTimeout.toMillis());
    client.setIdleTimeout(0); // an event stream may be quiet for long; the caller going away ends it
    // every exchange to one target at once on a connection of its own (event streams hold theirs)
    client.setMaxConnectionsPerDestination(Gateway.MAX_EXCHANGES * 2);
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the gateway's HTTP client", e);
    }
  }

  /**
   * Sends {@code req} (method, headers, body) to {@code target} and copies the answer to {@code res}. Call it
   * on the request's thread with the request in async mode (inside {@code ctx.future}): a request body is read
   * here.
   *
   * @param extraHeaders added to the forwarded request (e.g. {@code X-Forwarded-Prefix})
   * @param location rewrites the answer's {@code Location} header (redirects)
   * @return completes once the whole answer is copied; fails with an {@link IOException} when the target
   *     cannot be reached (then {@code res} is untouched: not committed, nothing set) or the exchange broke
   *     mid-stream (e.g. the caller went away)
   */
  public CompletableFuture<Void> forward(HttpServletRequest req, HttpServletResponse res, URI target,
      Map<String, String> extraHeaders, UnaryOperator<String> location) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Request out = client.newRequest(target).method(req.getMethod());
    Set<String> listed = connectionListed(req);
    // a Bearer header that authenticated the caller is its Corral token, not a credential of the service
    boolean credentialsInAuthorization = !passCredentials
        && Boolean.TRUE.equals(req.getAttribute(AccessCheck.CREDENTIAL_IN_AUTHORIZATION));
    out.headers(headers -> {
      for (String name : Collections.list(req.getHeaderNames())) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (NOT_FORWARDED.contains(lower) || listed.contains(lower) || extraHeaders.containsKey(name)
            || (lower.equals("authorization") && credentialsInAuthorization)) {
          continue;
        }
        for (String value : Collections.list(req.getHeaders(name))) {
          String kept = passCredentials ? value : withoutGatewayCredentials(name, value);
          if (kept != null) {
            headers.add(name, kept);
          }
        }
      }
      extraHeaders.forEach(headers::put);
    });
    OutputStreamRequestContent streamed;
    try {
      streamed = body(req, out);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    out.onResponseHeaders(answer -> copyHeaders(answer, res, location))
        .onResponseContent((answer, content) -> copyContent(content, res))
        .send(result -> {
          if (result.isFailed()) {
            if (!res.isCommitted()) {
              res.reset(); // headers copied from an answer that then failed must not reach an error page
            }
            Throwable cause = result.getFailure();
            done.completeExceptionally(cause instanceof IOException ? cause
                : new IOException(String.valueOf(cause.getMessage()), cause));
          } else {
            done.complete(null);
          }
        });
    if (streamed != null) {
      // a long or chunked upload streams from this thread, at the pace the target takes it
      try (InputStream in = req.getInputStream(); OutputStream sink = streamed.getOutputStream()) {
        in.transferTo(sink);
      } catch (IOException e) {
        out.abort(e); // the caller's upload broke, or the target failed (then the failure is already there)
      }
    }
    return done;
  }

  /**
   * {@link #forward}, waiting for its end: for callers on a thread of their own that may wait as long as the
   * exchange lasts.
   */
  public void forwardAndWait(HttpServletRequest req, HttpServletResponse res, URI target,
      Map<String, String> extraHeaders, UnaryOperator<String> location) throws IOException, InterruptedException {
    try {
      forward(req, res, target, extraHeaders, location).get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }

  /**
   * Sets the request's body: a short one read whole now; otherwise a stream returned for the caller to fill
   * once the request is sent. Null when there is no body or it is already set.
   */
  private static OutputStreamRequestContent body(HttpServletRequest req, Request out) throws IOException {
    long length = req.getContentLengthLong();
    boolean chunked = req.getHeader("Transfer-Encoding") != null;
    if (length == 0 || (length < 0 && !chunked)) {
      return null;
    }
    if (length > 0 && length <= WHOLE_BODY) {
      out.body(new BytesRequestContent((String) null, req.getInputStream().readNBytes((int) length)));
      return null;
    }
    OutputStreamRequestContent stream = new OutputStreamRequestContent(null);
    out.body(stream);
    return stream;
  }

  private static void copyHeaders(Response answer, HttpServletResponse res, UnaryOperator<String> location) {
    res.setStatus(answer.getStatus());
    boolean sized = false;
    for (HttpField field : answer.getHeaders()) {
      String lower = field.getLowerCaseName();
      sized |= lower.equals("content-length");
      copyHeader(res, field.getName(), lower, field.getValue(), location);
    }
    if (!sized) {
      try {
        res.flushBuffer(); // headers now: an event stream's client should not wait for the first event to see 200
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e); // fails the exchange: the caller went away
      }
    }
  }

  private static void copyContent(ByteBuffer content, HttpServletResponse res) throws IOException {
    ServletOutputStream sink = res.getOutputStream();
    byte[] bytes;
    int offset;
    int length = content.remaining();
    if (content.hasArray()) {
      bytes = content.array();
      offset = content.arrayOffset() + content.position();
    } else {
      bytes = new byte[length];
      content.get(bytes);
      offset = 0;
    }
    sink.write(bytes, offset, length);
    sink.flush(); // a pass-through, not a buffer: each piece goes on at once (SSE, tail -f)
  }

  @Override
  public void close() {
    try {
      client.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the gateway's HTTP client", e);
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

  private static void copyHeader(HttpServletResponse res, String name, String lower, String value,
      UnaryOperator<String> location) {
    // Date: Jetty writes its own; a second one would confuse caches
    if (lower.equals("date") || (NOT_FORWARDED.contains(lower) && !lower.equals("content-length"))) {
      return;
    }
    if (lower.equals("content-type")) {
      res.setContentType(value); // replaces the server's default rather than adding a second one
      return;
    }
    if (lower.equals("content-length")) {
      res.setContentLengthLong(Long.parseLong(value.trim()));
      return;
    }
    res.addHeader(name, lower.equals("location") ? location.apply(value) : value);
  }
}
