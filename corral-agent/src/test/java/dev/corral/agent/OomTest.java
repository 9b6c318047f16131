package dev.corral.agent;

import static dev.corral.agent.AgentTestSupport.LONG;
import static dev.corral.agent.AgentTestSupport.shellTask;
import static dev.corral.agent.AgentTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class OomTest extends RealAgentTestBase {

  @Test
  void taskOverItsMemoryLimitFailsWithMemoryLimitation() {
    Agent agent = startAgent();
    Assumptions.assumeTrue(agent.describeIsolation().contains("memory"),
        "needs a memory cgroup: " + agent.describeIsolation());
    String id = unique("oom");
    // tail keeps a line's worth of input in memory, and /dev/zero has no newline: it grows until killed
    master.runTask(shellTask(id, "head -c 300M /dev/zero | tail", 32));

    TaskStatus failed = master.awaitStatus(id, TaskState.TASK_FAILED, LONG);
    assertThat(failed.getReason()).isEqualTo(StatusReason.REASON_CONTAINER_LIMITATION_MEMORY);
    assertThat(failed.getMessage()).isEqualTo("Memory limit exceeded: killed by the OOM killer (limit 32 MB)");
    assertThat(failed.getSignal()).isEqualTo(9);
  }
}
