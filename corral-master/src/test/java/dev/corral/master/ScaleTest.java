package dev.corral.master;

import static dev.corral.master.MasterFixture.frameworkId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.AgentMessage;
import dev.corral.api.v1.AgentTask;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.RegisterAgent;
import dev.corral.api.v1.SchedulerEvent;
import dev.corral.api.v1.StatusUpdate;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The design target of §7 at unit-test speed: 10,000 agents and 100,000 tasks on one loop. Bounds are
 * generous (shared CI machines); the point is to catch quadratic work on hot paths, and to print the numbers.
 */
class ScaleTest {
  private static final int AGENTS = 10_000;
  private static final int TASKS_PER_AGENT = 10;
  private static final int FRAMEWORKS = 5;

  @Test
  void tenThousandAgentsAndAHundredThousandTasks() {
    try (MasterFixture m = new MasterFixture()) {
      List<FakeLink<SchedulerEvent>> frameworks = new ArrayList<>();
      List<String> frameworkIds = new ArrayList<>();
      for (int f = 0; f < FRAMEWORKS; f++) {
        FakeLink<SchedulerEvent> link = m.framework("fw-" + f, "*");
        frameworks.add(link);
        frameworkIds.add(frameworkId(link));
      }
      m.allocate();

      long t0 = System.nanoTime();
      List<FakeLink<MasterMessage>> agents = new ArrayList<>(AGENTS);
      for (int a = 0; a < AGENTS; a++) {
        FakeLink<MasterMessage> link = new FakeLink<>();
        agents.add(link);
        RegisterAgent.Builder register = RegisterAgent.newBuilder()
            .setInfo(MasterFixture.agentInfo("host-" + a, "cpus:32;mem:65536").toBuilder().setAgentId("agent-" + a));
        for (int t = 0; t < TASKS_PER_AGENT; t++) {
          String fid = frameworkIds.get((a + t) % FRAMEWORKS);
          String taskId = "task-" + a + "-" + t;
          register.addTasks(AgentTask.newBuilder()
              .setTask(MasterFixture.task(taskId, "cpus:1;mem:1024").toBuilder().setFrameworkId(fid))
              .setLatestStatus(TaskStatus.newBuilder().setTaskId(taskId).setFrameworkId(fid)
                  .setState(TaskState.TASK_RUNNING)));
        }
        m.master.agentProtocol().received(link, AgentMessage.newBuilder().setRegister(register).build());
      }
      m.loop.runPending();
      long registered = System.nanoTime();
      long passes = m.master.allocator().passes();
      m.allocate();
      long allocated = System.nanoTime();

      assertThat(m.master.allocator().passes() - passes).isEqualTo(1);
      int offers = frameworks.stream().mapToInt(f -> MasterFixture.offers(f).size()).sum();
      assertThat(offers).isEqualTo(AGENTS);

      // A burst of 10,000 terminal updates (one per agent): every agent becomes dirty, one pass.
      for (int a = 0; a < AGENTS; a++) {
        m.master.agentProtocol().received(agents.get(a), AgentMessage.newBuilder().setStatusUpdate(
            StatusUpdate.newBuilder().setStatus(TaskStatus.newBuilder().setTaskId("task-" + a + "-0")
                .setFrameworkId(frameworkIds.get(a % FRAMEWORKS)).setState(TaskState.TASK_FINISHED)
                .setUuid("u-" + a))).build());
      }
      m.loop.runPending();
      long updated = System.nanoTime();
      m.allocate();
      long reallocated = System.nanoTime();

      MasterSnapshot snapshot = m.snapshot();
      assertThat(snapshot.tasks()).hasSize(AGENTS * TASKS_PER_AGENT);
      assertThat(snapshot.offers()).hasSize(2 * AGENTS);
      System.out.printf("scale: %d agents, %d tasks: registration %d ms, first pass %d ms, %d updates %d ms,"
              + " second pass %d ms%n", AGENTS, AGENTS * TASKS_PER_AGENT, ms(t0, registered), ms(registered, allocated),
          AGENTS, ms(allocated, updated), ms(updated, reallocated));
      assertThat(ms(registered, allocated)).as("one pass over 10,000 agents").isLessThan(5_000);
      assertThat(ms(updated, reallocated)).as("one pass over 10,000 dirty agents").isLessThan(5_000);
    }
  }

  private static long ms(long from, long to) {
    return (to - from) / 1_000_000;
  }
}
