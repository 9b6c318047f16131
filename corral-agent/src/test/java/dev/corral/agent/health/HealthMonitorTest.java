package dev.corral.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.CheckProtocol;
import dev.corral.api.v1.HealthCheck;
import dev.corral.api.v1.ReadinessCheck;
import dev.corral.api.v1.TaskInfo;
import dev.corral.common.ManualEventLoop;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The check schedule and the reporting rules, on a manual loop with a prober the test answers. */
class HealthMonitorTest {
  private final ManualEventLoop loop = new ManualEventLoop();
  private final FakeProber prober = new FakeProber();
  private final List<HealthReport> reports = new ArrayList<>();
  private final HealthMonitor monitor = new HealthMonitor(loop, prober, (id, r) -> reports.add(r));

  /** Records probes; each stays pending until the test answers it. */
  static final class FakeProber implements Prober {
    record Call(Probe probe, CompletableFuture<ProbeResult> result) {}

    final List<Call> calls = new ArrayList<>();

    @Override
    public synchronized CompletableFuture<ProbeResult> probe(Probe probe) {
      CompletableFuture<ProbeResult> f = new CompletableFuture<>();
      calls.add(new Call(probe, f));
      return f;
    }

    synchronized Call last() {
      return calls.get(calls.size() - 1);
    }
  }

  private static HealthCheck.Builder http() {
    return HealthCheck.newBuilder().setProtocol(CheckProtocol.CHECK_HTTP).setPort(31001).setPath("/health")
        .setGracePeriodSeconds(30).setIntervalSeconds(10).setTimeoutSeconds(5).setDelaySeconds(15)
        .setMaxConsecutiveFailures(3);
  }

  private static TaskInfo task(HealthCheck.Builder... checks) {
    TaskInfo.Builder b = TaskInfo.newBuilder().setTaskId("t1");
    for (HealthCheck.Builder c : checks) {
      b.addHealthChecks(c);
    }
    return b.build();
  }

  private void answer(ProbeResult r) {
    prober.last().result().complete(r);
    loop.runPending();
  }

  private Instant now() {
    return loop.clock().instant();
  }

  @Test
  void theFirstProbeWaitsForTheDelayThenRunsEveryInterval() {
    monitor.start("t1", task(http()), now(), c -> null);
    loop.advance(Duration.ofSeconds(14));
    assertThat(prober.calls).isEmpty();
    loop.advance(Duration.ofSeconds(1));
    assertThat(prober.calls).hasSize(1);
    Probe.Http probe = (Probe.Http) prober.last().probe();
    assertThat(probe.uri().toString()).isEqualTo("http://127.0.0.1:31001/health");
    assertThat(probe.timeout()).isEqualTo(Duration.ofSeconds(5));
    loop.advance(Duration.ofSeconds(20));
    assertThat(prober.calls).as("no second probe while the first is out").hasSize(1);
    answer(ProbeResult.PASSED);
    assertThat(prober.calls).as("overdue: runs at once").hasSize(2);
    answer(ProbeResult.PASSED);
    loop.advance(Duration.ofSeconds(9));
    assertThat(prober.calls).hasSize(2);
    loop.advance(Duration.ofSeconds(1));
    assertThat(prober.calls).hasSize(3);
  }

  @Test
  void reportsTheFirstResultFlipsAndEveryFailureButNotRepeatedPasses() {
    monitor.start("t1", task(http().setGracePeriodSeconds(0).setDelaySeconds(0)), now(), c -> null);
    loop.runPending();
    answer(ProbeResult.PASSED);
    assertThat(reports).singleElement().satisfies(r -> {
      assertThat(r.healthy()).isTrue();
      assertThat(r.trigger()).isEqualTo(HealthReport.Trigger.HEALTH);
      assertThat(r.results()).singleElement().satisfies(x -> assertThat(x.getAlive()).isTrue());
      assertThat(r.ready()).as("no readiness checks").isNull();
    });
    loop.advance(Duration.ofSeconds(10));
    answer(ProbeResult.PASSED);
    assertThat(reports).hasSize(1);
    loop.advance(Duration.ofSeconds(10));
    answer(ProbeResult.failed("HTTP status 503"));
    loop.advance(Duration.ofSeconds(10));
    answer(ProbeResult.failed("HTTP status 503"));
    assertThat(reports).hasSize(3);
    HealthReport last = reports.get(2);
    assertThat(last.healthy()).isFalse();
    assertThat(last.results().get(0).getConsecutiveFailures()).isEqualTo(2);
    assertThat(last.results().get(0).getLastFailureCause()).isEqualTo("HTTP status 503");
    assertThat(last.message()).isEqualTo("health check 0 failed 2 consecutive times: HTTP status 503");
    loop.advance(Duration.ofSeconds(10));
    answer(ProbeResult.IGNORED);
    assertThat(reports).hasSize(3);
    loop.advance(Duration.ofSeconds(10));
    answer(ProbeResult.PASSED);
    assertThat(reports).hasSize(4);
    assertThat(reports.get(3).healthy()).isTrue();
  }

  @Test
  void failuresDuringTheGracePeriodBeforeAnySuccessAreNotReported() {
    monitor.start("t1", task(http().setDelaySeconds(0)), now(), c -> null);
    loop.runPending();
    answer(ProbeResult.failed("refused"));
    loop.advance(Duration.ofSeconds(10));
    answer(ProbeResult.failed("refused"));
    assertThat(reports).isEmpty();
    loop.advance(Duration.ofSeconds(20)); // 30 s: the grace period is over
    answer(ProbeResult.failed("refused"));
    assertThat(reports).singleElement().satisfies(r -> {
      assertThat(r.healthy()).isFalse();
      assertThat(r.results().get(0).getConsecutiveFailures()).isEqualTo(1);
    });
  }

  @Test
  void aRecoveredTaskCountsDelayAndGraceFromItsOriginalStart() {
    monitor.start("t1", task(http()), now().minusSeconds(3600), c -> null);
    loop.runPending();
    assertThat(prober.calls).as("the delay is long over").hasSize(1);
    answer(ProbeResult.failed("refused"));
    assertThat(reports).as("so is the grace period").hasSize(1);
  }

  @Test
  void theTaskIsHealthyOnlyWhenEveryCheckIsAlive() {
    monitor.start("t1", task(http().setDelaySeconds(0).setGracePeriodSeconds(0),
        http().setDelaySeconds(5).setGracePeriodSeconds(0).setProtocol(CheckProtocol.CHECK_TCP)), now(), c -> null);
    loop.runPending();
    answer(ProbeResult.PASSED);
    assertThat(reports).singleElement().satisfies(r -> {
      assertThat(r.healthy()).as("the second check has no result yet").isNull();
      assertThat(r.results()).extracting(x -> x.getIndex()).containsExactly(0);
    });
    loop.advance(Duration.ofSeconds(5));
    assertThat(prober.last().probe()).isInstanceOf(Probe.Tcp.class);
    answer(ProbeResult.PASSED);
    assertThat(reports.get(1).healthy()).isTrue();
    assertThat(reports.get(1).results()).hasSize(2);
  }

  @Test
  void stoppedChecksDropResultsAndRunNoMore() {
    monitor.start("t1", task(http().setDelaySeconds(0).setGracePeriodSeconds(0)), now(), c -> null);
    loop.runPending();
    monitor.stop("t1");
    answer(ProbeResult.failed("late"));
    loop.advance(Duration.ofMinutes(5));
    assertThat(reports).isEmpty();
    assertThat(prober.calls).hasSize(1);
    assertThat(monitor.size()).isZero();
  }

  @Test
  void aCommandCheckBuildsItsProcessOnlyWhenItRuns() {
    List<String> built = new ArrayList<>();
    monitor.start("t1", task(HealthCheck.newBuilder().setProtocol(CheckProtocol.CHECK_COMMAND).setCommand("true")
        .setIntervalSeconds(1).setTimeoutSeconds(1)), now(), c -> {
          built.add(c);
          return new ProcessBuilder("bash", "-c", c);
        });
    loop.runPending();
    Probe.Command probe = (Probe.Command) prober.last().probe();
    assertThat(built).isEmpty();
    assertThat(probe.process().get().command()).containsExactly("bash", "-c", "true");
    assertThat(built).containsExactly("true");
  }

  @Test
  void readinessIsCheckedUntilItPassesAndReportedOnce() {
    TaskInfo task = TaskInfo.newBuilder().setTaskId("t1").addReadinessChecks(ReadinessCheck.newBuilder()
        .setName("ready").setProtocol(CheckProtocol.CHECK_HTTPS).setPort(31002).setPath("/ready")
        .setIntervalSeconds(30).setTimeoutSeconds(10).addHttpStatusCodesForReady(200).addHttpStatusCodesForReady(204))
        .build();
    monitor.start("t1", task, now(), c -> null);
    loop.runPending();
    Probe.Http probe = (Probe.Http) prober.last().probe();
    assertThat(probe.uri().toString()).isEqualTo("https://127.0.0.1:31002/ready");
    assertThat(probe.readyStatuses()).containsExactlyInAnyOrder(200, 204);
    answer(ProbeResult.failed("HTTP status 503"));
    assertThat(reports).isEmpty();
    loop.advance(Duration.ofSeconds(30));
    answer(ProbeResult.PASSED);
    assertThat(reports).singleElement().satisfies(r -> {
      assertThat(r.ready()).isTrue();
      assertThat(r.trigger()).isEqualTo(HealthReport.Trigger.READINESS);
      assertThat(r.healthy()).isNull();
    });
    loop.advance(Duration.ofMinutes(10));
    assertThat(prober.calls).as("not checked again").hasSize(2);
  }

  @Test
  void aBadPathFailsTheCheckInsteadOfBreakingTheLoop() {
    monitor.start("t1", task(http().setPath("/with space").setDelaySeconds(0).setGracePeriodSeconds(0)), now(),
        c -> null);
    loop.runPending();
    assertThat(prober.calls).isEmpty();
    assertThat(reports).singleElement().satisfies(r ->
        assertThat(r.results().get(0).getLastFailureCause()).contains("not a usable path"));
  }

  @Test
  void zeroIntervalsAndTimeoutsAreRaisedToAFloor() {
    monitor.start("t1", task(http().setDelaySeconds(0).setIntervalSeconds(0).setTimeoutSeconds(0)), now(),
        c -> null);
    loop.runPending();
    assertThat(prober.last().probe().timeout()).isEqualTo(HealthMonitor.MIN_PERIOD);
    answer(ProbeResult.PASSED);
    assertThat(prober.calls).hasSize(1);
    loop.advance(HealthMonitor.MIN_PERIOD);
    assertThat(prober.calls).hasSize(2);
  }
}
