package dev.corral.agent;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real agents, real processes, a fake master. Every agent a test starts is stopped with its tasks killed,
 * and whatever the checkpoint still names is killed by process group, so no test leaves processes behind.
 */
abstract class RealAgentTestBase {
  @TempDir
  Path workDir;
  FakeMaster master;
  private final List<Agent> agents = new ArrayList<>();

  @BeforeEach
  void startMaster() throws Exception {
    master = new FakeMaster();
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (Agent a : agents) {
      a.stop(true);
    }
    Leftovers.killAll(workDir);
    master.close();
  }

  Agent startAgent(AgentConfig config) {
    return startAgent(config, dev.corral.agent.files.FilesConfig.noServer());
  }

  /** With the agent's HTTP server as {@code files} says. */
  Agent startAgent(AgentConfig config, dev.corral.agent.files.FilesConfig files) {
    Agent agent = new Agent(config, files, master.channel(), Clock.systemUTC());
    agents.add(agent);
    agent.start();
    return agent;
  }

  Agent startAgent() {
    Agent agent = startAgent(AgentTestSupport.config(workDir));
    master.awaitConnected(AgentTestSupport.LONG);
    return agent;
  }

  Path sandbox(String taskId) {
    return workDir.resolve("sandboxes").resolve(taskId);
  }
}
