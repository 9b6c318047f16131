package dev.corral.master;

import dev.corral.api.v1.AgentInfo;
import dev.corral.api.v1.Attribute;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Read-only views of the master's state for operator APIs; on the master's loop only. Stateless. */
final class MasterViews {
  private MasterViews() {}

  static List<AgentEndpoint> agents(MasterState state) {
    state.loop.assertInLoop();
    List<AgentEndpoint> out = new ArrayList<>();
    state.agents.values().forEach(a -> out.add(endpoint(state, a)));
    out.sort(Comparator.comparing(AgentEndpoint::id));
    return out;
  }

  static AgentEndpoint endpoint(MasterState state, Agent a) {
    AgentInfo info = a.info;
    Map<String, String> attributes = new LinkedHashMap<>();
    for (Attribute attribute : info.getAttributesList()) {
      attributes.put(attribute.getName(), attribute.getText());
    }
    String host = info.getHttpAddress().isEmpty() ? info.getHostname() : info.getHttpAddress();
    return new AgentEndpoint(a.id, info.getHostname(), host, info.getHttpPort(), a.state.name(),
        a.state.isConnected(), info.getVersion(), attributes, a.total, a.used, a.mode.name(),
        state.reservations.volumesOf(a.id));
  }

  static MasterCounts counts(MasterState state) {
    state.loop.assertInLoop();
    Map<String, Integer> agents = new TreeMap<>();
    state.agents.values().forEach(a -> agents.merge(a.state.name(), 1, Integer::sum));
    Map<String, Integer> frameworks = new TreeMap<>();
    state.frameworks.values().forEach(f -> frameworks.merge(f.state.name(), 1, Integer::sum));
    Map<String, Integer> tasks = new TreeMap<>();
    state.tasks.values().forEach(t -> tasks.merge(t.latest.getState().name(), 1, Integer::sum));
    return new MasterCounts(agents, frameworks, tasks, state.offers.size());
  }
}
