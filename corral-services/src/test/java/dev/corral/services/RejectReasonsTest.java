package dev.corral.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.services.placement.GpuSchedulingBehavior;
import dev.corral.services.placement.OfferStats;
import dev.corral.services.placement.RejectReason;
import dev.corral.services.placement.UnusedOffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every reason an offer can be refused for, as the queue's statistics record it. */
class RejectReasonsTest {

  private static Harness withApp(String json) {
    Harness h = Harness.running();
    h.create(json);
    return h;
  }

  private static List<RejectReason> lastReasons(Harness h, String appId) {
    List<UnusedOffer> offers = h.view().offerStats(appId).lastUnusedOffers();
    assertThat(offers).isNotEmpty();
    return offers.get(offers.size() - 1).reasons();
  }

  @Test
  void theFunnelIsMarathonsOrder() {
    assertThat(RejectReason.values()).extracting(RejectReason::wireName).containsExactly("UnfulfilledRole",
        "UnfulfilledConstraint", "NoCorrespondingReservationFound", "AgentMaintenance", "InsufficientCpus",
        "InsufficientMemory", "InsufficientDisk", "InsufficientGpus", "InsufficientPorts", "DeclinedScarceResources");
  }

  @Test
  void unfulfilledRole() {
    Harness h = withApp("{\"id\": \"/a\", \"cmd\": \"x\", \"cpus\": 1, \"mem\": 16, \"acceptedResourceRoles\": [\"prod\"]}");
    h.offers(Offers.big("o1", "host-a"));
    assertThat(lastReasons(h, "/a")).startsWith(RejectReason.UNFULFILLED_ROLE);
    assertThat(h.view().waitingReason("/a")).contains("accepted roles [prod]");
  }

  @Test
  void unfulfilledConstraint() {
    Harness h = withApp("""
        {"id": "/a", "cmd": "x", "cpus": 1, "mem": 16, "constraints": [["rack", "IS", "r1"]]}""");
    h.offers(Offers.offer("o1", "host-a").cpus(4).mem(1024).ports(31000, 31010).attribute("rack", "r2").build());
    assertThat(lastReasons(h, "/a")).containsExactly(RejectReason.UNFULFILLED_CONSTRAINT);
    assertThat(h.view().waitingReason("/a")).contains("[rack, IS, r1]").contains("host-a");
  }

  @Test
  void agentMaintenanceWhileTheWindowCoversNow() {
    Harness h = withApp("{\"id\": \"/a\", \"cmd\": \"x\", \"cpus\": 1, \"mem\": 16}");
    h.offers(Offers.offer("o1", "host-a").cpus(4).mem(1024).ports(31000, 31010)
        .unavailable(h.clock.instant().minusSeconds(60), Duration.ofHours(1)).build());
    assertThat(h.driver.launches()).isEmpty();
    assertThat(lastReasons(h, "/a")).containsExactly(RejectReason.AGENT_MAINTENANCE);
    assertThat(h.view().waitingReason("/a")).contains("host-a is in a maintenance window");

    h.offers(Offers.offer("o2", "host-b").cpus(4).mem(1024).ports(31000, 31010)
        .unavailable(h.clock.instant().minusSeconds(60), null).build());
    assertThat(h.driver.launches()).as("a window with no end").isEmpty();

    h.offers(Offers.offer("o3", "host-c").cpus(4).mem(1024).ports(31000, 31010)
        .unavailable(h.clock.instant().plusSeconds(3600), Duration.ofHours(1)).build());
    assertThat(h.driver.launches()).as("a window announced for later does not keep tasks away now").hasSize(1);
  }

  @Test
  void aWindowThatEndedNoLongerCounts() {
    Harness h = withApp("{\"id\": \"/a\", \"cmd\": \"x\", \"cpus\": 1, \"mem\": 16}");
    h.offers(Offers.offer("o1", "host-a").cpus(4).mem(1024).ports(31000, 31010)
        .unavailable(h.clock.instant().minus(Duration.ofHours(2)), Duration.ofHours(1)).build());
    assertThat(h.driver.launches()).hasSize(1);
  }

  @Test
  void insufficientCpusMemoryDiskGpusAndPorts() {
    Harness h = Harness.running();
    h.create("{\"id\": \"/cpus\", \"cmd\": \"x\", \"cpus\": 8, \"mem\": 16}");
    h.create("{\"id\": \"/mem\", \"cmd\": \"x\", \"cpus\": 0.1, \"mem\": 4096}");
    h.create("{\"id\": \"/disk\", \"cmd\": \"x\", \"cpus\": 0.1, \"mem\": 16, \"disk\": 500}");
    h.create("{\"id\": \"/gpus\", \"cmd\": \"x\", \"cpus\": 0.1, \"mem\": 16, \"gpus\": 1}");
    h.create("""
        {"id": "/ports", "cmd": "x", "cpus": 0.1, "mem": 16, "requirePorts": true,
         "portDefinitions": [{"port": 8080}]}""");
    h.offers(Offers.offer("o1", "host-a").cpus(1).mem(1024).disk(100).ports(31000, 31010).build());

    assertThat(lastReasons(h, "/cpus")).containsExactly(RejectReason.INSUFFICIENT_CPUS);
    assertThat(lastReasons(h, "/mem")).containsExactly(RejectReason.INSUFFICIENT_MEMORY);
    assertThat(lastReasons(h, "/disk")).containsExactly(RejectReason.INSUFFICIENT_DISK);
    assertThat(lastReasons(h, "/gpus")).containsExactly(RejectReason.INSUFFICIENT_GPUS);
    assertThat(lastReasons(h, "/ports")).containsExactly(RejectReason.INSUFFICIENT_PORTS);
    assertThat(h.view().waitingReason("/mem")).contains("needs mem 4096 MB, the offer from host-a has 1024 MB");
    assertThat(h.view().waitingReason("/ports")).contains("needs host ports [8080]");
  }

  @Test
  void everyFailedCheckIsListedButTheFunnelCountsTheFirst() {
    Harness h = withApp("""
        {"id": "/a", "cmd": "x", "cpus": 4, "mem": 4096, "constraints": [["hostname", "LIKE", "db-.*"]]}""");
    h.offers(Offers.offer("o1", "web-1").cpus(1).mem(1024).ports(31000, 31010).build());

    assertThat(lastReasons(h, "/a")).containsExactly(RejectReason.UNFULFILLED_CONSTRAINT,
        RejectReason.INSUFFICIENT_CPUS, RejectReason.INSUFFICIENT_MEMORY);
    OfferStats stats = h.view().offerStats("/a");
    assertThat(stats.processed()).isEqualTo(1);
    assertThat(stats.unused()).isEqualTo(1);
    assertThat(stats.declinedBy(RejectReason.UNFULFILLED_CONSTRAINT)).isEqualTo(1);
    assertThat(stats.declinedBy(RejectReason.INSUFFICIENT_CPUS)).isZero();
    assertThat(stats.processedBy(RejectReason.UNFULFILLED_ROLE)).isEqualTo(1);
    assertThat(stats.processedBy(RejectReason.INSUFFICIENT_CPUS)).as("the funnel stopped at the constraint").isZero();
  }

  @Test
  void noCorrespondingReservationFoundStaysAtZero() {
    Harness h = withApp("{\"id\": \"/a\", \"cmd\": \"x\", \"cpus\": 8, \"mem\": 16}");
    h.offers(Offers.big("o1", "host-a"), Offers.offer("o2", "host-b").cpus(1).mem(16).build());
    OfferStats stats = h.view().offerStats("/a");
    assertThat(stats.declinedBy(RejectReason.NO_CORRESPONDING_RESERVATION_FOUND)).isZero();
  }

  @Test
  void appsWithoutGpusDeclineGpuAgentsByDefault() {
    Harness h = withApp("{\"id\": \"/a\", \"cmd\": \"x\", \"cpus\": 1, \"mem\": 16}");
    h.offers(Offers.offer("o1", "gpu-1").cpus(8).mem(1024).gpus(2).ports(31000, 31010).build());

    assertThat(h.driver.launches()).isEmpty();
    assertThat(lastReasons(h, "/a")).containsExactly(RejectReason.DECLINED_SCARCE_RESOURCES);
    assertThat(h.view().waitingReason("/a")).contains("gpu-1 offers 2 GPU(s)");

    h.offers(Offers.big("o2", "cpu-1"));
    assertThat(h.driver.launchedTasks()).singleElement()
        .satisfies(t -> assertThat(t.getAgentId()).isEqualTo("agent-cpu-1"));
  }

  @Test
  void aGpuAppTakesTheGpusFirstThenOthersMayUseTheRest() {
    Harness h = Harness.running();
    h.create("{\"id\": \"/gpu\", \"cmd\": \"x\", \"cpus\": 1, \"mem\": 16, \"gpus\": 1}");
    h.create("{\"id\": \"/plain\", \"cmd\": \"x\", \"cpus\": 1, \"mem\": 16}");
    h.offers(Offers.offer("o1", "gpu-1").cpus(8).mem(1024).gpus(1).ports(31000, 31010).build());
    assertThat(h.driver.launchedTasks()).extracting(t -> t.getName()).containsExactlyInAnyOrder("/gpu", "/plain");
  }

  @Test
  void theLabelOrTheConfigLetsAppsUseGpuAgents() {
    Harness labelled = withApp("""
        {"id": "/a", "cmd": "x", "cpus": 1, "mem": 16, "labels": {"GPU_SCHEDULING_BEHAVIOR": "unrestricted"}}""");
    labelled.offers(Offers.offer("o1", "gpu-1").cpus(8).mem(1024).gpus(2).ports(31000, 31010).build());
    assertThat(labelled.driver.launches()).hasSize(1);

    Harness unrestricted = Harness.running(ServicesConfig.defaults("localhost", "localhost:8080")
        .withGpuSchedulingBehavior(GpuSchedulingBehavior.UNRESTRICTED));
    unrestricted.create("{\"id\": \"/a\", \"cmd\": \"x\", \"cpus\": 1, \"mem\": 16}");
    unrestricted.offers(Offers.offer("o1", "gpu-1").cpus(8).mem(1024).gpus(2).ports(31000, 31010).build());
    assertThat(unrestricted.driver.launches()).hasSize(1);
  }

  @Test
  void theLastUnusedOfferOfEachAgentIsKeptAndAFullPlacementEndsTheStatistics() {
    Harness h = withApp("{\"id\": \"/a\", \"cmd\": \"x\", \"cpus\": 2, \"mem\": 16, \"portDefinitions\": []}");
    h.offers(Offers.offer("o1", "host-a").cpus(1).mem(1024).build());
    h.offers(Offers.offer("o2", "host-b").cpus(1).mem(1024).build());
    h.offers(Offers.offer("o3", "host-a").cpus(1).mem(8).build());

    List<UnusedOffer> offers = h.view().offerStats("/a").lastUnusedOffers();
    assertThat(offers).extracting(o -> o.offer().getOfferId()).containsExactly("o2", "o3");
    assertThat(offers.get(1).reasons()).containsExactly(RejectReason.INSUFFICIENT_CPUS, RejectReason.INSUFFICIENT_MEMORY);
    assertThat(offers.get(1).timestamp()).isEqualTo(h.clock.instant());

    h.offers(Offers.big("o4", "host-c"));
    assertThat(h.view().waiting("/a")).isEmpty();
    assertThat(h.view().offerStats("/a")).as("the launch attempt is over").isEqualTo(OfferStats.EMPTY);
  }

  @Test
  void anOfferPartlyUsedByOneAppShowsTheNextWhatIsLeft() {
    Harness h = Harness.running();
    h.create("{\"id\": \"/a\", \"cmd\": \"x\", \"cpus\": 3, \"mem\": 16, \"portDefinitions\": []}");
    h.create("{\"id\": \"/b\", \"cmd\": \"x\", \"cpus\": 2, \"mem\": 16, \"portDefinitions\": []}");
    h.offers(Offers.offer("o1", "host-a").cpus(4).mem(1024).build());

    assertThat(h.driver.launchedTasks()).singleElement().satisfies(t -> assertThat(t.getName()).isEqualTo("/a"));
    UnusedOffer seen = h.view().offerStats("/b").lastUnusedOffers().get(0);
    assertThat(seen.offer().getResourcesList()).filteredOn(r -> r.getName().equals("cpus"))
        .singleElement().satisfies(r -> assertThat(r.getScalar()).isEqualTo(1.0));
    assertThat(seen.reasons()).containsExactly(RejectReason.INSUFFICIENT_CPUS);
  }
}
