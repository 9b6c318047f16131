package dev.corral.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real probes against servers and commands the test runs on the loopback interface. */
class ProbeRunnerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @TempDir
  Path dir;
  private final ProbeRunner runner = new ProbeRunner(8);
  private final ExecutorService serverThreads = Executors.newCachedThreadPool();
  private HttpServer server;
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) {
      server.stop(0);
    }
    serverThreads.shutdownNow();
    runner.close();
  }

  private int startHttp(HttpServer s) {
    server = s;
    s.createContext("/status/", ex -> {
      int status = Integer.parseInt(ex.getRequestURI().getPath().substring("/status/".length()));
      if (status >= 300 && status < 400) {
        ex.getResponseHeaders().add("Location", "/elsewhere");
      }
      ex.sendResponseHeaders(status, -1);
      ex.close();
    });
    s.createContext("/slow", ex -> {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    s.setExecutor(serverThreads);
    s.start();
    return s.getAddress().getPort();
  }

  private int http() throws Exception {
    return startHttp(HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 0));
  }

  private static Probe.Http get(String url) {
    return new Probe.Http(URI.create(url), TIMEOUT, false, Set.of());
  }

  private ProbeResult run(Probe probe) throws Exception {
    return runner.probe(probe).get(30, TimeUnit.SECONDS);
  }

  @Test
  void httpCountsTwoAndThreeHundredsAsHealthyAndTheRestAsFailures() throws Exception {
    int port = http();
    String base = "http://127.0.0.1:" + port + "/status/";
    assertThat(run(get(base + 200))).isEqualTo(ProbeResult.PASSED);
    assertThat(run(get(base + 302))).as("redirects are not followed").isEqualTo(ProbeResult.PASSED);
    ProbeResult error = run(get(base + 500));
    assertThat(error.outcome()).isEqualTo(ProbeResult.Outcome.FAILED);
    assertThat(error.cause()).contains("HTTP status 500");
    assertThat(run(get(base + 404)).outcome()).isEqualTo(ProbeResult.Outcome.FAILED);
  }

  @Test
  void readinessPassesOnlyOnTheListedStatuses() throws Exception {
    int port = http();
    String base = "http://127.0.0.1:" + port + "/status/";
    Probe.Http ready204 = new Probe.Http(URI.create(base + 204), TIMEOUT, false, Set.of(204));
    Probe.Http ready200 = new Probe.Http(URI.create(base + 200), TIMEOUT, false, Set.of(204));
    assertThat(run(ready204)).isEqualTo(ProbeResult.PASSED);
    assertThat(run(ready200).cause()).contains("HTTP status 200 is not one of [204]");
  }

  @Test
  void informationalAnswersAreIgnoredOnlyWhenAsked() {
    URI uri = URI.create("http://127.0.0.1:1/");
    assertThat(ProbeRunner.classify(101, new Probe.Http(uri, TIMEOUT, true, Set.of()))).isEqualTo(ProbeResult.IGNORED);
    assertThat(ProbeRunner.classify(101, new Probe.Http(uri, TIMEOUT, false, Set.of())).outcome())
        .isEqualTo(ProbeResult.Outcome.FAILED);
  }

  @Test
  void httpFailsWhenNothingListensOrTheAnswerIsLate() throws Exception {
    int closed = freePort();
    ProbeResult refused = run(get("http://127.0.0.1:" + closed + "/"));
    assertThat(refused.outcome()).isEqualTo(ProbeResult.Outcome.FAILED);
    assertThat(refused.cause()).contains("127.0.0.1:" + closed);
    int port = http();
    ProbeResult late = run(new Probe.Http(URI.create("http://127.0.0.1:" + port + "/slow"), Duration.ofMillis(300),
        false, Set.of()));
    assertThat(late.outcome()).isEqualTo(ProbeResult.Outcome.FAILED);
  }

  @Test
  void httpsAcceptsASelfSignedCertificateForAnotherHostName() throws Exception {
    HttpsServer s = HttpsServer.create(new InetSocketAddress(LOOPBACK, 0), 0);
    s.setHttpsConfigurator(new HttpsConfigurator(selfSigned()));
    int port = startHttp(s);
    assertThat(run(get("https://127.0.0.1:" + port + "/status/200"))).isEqualTo(ProbeResult.PASSED);
  }

  @Test
  void tcpPassesWhenAConnectionIsAccepted() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 50, LOOPBACK)) {
      assertThat(run(new Probe.Tcp(new InetSocketAddress(LOOPBACK, socket.getLocalPort()), TIMEOUT)))
          .isEqualTo(ProbeResult.PASSED);
    }
    int closed = freePort();
    ProbeResult refused = run(new Probe.Tcp(new InetSocketAddress(LOOPBACK, closed), TIMEOUT));
    assertThat(refused.outcome()).isEqualTo(ProbeResult.Outcome.FAILED);
    assertThat(refused.cause()).contains("cannot connect to 127.0.0.1:" + closed);
  }

  @Test
  void aCommandPassesOnExitZeroInItsDirectoryAndEnvironment() throws Exception {
    Files.writeString(dir.resolve("marker"), "x");
    ProbeResult ok = run(command("test -f marker && test \"$FOO\" = bar", Duration.ofSeconds(10)));
    assertThat(ok).isEqualTo(ProbeResult.PASSED);
    ProbeResult failed = run(command("exit 3", Duration.ofSeconds(10)));
    assertThat(failed.cause()).isEqualTo("command exited with status 3: exit 3");
  }

  @Test
  void aCommandStillRunningAtTheTimeoutIsKilledWithItsChildren() throws Exception {
    ProbeResult late = run(command("sleep 60 & echo $! > child; echo $$ > self; wait", Duration.ofMillis(500)));
    assertThat(late.outcome()).isEqualTo(ProbeResult.Outcome.FAILED);
    assertThat(late.cause()).contains("no answer within 0.5 s");
    long child = Long.parseLong(Files.readString(dir.resolve("child")).trim());
    long self = Long.parseLong(Files.readString(dir.resolve("self")).trim());
    await().atMost(Duration.ofSeconds(10)).until(() -> !alive(child) && !alive(self));
  }

  @Test
  void aCommandThatCannotStartFails() throws Exception {
    ProbeResult r = run(new Probe.Command("x", () -> new ProcessBuilder("/nonexistent/bash"), TIMEOUT));
    assertThat(r.outcome()).isEqualTo(ProbeResult.Outcome.FAILED);
    assertThat(r.cause()).startsWith("cannot start the command");
  }

  @Test
  void probesBeyondTheLimitWaitForARunningOneToEnd() throws Exception {
    try (ProbeRunner one = new ProbeRunner(1); ServerSocket socket = new ServerSocket(0, 50, LOOPBACK)) {
      int port = http();
      CompletableFuture<ProbeResult> slow = one.probe(get("http://127.0.0.1:" + port + "/slow"));
      CompletableFuture<ProbeResult> queued =
          one.probe(new Probe.Tcp(new InetSocketAddress(LOOPBACK, socket.getLocalPort()), TIMEOUT));
      assertThat(queued).as("waits for the slow one").isNotDone();
      assertThat(one.inFlight()).isEqualTo(1);
      release.countDown();
      assertThat(slow.get(30, TimeUnit.SECONDS)).isEqualTo(ProbeResult.PASSED);
      assertThat(queued.get(30, TimeUnit.SECONDS)).isEqualTo(ProbeResult.PASSED);
      await().atMost(Duration.ofSeconds(10)).until(() -> one.inFlight() == 0);
    }
  }

  private Probe.Command command(String script, Duration timeout) {
    return new Probe.Command(script, () -> {
      ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(dir.toFile());
      pb.environment().put("FOO", "bar");
      return pb;
    }, timeout);
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
      return s.getLocalPort();
    }
  }

  /** A key pair with a self-signed certificate for "localhost", made by the JDK's keytool. */
  private SSLContext selfSigned() throws Exception {
    Path store = dir.resolve("server.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "test", "-keyalg", "RSA",
        "-keysize", "2048", "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(output).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }
}
