package dev.corral.master;

import dev.corral.api.ResourceSet;
import dev.corral.api.v1.AcceptCall;
import dev.corral.api.v1.DeclineCall;
import dev.corral.api.v1.Filters;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.Operation;
import dev.corral.api.v1.RunTask;
import dev.corral.api.v1.RunTaskGroup;
import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.TaskGroupInfo;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ACCEPT, DECLINE, REVIVE and SUPPRESS. Each runs on the loop and throws a gRPC status exception to
 * reject the call; problems with individual tasks are reported as task updates instead (TASK_DROPPED for
 * unusable offers, TASK_ERROR for an invalid task), as in Mesos. Loop thread only.
 */
final class OfferCalls {
  private static final Logger log = LoggerFactory.getLogger(OfferCalls.class);

  private final MasterState state;
  private final Subscriptions subscriptions;
  private final OfferBook offers;
  private final Allocator allocator;
  private final GroupCommit commits;

  OfferCalls(MasterState state, Subscriptions subscriptions, OfferBook offers, Allocator allocator,
      GroupCommit commits) {
    this.commits = commits;
    this.state = state;
    this.subscriptions = subscriptions;
    this.offers = offers;
    this.allocator = allocator;
  }

  static String filterTag(String frameworkId, String agentId) {
    return "filter:" + frameworkId + ":" + agentId;
  }

  void accept(AcceptCall call) {
    Framework framework = subscriptions.requireSubscribed(call.getFrameworkId());
    boolean reserving = ReservationOps.touches(call.getOperationsList());
    Set<String> ids = new LinkedHashSet<>(call.getOfferIdsList());
    if (!reserving || offerProblem(framework, ids) != null) {
      acceptNow(framework, call, null);
      return;
    }
    // Reservations and volumes are stored before anything is launched on them; the offers stay outstanding
    // meanwhile.
    String agentId = state.offers.get(ids.iterator().next()).agentId;
    ResourceSet offered = ResourceSet.EMPTY;
    for (String id : ids) {
      offered = offered.plus(state.offers.get(id).resources);
    }
    ReservationOps.Shaped shaped = ReservationOps.apply(framework.role(), offered, state.reservations.held(agentId),
        call.getOperationsList(), PersistentVolumes.inUse(state, state.agents.get(agentId)));
    String frameworkId = framework.id;
    commits.persist(Reservations.op(agentId, shaped.held()), error -> {
      Framework f = state.frameworks.get(frameworkId);
      if (error != null) {
        log.warn("could not persist the reservations of framework {} on agent {}: {}", frameworkId, agentId,
            error.getMessage());
        return; // nothing launched; the offers stay outstanding and the framework may try again
      }
      boolean volumesChanged = !shaped.held().volumes().equals(state.reservations.volumesOf(agentId));
      state.reservations.put(agentId, shaped.held());
      Agent agent = state.agents.get(agentId);
      if (agent != null) {
        state.setAgentTotal(agent, state.reservations.apply(agentId, ResourceSet.fromProto(agent.info.getResourcesList())));
        if (volumesChanged && agent.link != null) {
          agent.link.send(PersistentVolumes.message(shaped.held().volumes()));
        }
      }
      if (f != null && f.isConnected()) {
        acceptNow(f, call, shaped.offered());
      }
    });
  }

  /** The launches of an ACCEPT; {@code reshaped}, when not null, replaces the offers' resources (after reservations). */
  private void acceptNow(Framework framework, AcceptCall call, ResourceSet reshaped) {
    List<TaskInfo> tasks = new ArrayList<>();
    for (Operation op : call.getOperationsList()) {
      if (op.hasLaunch()) {
        tasks.addAll(op.getLaunch().getTasksList());
      } else if (op.hasLaunchGroup()) {
        tasks.addAll(op.getLaunchGroup().getTaskGroup().getTasksList());
      }
    }
    Set<String> offerIds = new LinkedHashSet<>(call.getOfferIdsList());
    String problem = offerProblem(framework, offerIds);
    if (problem != null) {
      // Offers of this framework named here are not used; they return to the pool unfiltered.
      for (String id : offerIds) {
        Offer offer = state.offers.get(id);
        if (offer != null && offer.frameworkId.equals(framework.id)) {
          offers.remove(offer, OfferState.RECOVERED);
          allocator.agentChanged(offer.agentId);
        }
      }
      for (TaskInfo task : tasks) {
        state.sendUpdate(framework.id, state.masterStatus(new TaskKey(framework.id, task.getTaskId()),
            task.getAgentId(), TaskState.TASK_DROPPED, StatusReason.REASON_INVALID_OFFERS, problem));
      }
      return;
    }
    String agentId = state.offers.get(offerIds.iterator().next()).agentId;
    Agent agent = state.agents.get(agentId);
    ResourceSet left = ResourceSet.EMPTY;
    for (String id : offerIds) {
      Offer offer = state.offers.get(id);
      left = left.plus(offer.resources);
      offers.remove(offer, OfferState.ACCEPTED);
    }
    if (reshaped != null) {
      left = reshaped;
    }
    Set<String> inCall = new HashSet<>();
    Set<String> volumesInCall = new HashSet<>();
    for (Operation op : call.getOperationsList()) {
      if (op.hasLaunch()) {
        for (TaskInfo task : op.getLaunch().getTasksList()) {
          left = launch(framework, agent, task, left, inCall, volumesInCall);
        }
      } else if (op.hasLaunchGroup()) {
        left = launchGroup(framework, agent, op.getLaunchGroup().getTaskGroup(), left, inCall, volumesInCall);
      }
    }
    refuse(framework, agentId, left, call.hasFilters() ? call.getFilters() : null);
    allocator.agentChanged(agentId);
  }

  /** Why these offers cannot be used by this framework, or null. */
  private String offerProblem(Framework framework, Set<String> offerIds) {
    if (offerIds.isEmpty()) {
      return "the call names no offers";
    }
    String agentId = null;
    for (String id : offerIds) {
      Offer offer = state.offers.get(id);
      if (offer == null) {
        return "offer " + id + " is no longer valid (rescinded, declined or already used)";
      }
      if (!offer.frameworkId.equals(framework.id)) {
        return "offer " + id + " was made to another framework";
      }
      if (agentId != null && !agentId.equals(offer.agentId)) {
        return "offers span more than one agent (" + agentId + " and " + offer.agentId + ")";
      }
      agentId = offer.agentId;
    }
    Agent agent = state.agents.get(agentId);
    if (agent == null || !agent.state.isConnected()) {
      return "agent " + agentId + " is not connected";
    }
    return null;
  }

  /** Launches one task from what is left, or reports why not; returns what is left after it. */
  private ResourceSet launch(Framework framework, Agent agent, TaskInfo task, ResourceSet left, Set<String> inCall,
      Set<String> volumesInCall) {
    ResourceSet resources = null;
    String parseError = null;
    try {
      resources = ResourceSet.fromProto(task.getResourcesList());
    } catch (IllegalArgumentException e) {
      parseError = e.getMessage();
    }
    String problem = LaunchCheck.problem(task, resources, parseError, left, inCall,
        taskId -> state.tasks.get(new TaskKey(framework.id, taskId)));
    if (problem == null) {
      problem = PersistentVolumes.problem(state, agent, framework.role(), task, volumesInCall);
    }
    TaskKey key = new TaskKey(framework.id, task.getTaskId());
    if (problem != null) {
      state.sendUpdate(framework.id, state.masterStatus(key, agent.id, TaskState.TASK_ERROR,
          StatusReason.REASON_TASK_INVALID, problem));
      if (!task.getTaskId().isEmpty()) {
        inCall.add(task.getTaskId());
      }
      return left;
    }
    inCall.add(task.getTaskId());
    Task previous = state.tasks.get(key);
    if (previous != null) {
      state.removeTask(previous); // a terminal row awaiting its ack; the id is being reused
    }
    TaskInfo placed = task.toBuilder().setAgentId(agent.id).setFrameworkId(framework.id).build();
    state.addTask(new Task(key, placed, agent.id, resources, state.masterStatus(key, agent.id,
        TaskState.TASK_STAGING, StatusReason.REASON_UNSPECIFIED, "launched on agent " + agent.id)));
    agent.link.send(MasterMessage.newBuilder()
        .setRunTask(RunTask.newBuilder().setTask(placed).setFramework(framework.info)).build());
    return left.minus(resources);
  }

  /**
   * Launches a task group as one: every task is checked against what is left (together they must fit), and
   * only if all pass are they recorded and sent to the agent in one message; otherwise each is reported
   * TASK_ERROR, the one at fault with its reason.
   */
  private ResourceSet launchGroup(Framework framework, Agent agent, TaskGroupInfo group, ResourceSet left,
      Set<String> inCall, Set<String> volumesInCall) {
    List<ResourceSet> resources = new ArrayList<>();
    ResourceSet remaining = left;
    Set<String> seen = new HashSet<>(inCall);
    String problem = group.getTasksCount() == 0 ? "the task group " + group.getGroupId() + " has no tasks" : null;
    String faulty = null;
    for (TaskInfo task : group.getTasksList()) {
      if (problem != null) {
        break;
      }
      ResourceSet r = null;
      String parseError = null;
      try {
        r = ResourceSet.fromProto(task.getResourcesList());
      } catch (IllegalArgumentException e) {
        parseError = e.getMessage();
      }
      problem = LaunchCheck.problem(task, r, parseError, remaining, seen,
          taskId -> state.tasks.get(new TaskKey(framework.id, taskId)));
      if (problem == null && !task.getGroupId().equals(group.getGroupId())) {
        problem = "task " + task.getTaskId() + " names group '" + task.getGroupId() + "', not its group "
            + group.getGroupId();
      }
      if (problem != null) {
        faulty = task.getTaskId();
        break;
      }
      seen.add(task.getTaskId());
      resources.add(r);
      remaining = remaining.minus(r);
    }
    if (problem == null) {
      problem = PersistentVolumes.problem(state, agent, framework.role(), group, volumesInCall);
      faulty = problem == null ? null : group.getTasks(0).getTaskId();
    }
    if (problem != null) {
      for (TaskInfo task : group.getTasksList()) {
        String why = task.getTaskId().equals(faulty) ? problem
            : "another task of group " + group.getGroupId() + " cannot launch: " + problem;
        state.sendUpdate(framework.id, state.masterStatus(new TaskKey(framework.id, task.getTaskId()), agent.id,
            TaskState.TASK_ERROR, StatusReason.REASON_TASK_INVALID, why));
        if (!task.getTaskId().isEmpty()) {
          inCall.add(task.getTaskId());
        }
      }
      return left;
    }
    TaskGroupInfo.Builder placedGroup = TaskGroupInfo.newBuilder().setGroupId(group.getGroupId());
    for (int i = 0; i < group.getTasksCount(); i++) {
      TaskInfo task = group.getTasks(i);
      TaskKey key = new TaskKey(framework.id, task.getTaskId());
      inCall.add(task.getTaskId());
      Task previous = state.tasks.get(key);
      if (previous != null) {
        state.removeTask(previous);
      }
      TaskInfo placed = task.toBuilder().setAgentId(agent.id).setFrameworkId(framework.id).build();
      state.addTask(new Task(key, placed, agent.id, resources.get(i), state.masterStatus(key, agent.id,
          TaskState.TASK_STAGING, StatusReason.REASON_UNSPECIFIED, "launched on agent " + agent.id)));
      placedGroup.addTasks(placed);
    }
    agent.link.send(MasterMessage.newBuilder()
        .setRunTaskGroup(RunTaskGroup.newBuilder().setGroup(placedGroup).setFramework(framework.info)).build());
    return remaining;
  }

  void decline(DeclineCall call) {
    Framework framework = subscriptions.requireSubscribed(call.getFrameworkId());
    for (String id : new LinkedHashSet<>(call.getOfferIdsList())) {
      Offer offer = state.offers.get(id);
      if (offer == null || !offer.frameworkId.equals(framework.id)) {
        log.debug("framework {} declined offer {}, which it does not hold", framework.id, id);
        continue;
      }
      offers.remove(offer, OfferState.DECLINED);
      refuse(framework, offer.agentId, offer.resources, call.hasFilters() ? call.getFilters() : null);
      allocator.agentChanged(offer.agentId);
    }
  }

  void revive(String frameworkId) {
    Framework framework = subscriptions.requireSubscribed(frameworkId);
    framework.suppressed = false;
    subscriptions.clearFilters(framework);
    allocator.allChanged();
  }

  void suppress(String frameworkId) {
    Framework framework = subscriptions.requireSubscribed(frameworkId);
    framework.suppressed = true;
  }

  /** Filters {@code refused} of the agent for the framework for refuse_seconds (or the default). */
  private void refuse(Framework framework, String agentId, ResourceSet refused, Filters filters) {
    Duration duration = filters != null && filters.hasRefuseSeconds()
        ? Duration.ofMillis(Math.round(Math.max(0, filters.getRefuseSeconds()) * 1000))
        : state.config.defaultRefuse();
    if (refused.isEmpty() || duration.isZero()) {
      return;
    }
    Instant until = state.now().plus(duration);
    Filter previous = framework.filters.get(agentId);
    if (previous != null && previous.until().isAfter(state.now())) {
      refused = previous.refused().plus(refused);
      until = until.isAfter(previous.until()) ? until : previous.until();
    }
    framework.filters.put(agentId, new Filter(refused, until));
    String frameworkId = framework.id;
    state.loop.schedule(filterTag(frameworkId, agentId), Duration.between(state.now(), until),
        () -> expire(frameworkId, agentId));
  }

  private void expire(String frameworkId, String agentId) {
    Framework framework = state.frameworks.get(frameworkId);
    if (state.closed || framework == null) {
      return;
    }
    Filter filter = framework.filters.get(agentId);
    if (filter != null && !filter.until().isAfter(state.now())) {
      framework.filters.remove(agentId);
      allocator.agentChanged(agentId);
    }
  }
}
