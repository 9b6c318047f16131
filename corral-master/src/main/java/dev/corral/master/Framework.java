package dev.corral.master;

import dev.corral.api.ResourceSet;
import dev.corral.api.v1.FrameworkInfo;
import dev.corral.api.v1.SchedulerEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The master's entry for one framework. Mutable, loop thread only.
 *
 * <p>Hard state: {@link #info} once {@link #admitted}. Soft state: the subscription stream, suppression,
 * decline filters, outstanding offers and the DRF bookkeeping ({@link #allocated} by its tasks,
 * {@link #offered} in outstanding offers), all kept incrementally.
 */
final class Framework {
  static final String GPU_RESOURCES = "GPU_RESOURCES";

  final String id;
  FrameworkState state;
  boolean admitted;
  FrameworkInfo info;
  Link<SchedulerEvent> link;
  long generation;
  boolean suppressed;

  Scalars allocated = Scalars.ZERO;
  Scalars offered = Scalars.ZERO;
  /** Task ids (the task table is keyed by framework and task id). */
  final Set<String> tasks = new LinkedHashSet<>();
  /** Outstanding offers, each knowing its slot ({@link Offer#frameworkSlot}) so that removing one is O(1). */
  final List<Offer> offers = new ArrayList<>();
  /** Decline filters by agent id. */
  final Map<String, Filter> filters = new HashMap<>();

  Framework(String id, FrameworkState state, FrameworkInfo info) {
    this.id = id;
    this.state = state;
    this.info = info;
  }

  void moveTo(FrameworkState to) {
    state = FrameworkState.TRANSITIONS.check(state, to);
  }

  boolean isConnected() {
    return state == FrameworkState.CONNECTED && link != null;
  }

  String role() {
    return info.getRole().isEmpty() ? ResourceSet.UNRESERVED : info.getRole();
  }

  String name() {
    return info.getName();
  }

  boolean gpuAware() {
    return info.getCapabilitiesList().contains(GPU_RESOURCES);
  }

  void send(SchedulerEvent event) {
    if (isConnected()) {
      link.send(event);
    }
  }

  /** Sends the event {@code event} makes, possibly on another thread ({@link Link#sendBuilt}). */
  void send(Supplier<SchedulerEvent> event) {
    if (isConnected()) {
      link.sendBuilt(event);
    }
  }
}
