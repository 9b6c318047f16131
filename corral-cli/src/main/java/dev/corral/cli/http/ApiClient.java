package dev.corral.cli.http;

import dev.corral.common.Version;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * A thin client for the cluster's Marathon-compatible REST API. Every call either returns a 2xx
 * {@link ApiResponse} or throws: {@link ApiException} when the API answered with an error status,
 * {@link UnreachableException} when no answer came back. Thread-safe (the JDK client is); one per command run.
 */
public final class ApiClient {
  public static final String DEFAULT_URL = "http://localhost:7070";

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  // Generous: a POST only answers after the store has persisted it (see DESIGN "persist before acknowledge").
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final String baseUrl;
  private final HttpClient http;
  private final String token;

  private ApiClient(String baseUrl, HttpClient http, String token) {
    this.baseUrl = baseUrl;
    this.http = http;
    this.token = token;
  }

  /**
   * A client for {@code url}, e.g. {@code http://localhost:7070} or {@code https://corral.example.com/prefix}.
   *
   * @throws IllegalArgumentException when {@code url} is not an absolute http(s) URL
   */
  public static ApiClient create(String url) {
    return create(url, null, null);
  }

  /**
   * A client that sends {@code token} (null: none) as {@code Authorization: token=…} and trusts the CA
   * certificate {@code caPem} (null: the JDK's trusted CAs) for https.
   */
  public static ApiClient create(String url, String token, String caPem) {
    String base = url.strip();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    try {
      URI uri = new URI(base);
      String scheme = uri.getScheme();
      if (scheme == null || uri.getHost() == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw new IllegalArgumentException(
            "invalid Corral URL '" + url + "': expected http(s)://host[:port], e.g. " + DEFAULT_URL);
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("invalid Corral URL '" + url + "': " + e.getReason(), e);
    }
    HttpClient.Builder builder = HttpClient.newBuilder();
    if (caPem != null && !caPem.isBlank()) {
      builder.sslContext(Trust.sslContext(caPem));
    }
    HttpClient http = builder
        // Plain HTTP/1.1: no h2c upgrade dance with proxies in front of the gateway.
        .version(HttpClient.Version.HTTP_1_1)
        // Standby masters redirect to the leader, as Marathon does.
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(CONNECT_TIMEOUT)
        .build();
    return new ApiClient(base, http, token == null || token.isBlank() ? null : token);
  }

  /** Whether requests carry a token. */
  public boolean hasToken() {
    return token != null;
  }

  /** The base address without a trailing slash, as used in messages. */
  public String baseUrl() {
    return baseUrl;
  }

  public ApiResponse get(String path) {
    return send("GET", path, null);
  }

  public ApiResponse post(String path, String json) {
    return send("POST", path, json);
  }

  public ApiResponse put(String path, String json) {
    return send("PUT", path, json);
  }

  /** Any method, e.g. PATCH; {@code json} null for no body. */
  public ApiResponse send(String method, String path, String json) {
    return exchange(method, path, json);
  }

  public ApiResponse delete(String path) {
    return send("DELETE", path, null);
  }

  /**
   * Attaches to a server-sent event stream such as {@code /v2/events}. Empty when the server answers but does
   * not stream there (an older Marathon, a gateway without events): callers then fall back to polling.
   *
   * @throws UnreachableException when no answer came back at all
   */
  public Optional<EventStream> events(String path) {
    HttpRequest request = request(path).header("Accept", "text/event-stream").GET().build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + baseUrl + path, e);
    }
    String type = response.headers().firstValue("Content-Type").orElse("");
    int status = response.statusCode();
    if (status >= 200 && status <= 299 && type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
      return Optional.of(new EventStream(response.body()));
    }
    try {
      response.body().close();
    } catch (IOException e) {
      // Nothing was read from it and nothing will be; the connection is dropped either way.
    }
    return Optional.empty();
  }

  /**
   * Opens a WebSocket at {@code path} ({@code http} becomes {@code ws}), e.g. {@code task exec}'s. A refused
   * upgrade throws {@link ApiException} with the server's status (and its message where the JDK keeps the
   * body); no answer at all throws {@link UnreachableException}.
   */
  public java.net.http.WebSocket webSocket(String path, java.net.http.WebSocket.Listener listener) {
    URI uri = URI.create(baseUrl.replaceFirst("^http", "ws") + path);
    try {
      java.net.http.WebSocket.Builder ws = http.newWebSocketBuilder().connectTimeout(CONNECT_TIMEOUT)
          .header("User-Agent", "corral-cli/" + Version.get());
      if (token != null) {
        ws.header("Authorization", "token=" + token);
      }
      return ws.buildAsync(uri, listener).get();
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof java.net.http.WebSocketHandshakeException) {
        HttpResponse<?> response = ((java.net.http.WebSocketHandshakeException) cause).getResponse();
        Object body = response.body();
        // the JDK keeps a refused upgrade's body as bytes
        throw ApiException.fromResponse("GET", stripQuery(path), response.statusCode(),
            body instanceof String ? (String) body : body instanceof byte[]
                ? new String((byte[]) body, java.nio.charset.StandardCharsets.UTF_8) : "");
      }
      throw unreachable(cause instanceof IOException ? (IOException) cause : new IOException(cause));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to " + baseUrl + path, e);
    }
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(REQUEST_TIMEOUT)
        .header("User-Agent", "corral-cli/" + Version.get());
    if (token != null) {
      b.header("Authorization", "token=" + token);
    }
    return b;
  }

  /** Sends raw bytes ({@code application/octet-stream}), e.g. a binary secret. */
  public ApiResponse sendBytes(String method, String path, byte[] body) {
    HttpRequest.Builder request = request(path).header("Accept", "application/json")
        .header("Content-Type", OCTETS).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    HttpResponse<String> response = send(request.build(), method, path, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return new ApiResponse(baseUrl + path, response.statusCode(), response.headers(), response.body());
  }

  /** GETs raw bytes ({@code Accept: application/octet-stream}), e.g. a binary secret. */
  public byte[] getBytes(String path) {
    HttpRequest.Builder request = request(path).header("Accept", OCTETS).GET();
    HttpResponse<byte[]> response = send(request.build(), "GET", path, HttpResponse.BodyHandlers.ofByteArray());
    return response.body();
  }

  private static final String OCTETS = "application/octet-stream";

  /** Sends; a non-2xx answer is an {@link ApiException} with the server's message. */
  private <T> HttpResponse<T> send(HttpRequest request, String method, String path, HttpResponse.BodyHandler<T> body) {
    HttpResponse<T> response;
    try {
      response = http.send(request, body);
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + baseUrl + path, e);
    }
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      Object b = response.body();
      throw ApiException.fromResponse(method, stripQuery(path), status,
          b instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(b));
    }
    return response;
  }

  private ApiResponse exchange(String method, String path, String json) {
    String uri = baseUrl + path;
    HttpRequest.Builder request = request(path).header("Accept", "application/json");
    if (json == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    }
    HttpResponse<String> response = send(request.build(), method, path,
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return new ApiResponse(uri, response.statusCode(), response.headers(), response.body());
  }

  // The JDK reports most connection failures as a ConnectException with a null message; the cause chain
  // says what really happened.
  private UnreachableException unreachable(IOException e) {
    String reason;
    if (hasCause(e, UnresolvedAddressException.class)) {
      reason = "unknown host";
    } else if (e instanceof HttpConnectTimeoutException) {
      reason = "connection timed out";
    } else if (e instanceof HttpTimeoutException) {
      reason = "no answer within " + REQUEST_TIMEOUT.toSeconds() + "s";
    } else if (e instanceof ConnectException) {
      // Usually refused (nothing listening); keep the JDK's words for the rarer "no route to host".
      String detail = deepestMessage(e);
      reason = detail == null || detail.toLowerCase(Locale.ROOT).contains("refused")
          ? "connection refused" : detail.toLowerCase(Locale.ROOT);
    } else {
      reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    return new UnreachableException(baseUrl, reason, e);
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static String deepestMessage(Throwable t) {
    String message = null;
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getMessage() != null && !c.getMessage().isBlank()) {
        message = c.getMessage();
      }
    }
    return message;
  }

  private static String stripQuery(String path) {
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }
}
