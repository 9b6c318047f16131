package dev.corral.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One `corral …` process from the built distribution, with its output in a log file. */
final class CorralProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final String name;

  private CorralProcess(Process process, Path log, String name) {
    this.process = process;
    this.log = log;
    this.name = name;
  }

  static Path distribution() {
    Path dist = Path.of(System.getProperty("corral.dist", "../corral-dist/target/corral-dist"));
    if (!Files.isDirectory(dist.resolve("lib"))) {
      throw new IllegalStateException("no distribution at " + dist + "; build it with mvn -B install -DskipTests");
    }
    return dist;
  }

  /**
   * The CLI configuration directory of every process this JVM starts: `corral up` and `corral master` write
   * their CLI context (an admin token) there, the CLI and {@link Marathon} read it. One per test JVM, so a
   * developer's own ~/.corral is never touched.
   */
  static final Path CONFIG_DIR = configDir();

  private static Path configDir() {
    try {
      Path dir = Path.of("target").toAbsolutePath().resolve("it-config-" + ProcessHandle.current().pid());
      Files.createDirectories(dir);
      return dir;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The cluster context `corral up`/`corral master` wrote for the API on {@code port}, as JSON; null if none. */
  static com.fasterxml.jackson.databind.JsonNode context(int port) {
    Path clusters = CONFIG_DIR.resolve("clusters");
    if (!Files.isDirectory(clusters)) {
      return null;
    }
    try (var files = Files.list(clusters)) {
      for (Path f : files.filter(f -> f.getFileName().toString().endsWith("-" + port + ".json")).toList()) {
        return Marathon.JSON.readTree(f.toFile());
      }
    } catch (IOException e) {
      return null; // being replaced right now: the caller asks again
    }
    return null;
  }

  /** The admin token for the API on {@code port} (null without one: authentication off, or not started yet). */
  static String token(int port) {
    com.fasterxml.jackson.databind.JsonNode c = context(port);
    return c == null || c.path("token").isMissingNode() || c.path("token").isNull() ? null : c.path("token").asText();
  }

  /** The first administrator's password for the API on {@code port}, as `corral up` kept it. */
  static String adminPassword(int port) throws IOException {
    try (var files = Files.list(CONFIG_DIR.resolve("clusters"))) {
      Path f = files.filter(p -> p.getFileName().toString().endsWith("-" + port + ".admin-password")).findFirst()
          .orElseThrow(() -> new AssertionError("no admin password kept for port " + port + " in " + CONFIG_DIR));
      return Files.readString(f).strip();
    }
  }

  private static final java.util.concurrent.atomic.AtomicInteger STARTS = new java.util.concurrent.atomic.AtomicInteger();

  /**
   * Starts `corral ARGS…` with stdout and stderr in a new file beside {@code log} (its name numbered, so that
   * a restarted process never finds the previous run's lines).
   */
  static CorralProcess start(Path log, String... args) throws IOException {
    return startIn(null, log, args);
  }

  /**
   * As {@link #start}, inside the network namespace {@code netns} (a host of {@link NetnsHosts}); null for
   * this machine's own network.
   */
  static CorralProcess startIn(String netns, Path log, String... args) throws IOException {
    return startIn(netns, log, java.util.Map.of(), args);
  }

  /** As {@link #startIn(String, Path, String...)}, with more environment variables (e.g. CORRAL_TOKEN). */
  static CorralProcess startIn(String netns, Path log, java.util.Map<String, String> env, String... args)
      throws IOException {
    return startFrom(distribution(), netns, log, env, args);
  }

  /**
   * As {@link #startIn(String, Path, java.util.Map, String...)}, from the distribution unpacked at
   * {@code dist} (a copy of the built one, e.g. the "old" and "new" releases of an upgrade).
   */
  static CorralProcess startFrom(Path dist, String netns, Path log, java.util.Map<String, String> env,
      String... args) throws IOException {
    log = log.resolveSibling(STARTS.incrementAndGet() + "-" + log.getFileName());
    List<String> cmd = new ArrayList<>();
    if (netns != null) {
      cmd.addAll(List.of("ip", "netns", "exec", netns)); // execs java: the pid is the JVM's
    }
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Xmx512m");
    // as bin/corral does: the distribution's own files (the bundled package catalog) are found from here
    cmd.add("-Dcorral.home=" + dist.toAbsolutePath());
    cmd.add("-cp");
    cmd.add(dist.resolve("lib").toAbsolutePath() + "/*");
    cmd.add("dev.corral.dist.Main");
    cmd.addAll(List.of(args));
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(cmd);
    // agents run process tasks unless a test asks for --containerizers, whatever the machine has installed
    pb.environment().put("CORRAL_CONTAINERIZERS", "process");
    pb.environment().put("CORRAL_DNS_PORT", "0"); // never the shared machine's port 53 or 8053
    pb.environment().put("CORRAL_CONFIG_DIR", CONFIG_DIR.toString());
    pb.environment().putAll(env);
    Process p = pb
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    return new CorralProcess(p, log, String.join(" ", args));
  }

  /** Runs a short `corral` client command and returns its exit code and output. */
  static Result run(Path dir, String... args) throws Exception {
    return run(dir, Duration.ofSeconds(60), args);
  }

  /** As {@link #run(Path, String...)}, for commands that wait long (an install following its deployment). */
  static Result run(Path dir, Duration timeout, String... args) throws Exception {
    return run(dir, timeout, java.util.Map.of(), args);
  }

  /** As {@link #run(Path, Duration, String...)}, with more environment variables (e.g. CORRAL_TOKEN). */
  static Result run(Path dir, Duration timeout, java.util.Map<String, String> env, String... args) throws Exception {
    Path out = Files.createTempFile(dir, "cli-", ".out");
    try (CorralProcess p = startIn(null, out, env, args)) {
      int code = p.waitFor(timeout);
      return new Result(code, p.output());
    }
  }

  record Result(int exitCode, String output) {}

  long pid() {
    return process.pid();
  }

  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Waits until the log contains {@code text}; fails with the log when the process dies or time runs out. */
  void awaitLog(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!output().contains(text)) {
      if (!process.isAlive()) {
        throw new AssertionError("`corral " + name + "` exited with " + process.exitValue() + " before printing '"
            + text + "':\n" + output());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("`corral " + name + "` did not print '" + text + "' within " + timeout + ":\n" + output());
      }
      Thread.sleep(50);
    }
  }

  /** Sends a signal by name (INT, TERM, KILL) to the process. */
  void signal(String signal) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid())).inheritIO().start().waitFor();
  }

  int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("`corral " + name + "` did not exit within " + timeout + ":\n" + output());
    }
    return process.exitValue();
  }

  /** Stops the process gracefully (SIGINT, as Ctrl-C would) and waits for it. */
  void stop() throws Exception {
    if (process.isAlive()) {
      signal("INT");
      waitFor(Duration.ofSeconds(60));
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
