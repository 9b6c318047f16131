package dev.corral.services.instance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.TaskState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstanceCodecTest {
  private static final Instant T = Instant.parse("2024-05-01T10:00:00Z");

  private static Instance running(TaskHealth health) {
    LaunchedTask task = new LaunchedTask("a.t1", "agent-1", "host-a", List.of(31000), Map.of("rack", "r1"), "v1",
        T, T.plusSeconds(1), TaskState.TASK_RUNNING, "health check 0 failed", health);
    return new Instance("a.instance-1", "/a", "v1", Goal.RUNNING, InstanceState.RUNNING, T, task);
  }

  @Test
  void aPodInstancesContainersSurviveTheRoundTrip() {
    TaskHealth healthy = new TaskHealth(true, null, List.of(new HealthResult(0, true, 0, T, T, null, "")));
    Instance pod = running(TaskHealth.NONE);
    Instance withContainers = pod.withTask(pod.task().withContainers(List.of(
        new ContainerTask("server", "a.t1.server", List.of(31000), TaskState.TASK_RUNNING, "", T, T, healthy,
            List.of("10.1.0.2")),
        new ContainerTask("client", "a.t1.client", List.of(), TaskState.TASK_STAGING, "", null, T, TaskHealth.NONE,
            List.of()))));
    Instance back = InstanceCodec.fromBytes(InstanceCodec.toBytes(withContainers));
    assertThat(back).isEqualTo(withContainers);
    assertThat(back.task().container("a.t1.server").health().healthy()).isTrue();
  }

  @Test
  void aContainerNetworkAddressSurvivesTheRoundTripWithoutHealthReports() {
    Instance i = running(TaskHealth.NONE);
    Instance withIp = i.withTask(i.task().withIpAddresses(List.of("172.31.0.7")));
    assertThat(InstanceCodec.fromBytes(InstanceCodec.toBytes(withIp)).task().ipAddresses())
        .containsExactly("172.31.0.7");
  }

  @Test
  void aResidentInstancesReservationSurvivesTheRoundTripAlsoWhenStopped() {
    Reservation r = new Reservation("agent-1", "host-a", Map.of("rack", "r1"), "slave_public",
        Map.of("cpus", 0.5, "mem", 64.0, "disk", 105.0),
        List.of(new Reservation.Volume("a.instance-1#data#1a2b3c4d", "data", 100)), "a.t1");
    Instance running = running(TaskHealth.NONE).withReservation(r);
    assertThat(InstanceCodec.fromBytes(InstanceCodec.toBytes(running))).isEqualTo(running);
    Instance stopped = running.parked(Goal.STOPPED);
    Instance back = InstanceCodec.fromBytes(InstanceCodec.toBytes(stopped));
    assertThat(back).isEqualTo(stopped);
    assertThat(back.task()).isNull();
    assertThat(back.reservation().taskShare()).containsEntry("disk", 5.0).containsEntry("cpus", 0.5);
  }

  @Test
  void healthSurvivesTheRoundTrip() {
    TaskHealth health = new TaskHealth(false, true, List.of(
        new HealthResult(0, false, 2, T, T.plusSeconds(5), T.plusSeconds(10), "HTTP status 500"),
        new HealthResult(1, true, 0, T, T, null, "")));
    Instance i = running(health);
    Instance back = InstanceCodec.fromBytes(InstanceCodec.toBytes(i));
    assertThat(back).isEqualTo(i);
    assertThat(back.task().healthy()).isFalse();
    assertThat(back.task().ready()).isTrue();
    assertThat(back.task().consecutiveFailures()).isEqualTo(2);
  }

  @Test
  void aTaskWithoutHealthStoresNoHealthAndReadsBackUnknown() {
    Instance i = running(TaskHealth.NONE);
    String json = new String(InstanceCodec.toBytes(i), StandardCharsets.UTF_8);
    assertThat(json).doesNotContain("\"health\"");
    Instance back = InstanceCodec.fromBytes(json.getBytes(StandardCharsets.UTF_8));
    assertThat(back.task().healthy()).isNull();
    assertThat(back.task().ready()).isNull();
  }

  @Test
  void instancesStoredBeforeHealthExistedStillDecode() {
    String old = """
        {"id":"a.instance-1","appId":"/a","configVersion":"v1","goal":"RUNNING","state":"RUNNING",
         "createdAt":"2024-05-01T10:00:00Z","task":{"id":"a.t1","agentId":"agent-1","host":"host-a","ports":[31000],
         "attributes":{},"appVersion":"v1","stagedAt":"2024-05-01T10:00:00Z","startedAt":"2024-05-01T10:00:01Z",
         "lastState":"TASK_RUNNING"}}""";
    Instance i = InstanceCodec.fromBytes(old.getBytes(StandardCharsets.UTF_8));
    assertThat(i.task().health()).isEqualTo(TaskHealth.NONE);
    assertThat(i.task().healthy()).isNull();
  }

  @Test
  void theStoredDocumentKeepsItsShapeAndTimesToTheNanosecond() {
    Instant staged = Instant.parse("2024-05-01T10:00:00.123456789Z");
    LaunchedTask task = new LaunchedTask("a.t1", "agent-1", "host-a", List.of(31000, 31001), Map.of("rack", "r1"), "v1",
        staged, null, TaskState.TASK_STAGING, "", TaskHealth.NONE);
    Instance i = new Instance("a.instance-1", "/a", "v1", Goal.RUNNING, InstanceState.UNREACHABLE,
        T.plusMillis(250), task, T.plusNanos(1_000));

    String json = new String(InstanceCodec.toBytes(i), StandardCharsets.UTF_8);
    // the layout instances were always stored in: what an older reader expects
    assertThat(json).isEqualTo("{\"id\":\"a.instance-1\",\"appId\":\"/a\",\"configVersion\":\"v1\",\"goal\":\"RUNNING\","
        + "\"state\":\"UNREACHABLE\",\"createdAt\":\"2024-05-01T10:00:00.250Z\","
        + "\"unreachableSince\":\"2024-05-01T10:00:00.000001Z\",\"task\":{\"id\":\"a.t1\",\"agentId\":\"agent-1\","
        + "\"host\":\"host-a\",\"ports\":[31000,31001],\"attributes\":{\"rack\":\"r1\"},\"appVersion\":\"v1\","
        + "\"stagedAt\":\"2024-05-01T10:00:00.123456789Z\",\"lastState\":\"TASK_STAGING\"}}");
    assertThat(InstanceCodec.fromBytes(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(i);
  }
}
