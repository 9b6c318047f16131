package dev.corral.dist.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Load from Debian's {@code wrk}, a C load generator, so that the machine's cores go to the servers being
 * measured rather than to a Java client beside them. wrk is closed loop; a Lua script paces it: after each
 * answer a connection waits a random 0–2 × {@code pause} ms (random, so the connections do not fire together),
 * which with {@code rate × pause / 1000} connections comes to about {@code rate} requests per second. The
 * script prints wrk's whole latency histogram (microseconds), so that runs can be merged exactly.
 */
final class WrkLoad implements AutoCloseable {
  /** Mean pause between a connection's requests, ms. */
  private static final int PAUSE_MS = 20;
  private static final String SCRIPT = """
      local pause
      init = function(args) pause = tonumber(args[1]) end
      delay = function() return math.random(0, 2 * pause) end
      done = function(summary, latency, requests)
        local e = summary.errors
        io.write(string.format("corral-wrk errors %d\\n", e.connect + e.read + e.write + e.status + e.timeout))
        -- latency(i): the i-th distinct value and its count; past the last one wrk answers a value of 0
        local i = 1
        while true do
          local value, count = latency(i)
          if value == 0 then break end
          io.write(string.format("corral-wrk latency %d %d\\n", value, count))
          i = i + 1
        end
      end
      """;

  /** Latencies in nanoseconds (one per answered request) and the requests wrk counted as failed. */
  record Sample(long[] nanos, long errors) {}

  private final int rate;
  private final Path script;

  WrkLoad(int rate) throws IOException {
    this.rate = rate;
    this.script = Files.createTempFile("corral-bench-", ".lua");
    Files.writeString(script, SCRIPT);
  }

  /** Whether {@code wrk} is on the PATH. */
  static boolean available() {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "wrk"))) {
        return true;
      }
    }
    return false;
  }

  int connections() {
    return Math.max(1, rate * PAUSE_MS / 1000);
  }

  /** Runs wrk against {@code uri} for {@code seconds}, one thread, keep-alive connections. */
  Sample run(URI uri, String authorization, int seconds) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("wrk", "-t1", "-c" + connections(), "-d" + seconds + "s",
        "--timeout", "30s", "-s", script.toString()));
    if (authorization != null) {
      cmd.addAll(List.of("-H", "Authorization: " + authorization));
    }
    cmd.addAll(List.of(uri.toString(), "--", Integer.toString(PAUSE_MS)));
    Process wrk = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      List<Long> nanos = new ArrayList<>();
      long errors = -1;
      StringBuilder other = new StringBuilder();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(wrk.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          String[] f = line.split(" ");
          if (f.length == 4 && f[0].equals("corral-wrk") && f[1].equals("latency")) {
            long micros = Long.parseLong(f[2]);
            for (long n = Long.parseLong(f[3]); n > 0; n--) {
              nanos.add(micros * 1000);
            }
          } else if (f.length == 3 && f[0].equals("corral-wrk") && f[1].equals("errors")) {
            errors = Long.parseLong(f[2]);
          } else {
            other.append(line).append('\n');
          }
        }
      }
      int rc = wrk.waitFor();
      if (rc != 0 || errors < 0) {
        throw new IOException("wrk exited with " + rc + ":\n" + other);
      }
      return new Sample(nanos.stream().mapToLong(Long::longValue).toArray(), errors);
    } finally {
      wrk.destroyForcibly();
      wrk.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws IOException {
    Files.deleteIfExists(script);
  }
}
