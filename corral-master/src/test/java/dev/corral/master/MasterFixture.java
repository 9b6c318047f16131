package dev.corral.master;

import dev.corral.api.ResourceSet;
import dev.corral.api.v1.AcceptCall;
import dev.corral.api.v1.AgentInfo;
import dev.corral.api.v1.AgentMessage;
import dev.corral.api.v1.AgentTask;
import dev.corral.api.v1.CommandInfo;
import dev.corral.api.v1.DeclineCall;
import dev.corral.api.v1.Filters;
import dev.corral.api.v1.FrameworkInfo;
import dev.corral.api.v1.Launch;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.Offer;
import dev.corral.api.v1.Operation;
import dev.corral.api.v1.RegisterAgent;
import dev.corral.api.v1.SchedulerEvent;
import dev.corral.api.v1.StatusUpdate;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import dev.corral.common.ManualEventLoop;
import dev.corral.state.MemoryStore;
import dev.corral.state.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A master on a {@link ManualEventLoop} (fake clock) with fake links instead of gRPC streams: the unit-test
 * harness. Every helper runs the loop until it is idle; allocation passes run only on {@link #allocate()}
 * or when the clock is advanced.
 */
final class MasterFixture implements AutoCloseable {
  /** Fake agents do not heartbeat, so by default they are given an hour; liveness tests set their own. */
  static final MasterConfig CONFIG = MasterConfig.defaults().withMasterId("test-master")
      .withAgentHeartbeatTimeout(Duration.ofHours(1));

  final ManualEventLoop loop = new ManualEventLoop();
  final Store store;
  final MasterConfig config;
  final Master master;

  MasterFixture() {
    this(CONFIG, new MemoryStore());
  }

  MasterFixture(MasterConfig config, Store store) {
    this.config = config;
    this.store = store;
    this.master = new Master(config, store, loop);
    master.start();
    loop.runPending();
  }

  // ---- agents ----

  static AgentInfo agentInfo(String hostname, String resources) {
    return AgentInfo.newBuilder().setHostname(hostname).addAllResources(TestResources.proto(resources)).build();
  }

  FakeLink<MasterMessage> connect(AgentInfo info, List<AgentTask> tasks) {
    FakeLink<MasterMessage> link = new FakeLink<>();
    send(link, AgentMessage.newBuilder()
        .setRegister(RegisterAgent.newBuilder().setInfo(info).addAllTasks(tasks)).build());
    return link;
  }

  /** Registers a new agent and returns its link; its id is {@link #agentId}. */
  FakeLink<MasterMessage> agent(String hostname, String resources) {
    return connect(agentInfo(hostname, resources), List.of());
  }

  void send(FakeLink<MasterMessage> link, AgentMessage message) {
    master.agentProtocol().received(link, message);
    loop.runPending();
  }

  static String agentId(FakeLink<MasterMessage> link) {
    return link.sent.stream().filter(MasterMessage::hasRegistered).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("agent not registered: " + link.sent))
        .getRegistered().getAgentId();
  }

  void status(FakeLink<MasterMessage> agent, String frameworkId, String taskId, TaskState state, String uuid) {
    send(agent, AgentMessage.newBuilder().setStatusUpdate(StatusUpdate.newBuilder().setStatus(TaskStatus.newBuilder()
        .setTaskId(taskId).setFrameworkId(frameworkId).setState(state).setUuid(uuid))).build());
  }

  // ---- frameworks ----

  FakeLink<SchedulerEvent> subscribe(FrameworkInfo info) {
    FakeLink<SchedulerEvent> link = new FakeLink<>();
    master.subscriptions().subscribe(link, info);
    loop.runPending();
    return link;
  }

  FakeLink<SchedulerEvent> framework(String name, String role, String... capabilities) {
    return subscribe(FrameworkInfo.newBuilder().setName(name).setRole(role).addAllCapabilities(List.of(capabilities))
        .build());
  }

  static String frameworkId(FakeLink<SchedulerEvent> link) {
    return link.sent.stream().filter(SchedulerEvent::hasSubscribed).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("not subscribed: " + link.sent))
        .getSubscribed().getFrameworkId();
  }

  /** Runs the pending allocation pass (the coalescing window elapses). */
  void allocate() {
    loop.advance(config.allocationDelay());
  }

  void advance(Duration d) {
    loop.advance(d);
  }

  static List<Offer> offers(FakeLink<SchedulerEvent> framework) {
    List<Offer> out = new ArrayList<>();
    for (SchedulerEvent e : framework.sent) {
      if (e.hasOffers()) {
        out.addAll(e.getOffers().getOffersList());
      }
    }
    return out;
  }

  static long offerEvents(FakeLink<SchedulerEvent> framework) {
    return framework.sent.stream().filter(SchedulerEvent::hasOffers).count();
  }

  static List<TaskStatus> updates(FakeLink<SchedulerEvent> framework) {
    List<TaskStatus> out = new ArrayList<>();
    for (SchedulerEvent e : framework.sent) {
      if (e.hasUpdate()) {
        out.add(e.getUpdate().getStatus());
      }
    }
    return out;
  }

  static TaskInfo task(String id, String resources) {
    return TaskInfo.newBuilder().setTaskId(id).setName(id)
        .setCommand(CommandInfo.newBuilder().setShell(true).setValue("sleep 1000"))
        .addAllResources(TestResources.proto(resources)).build();
  }

  void launch(String frameworkId, List<String> offerIds, double refuseSeconds, TaskInfo... tasks) {
    master.offerCalls().accept(AcceptCall.newBuilder().setFrameworkId(frameworkId).addAllOfferIds(offerIds)
        .addOperations(Operation.newBuilder().setLaunch(Launch.newBuilder().addAllTasks(List.of(tasks))))
        .setFilters(Filters.newBuilder().setRefuseSeconds(refuseSeconds)).build());
    loop.runPending();
  }

  void launchGroup(String frameworkId, List<String> offerIds, String groupId, TaskInfo... tasks) {
    dev.corral.api.v1.TaskGroupInfo.Builder group = dev.corral.api.v1.TaskGroupInfo.newBuilder().setGroupId(groupId);
    for (TaskInfo t : tasks) {
      group.addTasks(t.toBuilder().setGroupId(groupId));
    }
    master.offerCalls().accept(AcceptCall.newBuilder().setFrameworkId(frameworkId).addAllOfferIds(offerIds)
        .addOperations(Operation.newBuilder().setLaunchGroup(
            dev.corral.api.v1.LaunchGroup.newBuilder().setTaskGroup(group)))
        .setFilters(Filters.newBuilder().setRefuseSeconds(0)).build());
    loop.runPending();
  }

  void decline(String frameworkId, String offerId, double refuseSeconds) {
    master.offerCalls().decline(DeclineCall.newBuilder().setFrameworkId(frameworkId).addOfferIds(offerId)
        .setFilters(Filters.newBuilder().setRefuseSeconds(refuseSeconds)).build());
    loop.runPending();
  }

  MasterSnapshot snapshot() {
    var future = master.snapshot();
    loop.runPending();
    return future.join();
  }

  static ResourceSet resources(Offer offer) {
    return ResourceSet.fromProto(offer.getResourcesList());
  }

  @Override
  public void close() {
    master.close();
    loop.runPending();
  }
}
