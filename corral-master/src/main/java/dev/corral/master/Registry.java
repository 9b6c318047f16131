package dev.corral.master;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.corral.api.v1.AgentInfo;
import dev.corral.api.v1.FrameworkInfo;
import dev.corral.state.Store;
import dev.corral.state.StoreOp;
import dev.corral.state.StorePaths;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's hard state in the store, like the Mesos registry: one node per admitted agent
 * ({@code /master/agents/<id>}) and per framework ({@code /master/frameworks/<id>}), each holding the
 * protobuf bytes of its {@link AgentInfo} / {@link FrameworkInfo}. Ids are encoded into one path segment.
 *
 * <p>Proto3 keeps unknown fields, so a node written by a newer master reads fine here; a node that does
 * not parse is logged and skipped rather than blocking the start (the agent re-registers under its id and
 * is admitted again).
 */
final class Registry {
  static final String AGENTS = "/master/agents";
  static final String FRAMEWORKS = "/master/frameworks";
  private static final Logger log = LoggerFactory.getLogger(Registry.class);

  private Registry() {}

  static StoreOp putAgent(AgentInfo info) {
    return StoreOp.put(StorePaths.join(AGENTS, StorePaths.segment(info.getAgentId())), info.toByteArray());
  }

  static StoreOp putFramework(FrameworkInfo info) {
    return StoreOp.put(StorePaths.join(FRAMEWORKS, StorePaths.segment(info.getFrameworkId())), info.toByteArray());
  }

  /** Blocking read; start-up only. */
  static List<AgentInfo> agents(Store store) {
    List<AgentInfo> out = new ArrayList<>();
    store.childrenWithData(AGENTS).forEach((child, bytes) -> {
      try {
        out.add(AgentInfo.parseFrom(bytes).toBuilder().setAgentId(StorePaths.unsegment(child)).build());
      } catch (InvalidProtocolBufferException e) {
        log.warn("skipping unreadable agent node {}: {}", child, e.getMessage());
      }
    });
    return out;
  }

  /** Blocking read; start-up only. */
  static List<FrameworkInfo> frameworks(Store store) {
    List<FrameworkInfo> out = new ArrayList<>();
    store.childrenWithData(FRAMEWORKS).forEach((child, bytes) -> {
      try {
        out.add(FrameworkInfo.parseFrom(bytes).toBuilder().setFrameworkId(StorePaths.unsegment(child)).build());
      } catch (InvalidProtocolBufferException e) {
        log.warn("skipping unreadable framework node {}: {}", child, e.getMessage());
      }
    });
    return out;
  }
}
