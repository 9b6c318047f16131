package dev.corral.master;

import static dev.corral.master.MasterFixture.agentId;
import static dev.corral.master.MasterFixture.agentInfo;
import static dev.corral.master.MasterFixture.frameworkId;
import static dev.corral.master.MasterFixture.offerEvents;
import static dev.corral.master.MasterFixture.offers;
import static dev.corral.master.MasterFixture.resources;
import static dev.corral.master.MasterFixture.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.AgentInfo;
import dev.corral.api.v1.AgentMessage;
import dev.corral.api.v1.Attribute;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.Offer;
import dev.corral.api.v1.RegisterAgent;
import dev.corral.api.v1.SchedulerEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The allocator through the master's entry points, on a fake clock. */
class AllocatorTest {
  private final MasterFixture m = new MasterFixture();

  @AfterEach
  void close() {
    m.close();
  }

  @Test
  void offersGoToTheFrameworkWithTheLowestDominantShare() {
    FakeLink<MasterMessage> a1 = m.agent("a1", "cpus:4;mem:4096");
    FakeLink<SchedulerEvent> alpha = m.framework("alpha", "*");
    m.allocate();
    Offer first = offers(alpha).get(0);
    // alpha takes the whole of a1: dominant share 1/1 until a2 arrives, then 1/2.
    m.launch(frameworkId(alpha), List.of(first.getOfferId()), 5, task("t1", "cpus:4;mem:4096"));
    FakeLink<SchedulerEvent> beta = m.framework("beta", "*");
    m.allocate();
    assertThat(offers(beta)).isEmpty(); // nothing free yet

    FakeLink<MasterMessage> a2 = m.agent("a2", "cpus:4;mem:4096");
    m.allocate();

    // Name order would favour alpha; DRF gives a2 to beta (share 0 < 0.5).
    assertThat(offers(beta)).extracting(Offer::getAgentId).containsExactly(agentId(a2));
    assertThat(offers(alpha)).extracting(Offer::getAgentId).containsExactly(agentId(a1));
  }

  @Test
  void offersDescribeTheAgentAsItIsNowAfterItReregistersWithNewAttributesAndResources() {
    FakeLink<SchedulerEvent> fw = m.framework("fw", "*");
    FakeLink<MasterMessage> first = m.connect(withRack(agentInfo("a1", "cpus:2;mem:2048"), "r1"), List.of());
    m.allocate();
    m.decline(frameworkId(fw), offers(fw).get(0).getOfferId(), 0);
    m.allocate();
    assertThat(offers(fw)).as("the same agent offered again").hasSize(2);
    assertThat(offers(fw).get(1).getOfferId()).isNotEqualTo(offers(fw).get(0).getOfferId());
    assertThat(offers(fw).get(1).getAttributesList()).extracting(Attribute::getText).containsExactly("r1");

    m.connect(withRack(agentInfo("a1", "cpus:4;mem:2048"), "r2").toBuilder().setAgentId(agentId(first)).build(),
        List.of());
    m.allocate();

    Offer now = offers(fw).get(offers(fw).size() - 1);
    assertThat(now.getAgentId()).isEqualTo(agentId(first));
    assertThat(now.getFrameworkId()).isEqualTo(frameworkId(fw));
    assertThat(now.getAttributesList()).extracting(Attribute::getText).containsExactly("r2");
    assertThat(resources(now).scalar("cpus")).isEqualTo(4.0);
  }

  private static AgentInfo withRack(AgentInfo info, String rack) {
    return info.toBuilder().addAttributes(Attribute.newBuilder().setName("rack").setText(rack)).build();
  }

  @Test
  void equalSharesAreBrokenByNameAndEachAgentGoesToTheLowestShareThen() {
    FakeLink<SchedulerEvent> beta = m.framework("beta", "*");
    FakeLink<SchedulerEvent> alpha = m.framework("alpha", "*");
    m.agent("a1", "cpus:2;mem:2048");
    m.agent("a2", "cpus:2;mem:2048");
    m.allocate();
    // a1: both at 0, alpha wins by name; a2: alpha now holds half, beta 0 → beta.
    assertThat(offers(alpha)).extracting(Offer::getHostname).containsExactly("a1");
    assertThat(offers(beta)).extracting(Offer::getHostname).containsExactly("a2");
  }

  @Test
  void declineFiltersTheAgentForRefuseSecondsAndReviveClearsTheFilter() {
    FakeLink<MasterMessage> a1 = m.agent("a1", "cpus:4;mem:4096");
    FakeLink<SchedulerEvent> fw = m.framework("fw", "*");
    String id = frameworkId(fw);
    m.allocate();
    assertThat(offers(fw)).hasSize(1);

    m.decline(id, offers(fw).get(0).getOfferId(), 10);
    m.advance(Duration.ofSeconds(9));
    assertThat(offers(fw)).as("filtered for 10 s").hasSize(1);
    m.advance(Duration.ofSeconds(1));
    m.allocate();
    assertThat(offers(fw)).as("offered again once the filter expired").hasSize(2);
    assertThat(offers(fw).get(1).getAgentId()).isEqualTo(agentId(a1));

    m.decline(id, offers(fw).get(1).getOfferId(), 60);
    m.advance(Duration.ofSeconds(5));
    assertThat(offers(fw)).hasSize(2);
    m.master.offerCalls().revive(id);
    m.allocate();
    assertThat(offers(fw)).as("revive clears the filter").hasSize(3);
  }

  @Test
  void leftoversOfAnAcceptAreFilteredButFreedResourcesAreOfferedAgain() {
    FakeLink<MasterMessage> a1 = m.agent("a1", "cpus:4;mem:4096");
    FakeLink<SchedulerEvent> fw = m.framework("fw", "*");
    String id = frameworkId(fw);
    m.allocate();
    m.launch(id, List.of(offers(fw).get(0).getOfferId()), 30, task("t1", "cpus:1;mem:1024"));
    m.allocate();
    assertThat(offers(fw)).as("leftover cpus:3;mem:3072 refused for 30 s").hasSize(1);

    // t1 ends: more than the refused leftovers is free now, so the filter no longer hides the agent.
    m.status(a1, id, "t1", dev.corral.api.v1.TaskState.TASK_FINISHED, "u1");
    m.allocate();
    assertThat(offers(fw)).hasSize(2);
    assertThat(resources(offers(fw).get(1))).isEqualTo(TestResources.parse("cpus:4;mem:4096"));
  }

  @Test
  void suppressStopsOffersUntilRevive() {
    m.agent("a1", "cpus:4;mem:4096");
    FakeLink<SchedulerEvent> fw = m.framework("fw", "*");
    String id = frameworkId(fw);
    m.allocate();
    m.master.offerCalls().suppress(id);
    m.decline(id, offers(fw).get(0).getOfferId(), 0);
    m.agent("a2", "cpus:4;mem:4096");
    m.advance(Duration.ofSeconds(30));
    assertThat(offers(fw)).hasSize(1);
    assertThat(m.snapshot().framework(id).orElseThrow().suppressed()).isTrue();

    m.master.offerCalls().revive(id);
    m.allocate();
    assertThat(offers(fw)).extracting(Offer::getHostname).containsExactly("a1", "a1", "a2");
  }

  @Test
  void reservedResourcesGoOnlyToTheirRole() {
    FakeLink<SchedulerEvent> batch = m.framework("batch", "*");
    m.agent("a1", "cpus:2;mem:1024;cpus(web):4;mem(web):2048");
    m.allocate();
    assertThat(offers(batch)).hasSize(1);
    assertThat(resources(offers(batch).get(0))).as("no web reservations for role *")
        .isEqualTo(TestResources.parse("cpus:2;mem:1024"));

    FakeLink<SchedulerEvent> web = m.framework("web", "web");
    m.allocate();
    assertThat(offers(web)).hasSize(1);
    assertThat(resources(offers(web).get(0))).as("the reserved rest reaches its role")
        .isEqualTo(TestResources.parse("cpus(web):4;mem(web):2048"));
  }

  @Test
  void aFrameworkOfTheRoleGetsUnreservedAndReservedResourcesInOneOffer() {
    FakeLink<SchedulerEvent> web = m.framework("web", "web");
    m.agent("a1", "cpus:2;mem:1024;cpus(web):4");
    m.allocate();
    assertThat(offers(web)).hasSize(1);
    assertThat(resources(offers(web).get(0))).isEqualTo(TestResources.parse("cpus:2;mem:1024;cpus(web):4"));
  }

  @Test
  void aBurstOfRegistrationsIsAllocatedInOnePass() {
    FakeLink<SchedulerEvent> fw = m.framework("fw", "*");
    m.allocate();
    long before = m.master.allocator().passes();
    List<FakeLink<MasterMessage>> links = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      FakeLink<MasterMessage> link = new FakeLink<>();
      links.add(link);
      m.master.agentProtocol().received(link, AgentMessage.newBuilder().setRegister(RegisterAgent.newBuilder()
          .setInfo(MasterFixture.agentInfo("host-" + i, "cpus:8;mem:16384"))).build());
    }
    m.loop.runPending();
    assertThat(links).allSatisfy(l -> assertThat(l.sent).anyMatch(MasterMessage::hasRegistered));
    assertThat(m.loop.isScheduled(Allocator.TAG)).isTrue();

    m.allocate();

    assertThat(m.master.allocator().passes() - before).isEqualTo(1);
    assertThat(offerEvents(fw)).isEqualTo(1);
    assertThat(offers(fw)).hasSize(100);
  }

  @Test
  void gpuAgentsAreOfferedOnlyToGpuAwareFrameworks() {
    FakeLink<SchedulerEvent> plain = m.framework("a-plain", "*");
    FakeLink<SchedulerEvent> gpu = m.framework("z-gpu", "*", Framework.GPU_RESOURCES);
    FakeLink<MasterMessage> withGpu = m.agent("gpu-host", "cpus:8;mem:8192;gpus:2");
    FakeLink<MasterMessage> without = m.agent("cpu-host", "cpus:8;mem:8192");
    m.allocate();

    assertThat(offers(plain)).extracting(Offer::getAgentId).containsExactly(agentId(without));
    assertThat(offers(gpu)).extracting(Offer::getAgentId).containsExactly(agentId(withGpu));

    // Even alone, a framework without the capability never sees the GPU agent.
    m.decline(frameworkId(plain), offers(plain).get(0).getOfferId(), 0);
    m.decline(frameworkId(gpu), offers(gpu).get(0).getOfferId(), 600);
    m.advance(Duration.ofSeconds(1));
    assertThat(offers(plain).stream().map(Offer::getAgentId).collect(Collectors.toSet()))
        .doesNotContain(agentId(withGpu));
  }

  @Test
  void disconnectedAndSuppressedFrameworksAndDisconnectedAgentsGetNothing() {
    FakeLink<SchedulerEvent> gone = m.framework("gone", "*");
    m.master.subscriptions().streamEnded(gone);
    m.loop.runPending();
    FakeLink<MasterMessage> a1 = m.agent("a1", "cpus:1;mem:128");
    m.master.agentProtocol().streamEnded(a1);
    m.loop.runPending();
    FakeLink<SchedulerEvent> fw = m.framework("fw", "*");
    m.allocate();
    assertThat(offers(gone)).isEmpty();
    assertThat(offers(fw)).isEmpty();
  }

  @Test
  void offersLeaveTheBookInAnyOrderAndTheRestComeBackWhenTheFrameworkGoes() {
    FakeLink<SchedulerEvent> fw = m.framework("fw", "*");
    String id = frameworkId(fw);
    List<FakeLink<MasterMessage>> agents = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      agents.add(m.agent("a" + i, "cpus:1;mem:128"));
    }
    m.allocate();
    List<String> ids = offers(fw).stream().map(Offer::getOfferId).toList();
    assertThat(ids).hasSize(5);
    m.decline(id, ids.get(1), 600);
    m.decline(id, ids.get(4), 600);
    String launchedOn = offers(fw).get(0).getAgentId();
    m.launch(id, List.of(ids.get(0)), 600, task("t1", "cpus:1;mem:128"));
    assertThat(m.snapshot().offers()).extracting(MasterSnapshot.OfferView::id)
        .containsExactlyInAnyOrder(ids.get(2), ids.get(3));

    m.master.subscriptions().streamEnded(fw);
    m.loop.runPending();
    assertThat(m.snapshot().offers()).isEmpty();
    FakeLink<SchedulerEvent> other = m.framework("other", "*");
    m.allocate();
    assertThat(offers(other)).extracting(Offer::getAgentId).hasSize(4).doesNotContain(launchedOn)
        .containsExactlyInAnyOrderElementsOf(agents.stream().map(MasterFixture::agentId)
            .filter(a -> !a.equals(launchedOn)).toList());
  }
}
