package dev.corral.master;

import static dev.corral.master.MasterFixture.agentId;
import static dev.corral.master.MasterFixture.frameworkId;
import static dev.corral.master.MasterFixture.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.AcknowledgeCall;
import dev.corral.api.v1.AgentInfo;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.TaskState;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Where the gateway finds a task's sandbox: its agent's advertised files API, also after the task is gone. */
class TaskEndpointTest {
  private final MasterFixture m = new MasterFixture();

  @AfterEach
  void close() {
    m.close();
  }

  private Optional<TaskEndpoint> endpoint(String taskId) {
    CompletableFuture<Optional<TaskEndpoint>> f = m.master.taskEndpoint(taskId);
    m.loop.runPending();
    return f.join();
  }

  @Test
  void answersTheAgentsHttpAddressWhileTheTaskRunsAndAfterItIsForgotten() {
    String fid = frameworkId(m.framework("fw", "*"));
    AgentInfo info = MasterFixture.agentInfo("node-1", "cpus:2;mem:512").toBuilder()
        .setHttpPort(5055).setHttpAddress("10.0.0.9").build();
    FakeLink<MasterMessage> agent = m.connect(info, List.of());
    m.allocate();
    m.launch(fid, List.of(offerOf(fid)), 0, task("t1", "cpus:1;mem:128"));

    TaskEndpoint running = endpoint("t1").orElseThrow();
    assertThat(running).isEqualTo(new TaskEndpoint("t1", fid, agentId(agent), "10.0.0.9", 5055, "TASK_STAGING", true));

    m.status(agent, fid, "t1", TaskState.TASK_FINISHED, "u1");
    m.master.taskCalls().acknowledge(AcknowledgeCall.newBuilder().setFrameworkId(fid).setAgentId(agentId(agent))
        .setTaskId("t1").setUuid("u1").build());
    m.loop.runPending();
    assertThat(m.snapshot().tasks()).isEmpty();
    TaskEndpoint gone = endpoint("t1").orElseThrow();
    assertThat(gone.current()).isFalse();
    assertThat(gone.state()).isEqualTo("TASK_FINISHED");
    assertThat(gone.httpPort()).isEqualTo(5055);

    assertThat(endpoint("never")).isEmpty();
  }

  @Test
  void anAgentWithoutAnAddressIsReachedByItsHostname() {
    String fid = frameworkId(m.framework("fw", "*"));
    FakeLink<MasterMessage> agent = m.connect(MasterFixture.agentInfo("node-2", "cpus:2;mem:512").toBuilder()
        .setHttpPort(5051).build(), List.of());
    m.allocate();
    m.launch(fid, List.of(offerOf(fid)), 0, task("t2", "cpus:1;mem:128"));
    assertThat(endpoint("t2").orElseThrow().host()).isEqualTo("node-2");
    assertThat(agentId(agent)).isNotEmpty();
  }

  private String offerOf(String fid) {
    return m.snapshot().offers().stream().filter(o -> o.frameworkId().equals(fid)).findFirst().orElseThrow().id();
  }
}
