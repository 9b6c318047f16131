package dev.corral.dist.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.HttpServers;
import dev.corral.common.Json;
import dev.corral.gateway.Gateway;
import dev.corral.gateway.auth.Security;
import dev.corral.services.engine.ServiceTargets;
import dev.corral.state.MemoryStore;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What {@code /service/<name>/} adds to a request. A small HTTP service (Jetty, answering a short body) is
 * hit at a fixed rate for a fixed time, once directly and once through the master's gateway (the same
 * Javalin server, {@link Security} with authentication on, and {@link Gateway} as {@code corral up} runs
 * them) with a valid token; the two take turns so that both meet the same background load.
 *
 * <p>The load comes from Debian's {@code wrk} when it is installed ({@link WrkLoad}: a C process, paced, keep-alive
 * connections), so that the two cores go to the servers measured; otherwise from the JDK's HttpClient in this
 * JVM, open loop (request {@code i} is due at {@code start + i/rate} and its latency counts from that moment,
 * so a stall shows in every request it delayed), whose own cost then competes with the servers.
 */
@Command(name = "gateway", description = "Latency the gateway's /service/<name>/ proxy adds, at a fixed request rate.")
public final class GatewayBenchmark implements Callable<Integer> {
  static final double TARGET_ADDED_P99_MS = 2.0;
  private static final String BODY = "{\"status\":\"ok\"}";
  private static final int WRK_TURN_SECONDS = 2;

  @Spec
  CommandSpec spec;

  @Option(names = "--rate", defaultValue = "1000", description = "Requests per second (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--seconds", defaultValue = "20", description = "Measured seconds per path (default: ${DEFAULT-VALUE}).")
  int seconds;

  // 5 s left the JIT's C2 compiler busy through the measured time (about 30 % of the JVM's CPU there), and its
  // work showed as the gateway path's tail; by 20 s it has compiled what the paths run.
  @Option(names = "--warmup", defaultValue = "20",
      description = "Warm-up seconds per path, so that the JIT has compiled both paths before they are measured"
          + " (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--senders", defaultValue = "64",
      description = "Sending threads; a request waits for a free one only when this many are outstanding"
          + " (default: ${DEFAULT-VALUE}).")
  int senders;

  @Option(names = "--generator", defaultValue = "auto",
      description = "Load generator: wrk (Debian's, a separate C process), jdk (the JDK HttpClient in this JVM), or"
          + " auto: wrk when it is on the PATH (default: ${DEFAULT-VALUE}).")
  String generator;

  @Option(names = "--json", description = "Print the figures as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Javalin service = Javalin.create(c -> {
      c.startup.showJavalinBanner = false;
      c.http.responseBufferSize = HttpServers.RESULT_COPY_BUFFER;
      c.routes.addHttpHandler(HandlerType.GET, "/api/status", ctx -> ctx.contentType("application/json").result(BODY));
    });
    service.start("127.0.0.1", 0);
    ServiceTargets targets = new ServiceTargets(List.of("/bench/web"), List.of(
        new ServiceTargets.Target("/bench/web", "bench_web.1", "127.0.0.1", service.port(), "http", true, null, false)));
    Security security = Security.enabled(new MemoryStore(), Clock.systemUTC());
    security.bootstrapAdmin("admin");
    String token = security.issueToken("admin", Duration.ofHours(1)).orElseThrow();
    Gateway gateway = new Gateway(id -> CompletableFuture.completedFuture(Optional.empty()),
        name -> CompletableFuture.completedFuture(name.equals("web") ? targets
            : new ServiceTargets(List.of(), List.of())));
    Javalin master = Javalin.create(c -> {
      c.startup.showJavalinBanner = false;
      c.http.responseBufferSize = HttpServers.RESULT_COPY_BUFFER;
      security.install(c);
      gateway.install(c);
    });
    master.start("127.0.0.1", 0);
    try {
      URI direct = URI.create("http://127.0.0.1:" + service.port() + "/api/status");
      URI proxied = URI.create("http://127.0.0.1:" + master.port() + "/service/web/api/status");
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      check(client, direct, null);
      check(client, proxied, token);
      boolean useWrk = switch (generator) {
        case "wrk" -> true;
        case "jdk" -> false;
        case "auto" -> WrkLoad.available();
        default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--generator: expected wrk, jdk or auto, got " + generator);
      };
      Result[] measured;
      String how;
      if (useWrk) {
        try (WrkLoad wrk = new WrkLoad(rate)) {
          URI[] paths = {direct, proxied};
          String[] auth = {null, "token=" + token};
          wrkLoad(wrk, paths, auth, warmup);
          measured = wrkLoad(wrk, paths, auth, seconds);
          how = String.format("wrk, %d keep-alive connections paced to about %d requests/s, the paths taking turns"
              + " every %d s", wrk.connections(), rate, WRK_TURN_SECONDS);
        }
      } else {
        HttpRequest[] both = {request(direct, null), request(proxied, token)};
        load(client, both, warmup);
        measured = load(client, both, seconds);
        how = String.format("JDK HttpClient in this JVM, %d requests/s, open loop (latency from the scheduled"
            + " time), the paths taking turns every second", rate);
      }
      Result d = measured[0];
      Result g = measured[1];
      double addedP99 = g.millis(99) - d.millis(99);
      double ratio = d.millis(99) > 0 ? g.millis(99) / d.millis(99) : 0;
      if (json) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("rate", rate).put("seconds", seconds).put("cpus", Runtime.getRuntime().availableProcessors())
            .put("generator", useWrk ? "wrk" : "jdk");
        n.set("direct", d.json());
        n.set("gateway", g.json());
        n.put("addedP99Millis", round(addedP99)).put("p99Ratio", round(ratio))
            .put("targetAddedP99Millis", TARGET_ADDED_P99_MS);
        out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(n));
      } else {
        out.printf("%d s per path; load: %s; %d CPUs%n", seconds, how, Runtime.getRuntime().availableProcessors());
        out.printf("%-9s %8s %6s %9s %9s %9s %9s%n", "path", "requests", "errors", "p50 ms", "p99 ms",
            "p99.9 ms", "max ms");
        d.print(out, "direct");
        g.print(out, "gateway");
        out.printf("gateway adds %.2f ms at p99 (target: under %.1f ms at 1,000 requests/s); p99 ratio %.2f%n",
            addedP99, TARGET_ADDED_P99_MS, ratio);
      }
      out.flush();
      return 0;
    } finally {
      master.stop();
      gateway.close();
      security.close();
      service.stop();
    }
  }

  private static void check(HttpClient client, URI uri, String token) throws Exception {
    HttpResponse<String> r = client.send(request(uri, token), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200 || !r.body().equals(BODY)) {
      throw new IllegalStateException(uri + " answered " + r.statusCode() + ": " + r.body());
    }
  }

  private static HttpRequest request(URI uri, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "token=" + token);
    }
    return b.build();
  }

  /**
   * {@code 2 * secs} seconds at {@link #rate}, the paths taking turns second by second, so that both meet the
   * same load from whatever else runs on the machine.
   */
  private Result[] load(HttpClient client, HttpRequest[] paths, int secs) throws Exception {
    int total = rate * secs * paths.length;
    long period = 1_000_000_000L / rate;
    long[] nanos = new long[total];
    boolean[] failed = new boolean[total];
    AtomicLong next = new AtomicLong();
    long start = System.nanoTime() + 50_000_000L;
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    List<Future<?>> running = new ArrayList<>();
    for (int s = 0; s < senders; s++) {
      running.add(pool.submit(() -> {
        long i;
        while ((i = next.getAndIncrement()) < total) {
          long due = start + i * period;
          long wait;
          while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
          }
          try {
            HttpResponse<Void> r = client.send(paths[pathOf(i)], HttpResponse.BodyHandlers.discarding());
            failed[(int) i] = r.statusCode() != 200;
          } catch (Exception e) {
            failed[(int) i] = true;
          }
          nanos[(int) i] = System.nanoTime() - due;
        }
        return null;
      }));
    }
    for (Future<?> f : running) {
      f.get();
    }
    pool.shutdown();
    Result[] results = new Result[paths.length];
    for (int p = 0; p < paths.length; p++) {
      long[] mine = new long[rate * secs];
      int n = 0;
      long errors = 0;
      for (int i = 0; i < total; i++) {
        if (pathOf(i) == p) {
          mine[n++] = nanos[i];
          errors += failed[i] ? 1 : 0;
        }
      }
      results[p] = new Result(mine, errors);
    }
    return results;
  }

  /**
   * {@code secs} seconds per path from wrk, in turns of {@link #WRK_TURN_SECONDS} so that both paths meet the
   * same background load; the turns' histograms merged.
   */
  private static Result[] wrkLoad(WrkLoad wrk, URI[] paths, String[] auth, int secs) throws Exception {
    List<List<long[]>> samples = List.of(new ArrayList<>(), new ArrayList<>());
    long[] errors = new long[paths.length];
    for (int done = 0; done < secs; done += WRK_TURN_SECONDS) {
      int turn = Math.min(WRK_TURN_SECONDS, secs - done);
      for (int p = 0; p < paths.length; p++) {
        WrkLoad.Sample s = wrk.run(paths[p], auth[p], turn);
        samples.get(p).add(s.nanos());
        errors[p] += s.errors();
      }
    }
    Result[] results = new Result[paths.length];
    for (int p = 0; p < paths.length; p++) {
      results[p] = new Result(samples.get(p).stream().flatMapToLong(Arrays::stream).toArray(), errors[p]);
    }
    return results;
  }

  private int pathOf(long i) {
    return (int) ((i / rate) % 2);
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private record Result(long[] nanos, long errors) {
    Result {
      nanos = nanos.clone();
      Arrays.sort(nanos);
    }

    double millis(double percent) {
      int rank = (int) Math.ceil(percent / 100.0 * nanos.length);
      return nanos[Math.max(0, Math.min(nanos.length - 1, rank - 1))] / 1e6;
    }

    ObjectNode json() {
      return Json.mapper().createObjectNode().put("requests", nanos.length).put("errors", errors)
          .put("p50Millis", round(millis(50))).put("p99Millis", round(millis(99)))
          .put("p999Millis", round(millis(99.9))).put("maxMillis", round(millis(100)));
    }

    void print(PrintWriter out, String name) {
      out.printf("%-9s %8d %6d %9.2f %9.2f %9.2f %9.2f%n", name, nanos.length, errors, millis(50), millis(99),
          millis(99.9), millis(100));
    }
  }
}
