package dev.corral.master;

import static dev.corral.master.MasterFixture.agentId;
import static dev.corral.master.MasterFixture.frameworkId;
import static dev.corral.master.MasterFixture.offers;
import static dev.corral.master.MasterFixture.task;
import static dev.corral.master.MasterFixture.updates;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.corral.api.v1.AcknowledgeCall;
import dev.corral.api.v1.Acknowledgement;
import dev.corral.api.v1.KillCall;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.ReconcileCall;
import dev.corral.api.v1.SchedulerEvent;
import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskKill;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Accept, status updates, acknowledgements and kills, on fake links. */
class LaunchTest {
  private final MasterFixture m = new MasterFixture();
  private FakeLink<SchedulerEvent> fw;
  private String fid;
  private FakeLink<MasterMessage> agent;
  private String offerId;

  @BeforeEach
  void offer() {
    fw = m.framework("fw", "*");
    fid = frameworkId(fw);
    agent = m.agent("a1", "cpus:4;mem:1024;ports:[31000-31009]");
    m.allocate();
    offerId = offers(fw).get(0).getOfferId();
  }

  @AfterEach
  void close() {
    m.close();
  }

  private List<TaskInfo> runTasks() {
    return agent.sent.stream().filter(MasterMessage::hasRunTask).map(msg -> msg.getRunTask().getTask()).toList();
  }

  @Test
  void validTasksAreRecordedAndSentToTheAgentAndLeftoversReturn() {
    m.launch(fid, List.of(offerId), 0, task("t1", "cpus:1;mem:256;ports:[31000-31000]"), task("t2", "cpus:1;mem:256"));
    assertThat(runTasks()).extracting(TaskInfo::getTaskId).containsExactly("t1", "t2");
    assertThat(runTasks()).allSatisfy(t -> {
      assertThat(t.getAgentId()).isEqualTo(agentId(agent));
      assertThat(t.getFrameworkId()).isEqualTo(fid);
    });
    MasterSnapshot snap = m.snapshot();
    assertThat(snap.tasks()).extracting(MasterSnapshot.TaskView::state).containsOnly(TaskState.TASK_STAGING);
    assertThat(snap.agent(agentId(agent)).orElseThrow().used())
        .isEqualTo(TestResources.parse("cpus:2;mem:512;ports:[31000-31000]"));
    m.allocate();
    assertThat(offers(fw)).hasSize(2);
    assertThat(MasterFixture.resources(offers(fw).get(1)))
        .isEqualTo(TestResources.parse("cpus:2;mem:512;ports:[31001-31009]"));
  }

  @Test
  void aTaskGroupGoesToTheAgentInOneMessage() {
    m.launchGroup(fid, List.of(offerId), "pod.1", task("pod.1.a", "cpus:1;mem:256;ports:[31000-31000]"),
        task("pod.1.b", "cpus:1;mem:256"));
    List<MasterMessage> groups = agent.sent.stream().filter(MasterMessage::hasRunTaskGroup).toList();
    assertThat(groups).singleElement().satisfies(msg -> {
      assertThat(msg.getRunTaskGroup().getGroup().getGroupId()).isEqualTo("pod.1");
      assertThat(msg.getRunTaskGroup().getGroup().getTasksList()).extracting(TaskInfo::getTaskId)
          .containsExactly("pod.1.a", "pod.1.b");
      assertThat(msg.getRunTaskGroup().getGroup().getTasksList())
          .allSatisfy(t -> assertThat(t.getAgentId()).isEqualTo(agentId(agent)));
    });
    assertThat(runTasks()).isEmpty();
    assertThat(m.snapshot().agent(agentId(agent)).orElseThrow().used())
        .isEqualTo(TestResources.parse("cpus:2;mem:512;ports:[31000-31000]"));
  }

  @Test
  void aTaskGroupThatDoesNotFitAsAWholeLaunchesNothing() {
    m.launchGroup(fid, List.of(offerId), "pod.2", task("pod.2.a", "cpus:1;mem:768"), task("pod.2.b", "cpus:1;mem:512"));
    assertThat(agent.sent.stream().filter(MasterMessage::hasRunTaskGroup)).isEmpty();
    assertThat(updates(fw)).extracting(TaskStatus::getTaskId).containsExactly("pod.2.a", "pod.2.b");
    assertThat(updates(fw)).allSatisfy(u -> assertThat(u.getState()).isEqualTo(TaskState.TASK_ERROR));
    assertThat(updates(fw).get(1).getMessage()).isEqualTo("task pod.2.b needs mem:512 but the offer has mem:256 left");
    assertThat(updates(fw).get(0).getMessage()).startsWith("another task of group pod.2 cannot launch");
    assertThat(m.snapshot().tasks()).isEmpty();
  }

  @Test
  void aTaskThatDoesNotFitGetsTaskErrorNamingTheShortfall() {
    m.launch(fid, List.of(offerId), 0, task("big", "cpus:1;mem:768"), task("too-big", "cpus:1;mem:512"));
    assertThat(runTasks()).extracting(TaskInfo::getTaskId).containsExactly("big");
    assertThat(updates(fw)).singleElement().satisfies(u -> {
      assertThat(u.getTaskId()).isEqualTo("too-big");
      assertThat(u.getState()).isEqualTo(TaskState.TASK_ERROR);
      assertThat(u.getReason()).isEqualTo(StatusReason.REASON_TASK_INVALID);
      assertThat(u.getMessage()).isEqualTo("task too-big needs mem:512 but the offer has mem:256 left");
    });
  }

  @Test
  void invalidTasksAreRefusedOneByOne() {
    TaskInfo noCommand = task("no-command", "cpus:1").toBuilder().clearCommand().build();
    m.launch(fid, List.of(offerId), 0, task("t1", "cpus:1"), task("t1", "cpus:1"), noCommand,
        task("nothing", ""), task("", "cpus:1"), task("port", "ports:[40000-40000]"));
    assertThat(runTasks()).extracting(TaskInfo::getTaskId).containsExactly("t1");
    assertThat(updates(fw)).extracting(TaskStatus::getMessage).containsExactly(
        "task t1 appears twice in this call",
        "task no-command has no command",
        "task nothing asks for no resources",
        "task has no task_id",
        "task port needs ports:[40000-40000] but the offer has ports:[31000-31009] left");
    assertThat(updates(fw)).extracting(TaskStatus::getState).containsOnly(TaskState.TASK_ERROR);

    // A live task id cannot be reused.
    m.allocate();
    m.launch(fid, List.of(offers(fw).get(1).getOfferId()), 0, task("t1", "cpus:1"));
    assertThat(updates(fw).get(5).getMessage()).isEqualTo("task id t1 is already used by a live task (TASK_STAGING)");
  }

  @Test
  void unusableOffersDropEveryTask() {
    m.launch(fid, List.of("no-such-offer"), 0, task("t1", "cpus:1"), task("t2", "cpus:1"));
    assertThat(updates(fw)).hasSize(2).allSatisfy(u -> {
      assertThat(u.getState()).isEqualTo(TaskState.TASK_DROPPED);
      assertThat(u.getReason()).isEqualTo(StatusReason.REASON_INVALID_OFFERS);
      assertThat(u.getMessage()).contains("offer no-such-offer is no longer valid");
    });
    assertThat(runTasks()).isEmpty();

    FakeLink<SchedulerEvent> other = m.framework("other", "*");
    m.launch(frameworkId(other), List.of(offerId), 0, task("t3", "cpus:1"));
    assertThat(updates(other)).singleElement().satisfies(u ->
        assertThat(u.getMessage()).isEqualTo("offer " + offerId + " was made to another framework"));
  }

  @Test
  void aTerminalUpdateFreesResourcesAtOnceAndTheAckRemovesTheRow() {
    m.launch(fid, List.of(offerId), 0, task("t1", "cpus:1;mem:256"));
    m.status(agent, fid, "t1", TaskState.TASK_RUNNING, "u1");
    m.status(agent, fid, "t1", TaskState.TASK_FINISHED, "u2");
    assertThat(updates(fw)).extracting(TaskStatus::getState, TaskStatus::getUuid).containsExactly(
        org.assertj.core.groups.Tuple.tuple(TaskState.TASK_RUNNING, "u1"),
        org.assertj.core.groups.Tuple.tuple(TaskState.TASK_FINISHED, "u2"));
    MasterSnapshot snap = m.snapshot();
    assertThat(snap.agent(agentId(agent)).orElseThrow().used()).isEqualTo(dev.corral.api.ResourceSet.EMPTY);
    assertThat(snap.task("t1").orElseThrow().state()).isEqualTo(TaskState.TASK_FINISHED);

    // An ack of an older update is forwarded but keeps the row; the ack of the terminal one removes it.
    ack("t1", "u1");
    assertThat(m.snapshot().task("t1")).isPresent();
    ack("t1", "u2");
    assertThat(m.snapshot().task("t1")).isEmpty();
    assertThat(agent.sent).filteredOn(MasterMessage::hasAcknowledgement)
        .extracting(msg -> msg.getAcknowledgement().getUuid()).containsExactly("u1", "u2");
  }

  @Test
  void oneCallAcknowledgesManyUpdatesAndAMalformedOneRefusesTheWholeCall() {
    m.launch(fid, List.of(offerId), 0, task("t1", "cpus:1"), task("t2", "cpus:1"));
    m.status(agent, fid, "t1", TaskState.TASK_RUNNING, "u1");
    m.status(agent, fid, "t2", TaskState.TASK_FINISHED, "u2");

    AcknowledgeCall malformed = AcknowledgeCall.newBuilder().setFrameworkId(fid)
        .addAcknowledgements(acknowledgement("t1", "u1"))
        .addAcknowledgements(Acknowledgement.newBuilder().setTaskId("t2")).build();
    assertThatThrownBy(() -> m.master.taskCalls().acknowledge(malformed))
        .isInstanceOf(io.grpc.StatusRuntimeException.class).hasMessageContaining("acknowledgements[1].uuid is empty");
    assertThatThrownBy(() -> m.master.taskCalls().acknowledge(AcknowledgeCall.newBuilder().setFrameworkId(fid).build()))
        .hasMessageContaining("acknowledges nothing");
    m.loop.runPending();
    assertThat(agent.sent).noneMatch(MasterMessage::hasAcknowledgement);

    m.master.taskCalls().acknowledge(AcknowledgeCall.newBuilder().setFrameworkId(fid)
        .addAcknowledgements(acknowledgement("t1", "u1")).addAcknowledgements(acknowledgement("t2", "u2")).build());
    m.loop.runPending();
    assertThat(agent.sent).filteredOn(MasterMessage::hasAcknowledgement)
        .extracting(msg -> msg.getAcknowledgement().getTaskId() + "/" + msg.getAcknowledgement().getUuid())
        .containsExactly("t1/u1", "t2/u2");
    assertThat(m.snapshot().task("t1")).as("running: kept").isPresent();
    assertThat(m.snapshot().task("t2")).as("its terminal update acknowledged: removed").isEmpty();
  }

  private Acknowledgement.Builder acknowledgement(String taskId, String uuid) {
    return Acknowledgement.newBuilder().setAgentId(agentId(agent)).setTaskId(taskId).setUuid(uuid);
  }

  @Test
  void killsGoToTheAgentOrAreAnsweredByTheMaster() {
    m.launch(fid, List.of(offerId), 0, task("t1", "cpus:1;mem:256"));
    m.master.taskCalls().kill(KillCall.newBuilder().setFrameworkId(fid).setTaskId("t1").setGracePeriodSeconds(3).build());
    assertThat(agent.sent).filteredOn(MasterMessage::hasKillTask).singleElement().satisfies(msg -> {
      assertThat(msg.getKillTask().getTaskId()).isEqualTo("t1");
      assertThat(msg.getKillTask().getGracePeriodSeconds()).isEqualTo(3.0);
    });

    m.master.taskCalls().kill(KillCall.newBuilder().setFrameworkId(fid).setTaskId("ghost").build());
    assertThat(updates(fw)).singleElement().satisfies(u -> {
      assertThat(u.getTaskId()).isEqualTo("ghost");
      assertThat(u.getState()).isEqualTo(TaskState.TASK_UNKNOWN);
    });

    m.master.agentProtocol().streamEnded(agent);
    m.loop.runPending();
    fw.clear();
    m.master.taskCalls().kill(KillCall.newBuilder().setFrameworkId(fid).setTaskId("t1").build());
    assertThat(updates(fw)).singleElement().satisfies(u -> assertThat(u.getState()).isEqualTo(TaskState.TASK_UNREACHABLE));
  }

  @Test
  void oneCallKillsManyTasksAndAKillWithoutTaskRefusesTheWholeCall() {
    m.launch(fid, List.of(offerId), 0, task("t1", "cpus:1"), task("t2", "cpus:1"));
    KillCall malformed = KillCall.newBuilder().setFrameworkId(fid)
        .addKills(TaskKill.newBuilder().setTaskId("t1")).addKills(TaskKill.newBuilder().setAgentId(agentId(agent)))
        .build();
    assertThatThrownBy(() -> m.master.taskCalls().kill(malformed))
        .isInstanceOf(io.grpc.StatusRuntimeException.class).hasMessageContaining("kills[1].task_id is empty");
    assertThatThrownBy(() -> m.master.taskCalls().kill(KillCall.newBuilder().setFrameworkId(fid).build()))
        .hasMessageContaining("kills nothing");
    assertThat(agent.sent).noneMatch(MasterMessage::hasKillTask);

    fw.clear();
    m.master.taskCalls().kill(KillCall.newBuilder().setFrameworkId(fid)
        .addKills(TaskKill.newBuilder().setTaskId("t1").setAgentId(agentId(agent)).setGracePeriodSeconds(5))
        .addKills(TaskKill.newBuilder().setTaskId("t2"))
        .addKills(TaskKill.newBuilder().setTaskId("ghost")).build());
    assertThat(agent.sent).filteredOn(MasterMessage::hasKillTask)
        .extracting(msg -> msg.getKillTask().getTaskId() + "/" + msg.getKillTask().getGracePeriodSeconds())
        .containsExactly("t1/5.0", "t2/0.0");
    assertThat(updates(fw)).singleElement().satisfies(u -> {
      assertThat(u.getTaskId()).isEqualTo("ghost");
      assertThat(u.getState()).isEqualTo(TaskState.TASK_UNKNOWN);
    });
  }

  @Test
  void implicitReconciliationAnswersEveryTaskOfTheFramework() {
    m.launch(fid, List.of(offerId), 0, task("t1", "cpus:1"), task("t2", "cpus:1"));
    m.status(agent, fid, "t1", TaskState.TASK_RUNNING, "u1");
    fw.clear();
    m.master.taskCalls().reconcile(ReconcileCall.newBuilder().setFrameworkId(fid).build());
    assertThat(updates(fw)).extracting(TaskStatus::getTaskId, TaskStatus::getState).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple("t1", TaskState.TASK_RUNNING),
        org.assertj.core.groups.Tuple.tuple("t2", TaskState.TASK_STAGING));
    assertThat(updates(fw)).allSatisfy(u -> {
      assertThat(u.getUuid()).isEmpty();
      assertThat(u.getReason()).isEqualTo(StatusReason.REASON_RECONCILIATION);
    });
  }

  private void ack(String taskId, String uuid) {
    m.master.taskCalls().acknowledge(AcknowledgeCall.newBuilder().setFrameworkId(fid).setAgentId(agentId(agent))
        .setTaskId(taskId).setUuid(uuid).build());
    m.loop.runPending();
  }
}
