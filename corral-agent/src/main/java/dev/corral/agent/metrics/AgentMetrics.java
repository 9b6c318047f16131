package dev.corral.agent.metrics;

import dev.corral.agent.cgroups.Cgroups;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The agent's metrics: the node's and each running container's, sampled when asked (cheap file reads) and
 * kept for {@link #CACHE_TTL}, so there is no polling loop and a node with no readers does no work.
 *
 * <p>Thread-safe; its methods block on file reads and on the task table's answer, so they belong on HTTP
 * threads, never on the agent's event loop.
 */
public final class AgentMetrics {
  public static final Duration CACHE_TTL = Duration.ofSeconds(1);
  private static final String NODE = "";

  private final NodeSampler node;
  private final Cgroups cgroups;
  private final Supplier<String> agentId;
  private final String hostname;
  private final Clock clock;
  private final SampleCache cache;

  public AgentMetrics(NodeSampler node, Cgroups cgroups, Supplier<String> agentId, String hostname, Clock clock) {
    this.node = node;
    this.cgroups = cgroups;
    this.agentId = agentId;
    this.hostname = hostname;
    this.clock = clock;
    this.cache = new SampleCache(clock, CACHE_TTL);
  }

  public Sample node() {
    return cache.get(NODE, () -> new Sample(clock.instant(), node.sample(), agentTags(), null));
  }

  /** One container's sample; the info is the task table's, looked up by the caller. */
  public Sample container(ContainerInfo c) {
    // keys cannot collide with the node's "": a task id is never empty
    return cache.get(c.containerId(), () -> {
      Map<String, String> tags = agentTags();
      tags.put("container_id", c.containerId());
      tags.put("task_id", c.taskId());
      tags.put("framework_id", c.frameworkId());
      tags.put("app_id", c.appId());
      return new Sample(clock.instant(), CgroupSampler.sample(cgroups.paths(c.containerId())), tags, c);
    });
  }

  public List<Sample> containers(List<ContainerInfo> running) {
    List<Sample> out = new ArrayList<>();
    running.forEach(c -> out.add(container(c)));
    return out;
  }

  public Optional<String> agentId() {
    String id = agentId.get();
    return id == null || id.isEmpty() ? Optional.empty() : Optional.of(id);
  }

  public String hostname() {
    return hostname;
  }

  private Map<String, String> agentTags() {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("agent_id", agentId().orElse(""));
    tags.put("hostname", hostname);
    return tags;
  }
}
