package dev.corral.agent.health;

import dev.corral.api.v1.CheckProtocol;
import dev.corral.api.v1.HealthCheck;
import dev.corral.api.v1.HealthCheckResult;
import dev.corral.api.v1.ReadinessCheck;
import dev.corral.api.v1.TaskInfo;
import dev.corral.common.EventLoop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the health and readiness checks of the agent's RUNNING tasks (Marathon's {@code healthChecks} and
 * {@code readinessChecks}, resolved by the scheduler into the TaskInfo) and reports what changed.
 *
 * <p>Health check: the first probe runs {@code delay_seconds} after the task started RUNNING, then one every
 * {@code interval_seconds} (counted from the start of the previous probe; never two at once), each limited to
 * {@code timeout_seconds}. A failure within {@code grace_period_seconds} of the start does not count unless a
 * probe already passed. A report goes out when a check gets its first result, flips, or its consecutive
 * failures change; the agent never kills: the scheduler decides what unhealthy means.
 *
 * <p>Readiness check: probed at once, then every {@code interval_seconds} until it passes; when all passed,
 * one report says the task is ready, and readiness is not checked again.
 *
 * <p>Threading: every method runs on the agent's event loop, which owns the table (asserted); timers are the
 * loop's, tagged per task and check. Probes run on the {@link Prober}; their results come back as loop events
 * and are dropped when the task's checks were stopped (or restarted) meanwhile. Soft state only: after an agent
 * restart the checks of recovered tasks start again from unknown, with the grace period counted from the
 * task's original start.
 */
public final class HealthMonitor {
  /** Receives reports on the loop. */
  public interface Listener {
    void onReport(String taskId, HealthReport report);
  }

  /** Builds the process of a COMMAND check of one task; called off the loop, once per probe. */
  public interface CommandFactory {
    ProcessBuilder build(String command);
  }

  private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);
  /** Floors for intervals and timeouts, so that a zero from a careless definition does not spin. */
  static final Duration MIN_PERIOD = Duration.ofMillis(100);

  private final EventLoop loop;
  private final Prober prober;
  private final Listener listener;
  private final Map<String, TaskChecks> tasks = new HashMap<>();

  public HealthMonitor(EventLoop loop, Prober prober, Listener listener) {
    this.loop = loop;
    this.prober = prober;
    this.listener = listener;
  }

  /** Whether the task asks for any check. */
  public static boolean hasChecks(TaskInfo task) {
    return task.getHealthChecksCount() > 0 || task.getReadinessChecksCount() > 0;
  }

  /**
   * Starts the task's checks (replacing any it had).
   *
   * @param runningSince when the task started; delay and grace period count from here
   */
  public void start(String taskId, TaskInfo task, Instant runningSince, CommandFactory commands) {
    loop.assertInLoop();
    stop(taskId);
    if (!hasChecks(task)) {
      return;
    }
    TaskChecks tc = new TaskChecks(taskId, task, runningSince, commands);
    tasks.put(taskId, tc);
    Instant now = now();
    for (int i = 0; i < task.getHealthChecksCount(); i++) {
      int index = i;
      Instant first = runningSince.plus(seconds(task.getHealthChecks(i).getDelaySeconds(), Duration.ZERO));
      loop.schedule(healthTag(taskId, i), untilOrZero(now, first), () -> runHealth(tc, index));
    }
    for (int i = 0; i < task.getReadinessChecksCount(); i++) {
      int index = i;
      loop.schedule(readyTag(taskId, i), Duration.ZERO, () -> runReadiness(tc, index));
    }
  }

  /** Stops the task's checks; results still on their way are dropped. */
  public void stop(String taskId) {
    loop.assertInLoop();
    TaskChecks tc = tasks.remove(taskId);
    if (tc == null) {
      return;
    }
    for (int i = 0; i < tc.health.length; i++) {
      loop.cancel(healthTag(taskId, i));
    }
    for (int i = 0; i < tc.ready.length; i++) {
      loop.cancel(readyTag(taskId, i));
    }
  }

  /** Tasks whose checks run. */
  public int size() {
    loop.assertInLoop();
    return tasks.size();
  }

  // ---- health checks

  private void runHealth(TaskChecks tc, int i) {
    if (tasks.get(tc.taskId) != tc) {
      return;
    }
    Instant started = now();
    HealthCheck check = tc.task.getHealthChecks(i);
    probe(() -> healthProbe(check, tc)).whenComplete((result, error) ->
        loop.execute(() -> onHealthResult(tc, i, result, started)));
  }

  private void onHealthResult(TaskChecks tc, int i, ProbeResult result, Instant started) {
    if (tasks.get(tc.taskId) != tc) {
      return;
    }
    HealthCheck check = tc.task.getHealthChecks(i);
    Instant now = now();
    boolean inGrace = now.isBefore(tc.since.plus(seconds(check.getGracePeriodSeconds(), Duration.ZERO)));
    CheckHealth before = tc.health[i];
    CheckHealth after = before.after(result, now, inGrace);
    tc.health[i] = after;
    if (result.outcome() == ProbeResult.Outcome.FAILED && after == before) {
      log.debug("task {}: health check {} failed within the grace period: {}", tc.taskId, i, result.cause());
    }
    if (before.worthReporting(after)) {
      listener.onReport(tc.taskId, tc.report(HealthReport.Trigger.HEALTH, message(i, after)));
    }
    if (tasks.get(tc.taskId) == tc) {
      Instant next = started.plus(seconds(check.getIntervalSeconds(), MIN_PERIOD));
      loop.schedule(healthTag(tc.taskId, i), untilOrZero(now, next), () -> runHealth(tc, i));
    }
  }

  private static String message(int i, CheckHealth h) {
    if (h.alive()) {
      return "health check " + i + " passed";
    }
    return "health check " + i + " failed " + h.consecutiveFailures() + " consecutive time"
        + (h.consecutiveFailures() == 1 ? "" : "s") + ": " + h.lastFailureCause();
  }

  private Probe healthProbe(HealthCheck check, TaskChecks tc) {
    Duration timeout = seconds(check.getTimeoutSeconds(), MIN_PERIOD);
    switch (check.getProtocol()) {
      case CHECK_HTTP:
      case CHECK_HTTPS:
        return new Probe.Http(uri(check.getProtocol(), check.getIpv6(), check.getPort(), check.getPath()), timeout,
            check.getIgnoreHttp1Xx(), Set.of());
      case CHECK_TCP:
        return new Probe.Tcp(new InetSocketAddress(loopback(check.getIpv6()), check.getPort()), timeout);
      case CHECK_COMMAND:
        String command = check.getCommand();
        return new Probe.Command(command, () -> tc.commands.build(command), timeout);
      default:
        throw new IllegalArgumentException("unknown health check protocol " + check.getProtocol());
    }
  }

  // ---- readiness checks

  private void runReadiness(TaskChecks tc, int i) {
    if (tasks.get(tc.taskId) != tc) {
      return;
    }
    Instant started = now();
    ReadinessCheck check = tc.task.getReadinessChecks(i);
    Set<Integer> ready = new HashSet<>(check.getHttpStatusCodesForReadyList());
    if (ready.isEmpty()) {
      ready.add(200);
    }
    probe(() -> new Probe.Http(uri(check.getProtocol(), false, check.getPort(), check.getPath()),
        seconds(check.getTimeoutSeconds(), MIN_PERIOD), false, ready))
        .whenComplete((r, error) -> loop.execute(() -> onReadinessResult(tc, i, r, started)));
  }

  private void onReadinessResult(TaskChecks tc, int i, ProbeResult result, Instant started) {
    if (tasks.get(tc.taskId) != tc) {
      return;
    }
    if (result.outcome() == ProbeResult.Outcome.PASSED) {
      tc.ready[i] = true;
      if (tc.allReady()) {
        listener.onReport(tc.taskId, tc.report(HealthReport.Trigger.READINESS, "ready"));
      }
      return; // a passed readiness check is not run again
    }
    ReadinessCheck check = tc.task.getReadinessChecks(i);
    Instant next = started.plus(seconds(check.getIntervalSeconds(), MIN_PERIOD));
    loop.schedule(readyTag(tc.taskId, i), untilOrZero(now(), next), () -> runReadiness(tc, i));
  }

  // ---- helpers

  /** Builds and runs a probe; one that cannot even be built (a bad path) is a failed result. */
  private CompletableFuture<ProbeResult> probe(Supplier<Probe> build) {
    Probe probe;
    try {
      probe = build.get();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(ProbeResult.failed(e.getMessage()));
    }
    CompletableFuture<ProbeResult> running;
    try {
      running = prober.probe(probe);
    } catch (RuntimeException e) {
      running = CompletableFuture.failedFuture(e);
    }
    return running.handle((r, error) -> r != null ? r
        : ProbeResult.failed("the check did not run: " + ProbeRunner.describe(error)));
  }

  static URI uri(CheckProtocol protocol, boolean ipv6, int port, String path) {
    String scheme = protocol == CheckProtocol.CHECK_HTTPS ? "https" : "http";
    String host = ipv6 ? "[::1]" : "127.0.0.1";
    String p = path.isEmpty() ? "/" : path.startsWith("/") ? path : "/" + path;
    try {
      return URI.create(scheme + "://" + host + ":" + port + p);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a usable path for an HTTP check: '" + path + "'", e);
    }
  }

  private static InetAddress loopback(boolean ipv6) {
    try {
      return InetAddress.getByAddress(ipv6 ? new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}
          : new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // impossible for a literal address
    }
  }

  private Instant now() {
    return loop.clock().instant();
  }

  private static Duration untilOrZero(Instant now, Instant at) {
    Duration d = Duration.between(now, at);
    return d.isNegative() ? Duration.ZERO : d;
  }

  static Duration seconds(double value, Duration floor) {
    Duration d = Double.isFinite(value) && value > 0 ? Duration.ofMillis(Math.round(value * 1000)) : Duration.ZERO;
    return d.compareTo(floor) < 0 ? floor : d;
  }

  private static String healthTag(String taskId, int i) {
    return "health:" + taskId + ":" + i;
  }

  private static String readyTag(String taskId, int i) {
    return "ready:" + taskId + ":" + i;
  }

  /** One task's checks; loop-confined. */
  private static final class TaskChecks {
    final String taskId;
    final TaskInfo task;
    final Instant since;
    final CommandFactory commands;
    final CheckHealth[] health;
    final boolean[] ready;

    TaskChecks(String taskId, TaskInfo task, Instant since, CommandFactory commands) {
      this.taskId = taskId;
      this.task = task;
      this.since = since;
      this.commands = commands;
      this.health = new CheckHealth[task.getHealthChecksCount()];
      Arrays.fill(health, CheckHealth.UNKNOWN);
      this.ready = new boolean[task.getReadinessChecksCount()];
    }

    boolean allReady() {
      for (boolean r : ready) {
        if (!r) {
          return false;
        }
      }
      return true;
    }

    /** Healthy when every check is alive, unhealthy when one is not, unknown while some have no result. */
    Boolean healthy() {
      boolean all = true;
      for (CheckHealth h : health) {
        if (h.counted() && !h.alive()) {
          return false;
        }
        all &= h.counted();
      }
      return all && health.length > 0 ? Boolean.TRUE : null;
    }

    HealthReport report(HealthReport.Trigger trigger, String message) {
      List<HealthCheckResult> results = new ArrayList<>();
      for (int i = 0; i < health.length; i++) {
        if (health[i].counted()) {
          results.add(health[i].toProto(i));
        }
      }
      return new HealthReport(results, healthy(), ready.length == 0 ? null : allReady(), trigger, message);
    }
  }
}
