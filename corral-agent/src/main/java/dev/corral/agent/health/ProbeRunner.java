package dev.corral.agent.health;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The real {@link Prober}: HTTP(S) through one asynchronous {@link HttpClient}, TCP through asynchronous
 * sockets, commands as child processes whose exit is awaited asynchronously. No thread waits on a probe: a
 * few shared threads start probes and handle their completions, whatever the number of tasks.
 *
 * <p>At most {@code maxInFlight} probes run at once; later ones wait in a queue, in order, and their timeout
 * starts when they start. The queue is bounded by the number of checks, because a check starts its next
 * probe only after the previous one completed.
 *
 * <p>HTTPS accepts any certificate and any host name, as Mesos does: the check asks whether the task
 * answers, not whether it can be trusted. Thread-safe.
 */
public final class ProbeRunner implements Prober, AutoCloseable {
  /** Extra time after a probe's own timeout before the runner gives up on it (a backstop, never expected). */
  private static final Duration BACKSTOP = Duration.ofSeconds(1);

  private record Waiting(Probe probe, CompletableFuture<ProbeResult> result) {}

  private final int maxInFlight;
  private final ExecutorService threads;
  private final AsynchronousChannelGroup tcpGroup;
  private final HttpClient http;
  private final Deque<Waiting> waiting = new ArrayDeque<>(); // guarded by this
  private int inFlight; // guarded by this

  public ProbeRunner(int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be positive, got " + maxInFlight);
    }
    this.maxInFlight = maxInFlight;
    this.threads = Executors.newFixedThreadPool(2, daemonThreads("agent-check-"));
    try {
      this.tcpGroup = AsynchronousChannelGroup.withFixedThreadPool(1, daemonThreads("agent-check-tcp-"));
    } catch (IOException e) {
      threads.shutdownNow();
      throw new IllegalStateException("cannot create the channel group for TCP checks", e);
    }
    this.http = HttpClient.newBuilder()
        .executor(threads)
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER) // a redirect is an answer: 3xx is healthy
        .sslContext(trustingContext())
        .build();
  }

  @Override
  public CompletableFuture<ProbeResult> probe(Probe probe) {
    CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    boolean startNow;
    synchronized (this) {
      startNow = inFlight < maxInFlight;
      if (startNow) {
        inFlight++;
      } else {
        waiting.addLast(new Waiting(probe, result));
      }
    }
    if (startNow) {
      start(probe, result);
    }
    return result;
  }

  /** Probes running now, for tests and metrics. */
  public synchronized int inFlight() {
    return inFlight;
  }

  private void start(Probe probe, CompletableFuture<ProbeResult> result) {
    CompletableFuture<ProbeResult> running;
    try {
      running = run(probe);
    } catch (RuntimeException e) {
      running = CompletableFuture.completedFuture(ProbeResult.failed("cannot run the check: " + e));
    }
    running
        .completeOnTimeout(timedOut(probe), probe.timeout().plus(BACKSTOP).toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((r, error) -> {
          result.complete(error == null ? r : ProbeResult.failed(describe(error)));
          next();
        });
  }

  /** One probe ended: the oldest waiting one takes its place. */
  private void next() {
    Waiting w;
    synchronized (this) {
      w = waiting.pollFirst();
      if (w == null) {
        inFlight--;
        return;
      }
    }
    try {
      threads.execute(() -> start(w.probe(), w.result())); // not inline: no recursion through the queue
    } catch (RejectedExecutionException e) {
      w.result().complete(ProbeResult.failed("the agent is stopping"));
    }
  }

  private CompletableFuture<ProbeResult> run(Probe probe) {
    if (probe instanceof Probe.Http h) {
      return http(h);
    }
    if (probe instanceof Probe.Tcp t) {
      return tcp(t);
    }
    return command((Probe.Command) probe);
  }

  // ---- HTTP(S)

  private CompletableFuture<ProbeResult> http(Probe.Http probe) {
    HttpRequest request = HttpRequest.newBuilder(probe.uri()).timeout(probe.timeout()).GET().build();
    // The answer counts as soon as the status line is in; the body is never read.
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()).handle((response, error) -> {
      if (error != null) {
        return ProbeResult.failed(describe(error) + " (GET " + probe.uri() + ")");
      }
      closeQuietly(response.body());
      return classify(response.statusCode(), probe);
    });
  }

  static ProbeResult classify(int status, Probe.Http probe) {
    if (!probe.readyStatuses().isEmpty()) {
      return probe.readyStatuses().contains(status) ? ProbeResult.PASSED
          : ProbeResult.failed("HTTP status " + status + " is not one of " + probe.readyStatuses());
    }
    if (status >= 200 && status < 400) {
      return ProbeResult.PASSED;
    }
    if (status >= 100 && status < 200 && probe.ignore1xx()) {
      return ProbeResult.IGNORED;
    }
    return ProbeResult.failed("HTTP status " + status + " (GET " + probe.uri() + ")");
  }

  // ---- TCP

  private CompletableFuture<ProbeResult> tcp(Probe.Tcp probe) {
    CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    AsynchronousSocketChannel channel;
    try {
      channel = AsynchronousSocketChannel.open(tcpGroup);
    } catch (IOException e) {
      return CompletableFuture.completedFuture(ProbeResult.failed("cannot open a socket: " + e.getMessage()));
    }
    channel.connect(probe.address(), null, new CompletionHandler<Void, Void>() {
      @Override
      public void completed(Void ignored, Void attachment) {
        result.complete(ProbeResult.PASSED);
      }

      @Override
      public void failed(Throwable error, Void attachment) {
        result.complete(ProbeResult.failed("cannot connect to " + hostPort(probe) + ": " + describe(error)));
      }
    });
    return result
        .completeOnTimeout(timedOut(probe), probe.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((r, e) -> closeQuietly(channel));
  }

  private static String hostPort(Probe.Tcp probe) {
    InetSocketAddress a = probe.address();
    String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    return host + ":" + a.getPort();
  }

  // ---- COMMAND

  private CompletableFuture<ProbeResult> command(Probe.Command probe) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return probe.process().get()
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
      } catch (IOException e) {
        throw new CompletionException(e);
      }
    }, threads).thenCompose(process -> {
      CompletableFuture<ProbeResult> result = new CompletableFuture<>();
      process.onExit().thenAccept(p -> result.complete(p.exitValue() == 0 ? ProbeResult.PASSED
          : ProbeResult.failed("command exited with status " + p.exitValue() + ": " + probe.command())));
      return result
          .completeOnTimeout(timedOut(probe), probe.timeout().toMillis(), TimeUnit.MILLISECONDS)
          .whenComplete((r, e) -> {
            if (process.isAlive()) { // timed out: take the whole tree down, not just bash
              process.descendants().forEach(ProcessHandle::destroyForcibly);
              process.destroyForcibly();
            }
          });
    }).exceptionally(error -> ProbeResult.failed("cannot start the command: " + describe(error)));
  }

  // ---- helpers

  private static ProbeResult timedOut(Probe probe) {
    return ProbeResult.failed("no answer within " + seconds(probe.timeout()) + " s");
  }

  private static String seconds(Duration d) {
    double s = d.toMillis() / 1000.0;
    return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
  }

  static String describe(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    String message = e.getMessage();
    String type = e.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + message;
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // the answer is in; the connection is of no further use
    }
  }

  private static void closeQuietly(AsynchronousSocketChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing to do: the probe is over
    }
  }

  /** Accepts every certificate without checking the host name (X509Extended: JSSE then adds no check). */
  private static SSLContext trustingContext() {
    TrustManager trustAll = new X509ExtendedTrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) { }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) { }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustAll}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS in this JVM", e);
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Stops the threads; probes still running complete as failures or not at all. */
  @Override
  public void close() {
    threads.shutdownNow();
    try {
      tcpGroup.shutdownNow();
    } catch (IOException ignored) {
      // the group's sockets are being closed anyway
    }
  }
}
