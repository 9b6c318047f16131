package dev.corral.services.engine;

import dev.corral.api.v1.Offer;
import dev.corral.api.v1.Operation;
import dev.corral.api.v1.TaskGroupInfo;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.scheduler.SchedulerDriver;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.Constraint;
import dev.corral.services.instance.ContainerTask;
import dev.corral.services.instance.Goal;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.InstanceState;
import dev.corral.services.instance.LaunchedTask;
import dev.corral.services.instance.Reservation;
import dev.corral.services.instance.TaskFailure;
import dev.corral.services.placement.ConstraintTracker;
import dev.corral.services.placement.OfferMatcher;
import dev.corral.services.placement.Placement;
import dev.corral.services.placement.PodTaskInfos;
import dev.corral.services.placement.Residency;
import dev.corral.services.placement.TaskInfoBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch of offers: match every waiting instance that can launch, record the placements (instances move
 * to STAGING with their new task id and agent) in ONE store commit, and only when that is durable launch them,
 * one launch call per offer. Offers that take nothing are declined at once: briefly while other instances
 * still wait, for long (and offers suppressed) when nothing does.
 *
 * <p>Before launching, each placement is checked again against the model, since the app may have changed or
 * been deleted while the commit was in flight; a placement that no longer holds is dropped and its
 * never-launched task forgotten.
 */
final class OfferRound {
  private static final Logger log = LoggerFactory.getLogger(OfferRound.class);

  /**
   * A task still STAGING this long after its launch is given up (Marathon's task_launch_timeout): killed in
   * case it exists, and its instance relaunched. This also covers a launch lost with a crash between the
   * commit and the launch call, which the master may never report.
   */
  static final Duration LAUNCH_TIMEOUT = Duration.ofMinutes(5);

  private final Engine engine;

  OfferRound(Engine engine) {
    this.engine = engine;
  }

  private record Planned(Placement placement, String taskId) {}

  /**
   * Placements per loop item: once a round has placed this many, the offers left are matched in a loop item of
   * their own, after the API requests queued meanwhile (they run first). Placing ten thousand instances in one
   * item held the loop, and every API request, for a few hundred milliseconds, and slices of a thousand still
   * held it 50–100 ms on two busy cores; in slices each one's commit is also written while the next is matched.
   * Like the offers themselves the slices run ahead of queued task updates: behind them, during a big
   * deployment, the rest of a round waited seconds for the updates of its first slices.
   */
  static final int ROUND_SLICE_PLACEMENTS = 250;

  /**
   * A slice of a round or of its launches also ends once it has run this long by the loop's clock, however few
   * it placed.
   */
  static final long SLICE_MILLIS = 10;

  void handle(List<Offer> offers) {
    SchedulerDriver driver = engine.driver();
    if (driver == null) {
      return;
    }
    if (!engine.frameworkIdDurable() || engine.store.backlogged()) {
      // each placement is a write: with the writer far behind, the offers come back once it has caught up
      driver.decline(offerIds(offers), Engine.REFUSE_SHORT_SECONDS);
      return;
    }
    ServiceModel model = engine.model;
    Instant now = engine.now();
    List<OfferMatcher.Demand> demands = demands(model, now);
    Reservations held = reservations(model);
    Map<String, List<Planned>> byOffer = new LinkedHashMap<>();
    List<String> unused = new ArrayList<>();
    Engine.Batch batch = new Engine.Batch();
    int placed = 0;
    List<Offer> later = List.of();
    long sliceEnds = engine.loop.clock().millis() + SLICE_MILLIS;
    for (int index = 0; index < offers.size(); index++) {
      if (placed >= ROUND_SLICE_PLACEMENTS || (placed > 0 && engine.loop.clock().millis() > sliceEnds)) {
        later = offers.subList(index, offers.size());
        break;
      }
      Offer offer = offers.get(index);
      List<Instance> releasable = held.releases().remove(offer.getAgentId());
      if (releasable != null && release(offer, releasable)) {
        continue;
      }
      if (demands.stream().allMatch(OfferMatcher.Demand::exhausted)) {
        unused.add(offer.getOfferId());
        continue;
      }
      OfferMatcher.Result result = OfferMatcher.match(offer, demands, now, engine.config.gpuSchedulingBehavior(),
          held.residency());
      for (OfferMatcher.Outcome o : result.outcomes()) {
        model.offerStats(o.appId()).record(o, now);
      }
      if (result.placements().isEmpty()) {
        unused.add(offer.getOfferId());
        continue;
      }
      List<Planned> planned = new ArrayList<>(result.placements().size());
      List<Effect> effects = new ArrayList<>(result.placements().size());
      for (Placement p : result.placements()) {
        Instance instance = model.instance(p.instanceId());
        AppDefinition app = model.app(instance.appId());
        String taskId = Engine.newTaskId(instance.appId());
        LaunchedTask task = new LaunchedTask(taskId, p.agentId(), p.hostname(), p.hostPorts(), p.attributes(),
            app.version(), now, null, TaskState.TASK_STAGING, "");
        if (p.reserving()) {
          instance = instance.withReservation(p.reservation().madeBy(taskId));
        }
        if (app.isPod()) {
          // one task per container, launched as one group whose id is the instance's task id
          List<List<Integer>> ports = PodTaskInfos.hostPortsByContainer(app.pod(), p.hostPorts());
          List<ContainerTask> containers = new ArrayList<>();
          for (int c = 0; c < app.pod().containers().size(); c++) {
            String name = app.pod().containers().get(c).name();
            containers.add(ContainerTask.staging(name, PodTaskInfos.taskId(taskId, name), ports.get(c), now));
          }
          task = task.withContainers(containers);
        }
        effects.add(new Effect.PutInstance(instance.moveTo(InstanceState.STAGING, task)));
        planned.add(new Planned(p, taskId));
      }
      engine.apply(batch, effects);
      byOffer.put(offer.getOfferId(), planned);
      placed += planned.size();
    }
    if (!later.isEmpty()) {
      List<Offer> rest = later;
      engine.loop.executeUrgent(() -> handle(rest));
    }
    // An app whose every waiting instance found a place ends its launch attempt, and its statistics with it.
    demands.stream().filter(OfferMatcher.Demand::exhausted).forEach(d -> model.clearOfferStats(d.app().id()));
    boolean moreWaiting = engine.hasLaunchable(now);
    double refuse = moreWaiting ? Engine.REFUSE_SHORT_SECONDS : Engine.REFUSE_LONG_SECONDS;
    if (!unused.isEmpty()) {
      driver.decline(unused, refuse);
    }
    if (!moreWaiting) {
      engine.noMoreDemand();
    }
    if (byOffer.isEmpty()) {
      return;
    }
    engine.commitThenUrgently(batch).whenComplete((v, err) -> {
      if (err == null) {
        launch(byOffer);
      } else {
        driver.decline(byOffer.keySet(), Engine.REFUSE_SHORT_SECONDS);
        requeue(byOffer.values().stream().flatMap(List::stream).map(Planned::taskId).toList());
      }
    });
  }

  /**
   * Resident instances' reservations in this round: what those without a task hold on each agent (no other
   * instance may take it), and those to release, by agent.
   */
  private record Reservations(Residency residency, Map<String, List<Instance>> releases) {}

  private Reservations reservations(ServiceModel model) {
    Map<String, Map<String, Double>> idle = new HashMap<>();
    Map<String, List<Instance>> releases = new HashMap<>();
    // only apps with a reservation: a round costs nothing more for the apps that have none
    for (String appId : model.appIdsWithReservations()) {
      for (Instance i : model.instancesOf(appId)) {
        Reservation r = i.reservation();
        if (r == null || i.hasLiveTask()) {
          continue;
        }
        r.taskShare().forEach((name, amount) ->
            idle.computeIfAbsent(r.agentId(), a -> new HashMap<>()).merge(name, amount, Double::sum));
        if (ServiceModel.releasable(i)) {
          releases.computeIfAbsent(r.agentId(), a -> new ArrayList<>()).add(i);
        }
      }
    }
    return new Reservations(new Residency(engine.config.role(), idle), releases);
  }

  /**
   * Releases decommissioned resident instances on the offer's agent: their volumes destroyed and their
   * resources unreserved in one call, then the instances forgotten. Only those whose every volume the offer
   * holds (no task uses it any more). Returns whether the offer was used for it.
   */
  private boolean release(Offer offer, List<Instance> instances) {
    Set<String> offered = new HashSet<>();
    offer.getVolumesList().forEach(v -> offered.add(v.getPersistenceId()));
    List<Instance> ready = instances.stream()
        .filter(i -> i.reservation().volumes().stream().allMatch(v -> offered.contains(v.persistenceId()))).toList();
    if (ready.isEmpty()) {
      return false;
    }
    List<Operation> ops = ReservationCalls.release(offer, ready);
    SchedulerDriver driver = engine.driver();
    List<String> ids = ready.stream().map(Instance::id).toList();
    driver.accept(List.of(offer.getOfferId()), ops, Engine.REFUSE_SHORT_SECONDS).whenComplete((v, err) ->
        engine.loop.execute(() -> {
          if (err != null) {
            log.warn("the master refused to release the reservations of {} on agent {}: {}; trying again with a"
                + " later offer", ids, offer.getAgentId(), err.toString());
            return;
          }
          Engine.Batch b = new Engine.Batch();
          for (String id : ids) {
            Instance i = engine.model.instance(id);
            if (i != null && ServiceModel.releasable(i)) {
              engine.apply(b, List.of(new Effect.ExpungeInstance(id)));
            }
          }
          engine.commit(b);
        }));
    return true;
  }

  /**
   * Apps that may launch now, each with its waiting instances and a tracker of where the app's other instances
   * of the same config run.
   */
  private static List<OfferMatcher.Demand> demands(ServiceModel model, Instant now) {
    List<OfferMatcher.Demand> out = new ArrayList<>();
    // Only apps with a waiting instance, in id order: a round costs nothing for the thousands that run.
    for (String appId : new TreeSet<>(model.appIdsWithWaiting())) {
      AppDefinition app = model.app(appId);
      if (app == null || model.waitingCount(appId, app.configVersion()) == 0
          || !app.unsupportedReasons().isEmpty() || model.backoff(app.id()).delayed(now)) {
        continue;
      }
      // only constraints that count where the app runs need the placed instances' values
      boolean constrained = ConstraintTracker.countsPlaced(app.constraints());
      if (!constrained && !app.isResident()) {
        // a few waiting instances, more as those are placed (see OfferMatcher.Demand#more)
        Function<Set<String>, List<Instance>> more = taken -> waiting(model, app, taken, DEMAND_BATCH);
        List<Instance> first = more.apply(Set.of());
        if (!first.isEmpty()) {
          out.add(new OfferMatcher.Demand(app, first, ConstraintTracker.of(app.constraints(), List.of()), more));
        }
        continue;
      }
      List<Instance> waiting = new ArrayList<>();
      List<Map<String, String>> placed = new ArrayList<>();
      for (Instance i : constrained ? model.instancesOf(app.id()) : model.waitingInstances(app.id())) {
        if (i.isWaiting() && i.configVersion().equals(app.configVersion())) {
          waiting.add(i);
        } else if (constrained && i.goal() == Goal.RUNNING && i.hasLiveTask()
            && i.configVersion().equals(app.configVersion())) {
          // As in Marathon, only instances of the current config count: those being replaced do not hold
          // the new ones back (UNIQUE on three hosts with three instances could never be upgraded).
          Map<String, String> values = new HashMap<>(i.task().attributes());
          values.put(Constraint.HOSTNAME, i.task().host());
          placed.add(values);
        }
        if (constrained && i.isWaiting() && i.isResident() && i.configVersion().equals(app.configVersion())) {
          // a resident instance waiting for a task will run on its reservation's agent: it counts there
          Map<String, String> values = new HashMap<>(i.reservation().attributes());
          values.put(Constraint.HOSTNAME, i.reservation().host());
          placed.add(values);
        }
      }
      if (!waiting.isEmpty()) {
        out.add(new OfferMatcher.Demand(app, waiting, ConstraintTracker.of(app.constraints(), placed)));
      }
    }
    return out;
  }

  /**
   * Waiting instances an app's demand takes at a time. Taking all of them in every slice of a round made a round
   * over many big apps quadratic: 100 apps of 1,000 waiting instances, 100,000 lookups per slice of 250
   * placements. An offer mostly takes a few dozen.
   */
  static final int DEMAND_BATCH = 64;

  /** Up to {@code max} of the app's instances waiting to launch with its current config, none of {@code taken}. */
  private static List<Instance> waiting(ServiceModel model, AppDefinition app, Set<String> taken, int max) {
    List<Instance> out = new ArrayList<>(max);
    for (Instance i : model.waitingInstances(app.id())) {
      if (out.size() == max) {
        break;
      }
      if (i.isWaiting() && i.configVersion().equals(app.configVersion()) && !taken.contains(i.id())) {
        out.add(i);
      }
    }
    return out;
  }

  /** Offers launched per loop item: a round that placed thousands of tasks must not hold the loop for long. */
  static final int LAUNCH_SLICE_OFFERS = 16;

  /**
   * Launches what the round placed once it is durable. The refuse filter of the left-over resources is
   * decided now, not when the round ran: an app created while the commit was in flight must not be kept
   * from this agent by a long filter that the master would set after the revive its creation sent.
   *
   * <p>In slices of at most {@link #LAUNCH_SLICE_OFFERS} offers and {@link #SLICE_MILLIS}, each its own loop item
   * (ahead of queued task updates, as the round's), so that API requests are answered between them; building ten
   * thousand task infos in one item held them up for a few hundred milliseconds. Each placement is checked
   * against the model when its slice runs.
   */
  private void launch(Map<String, List<Planned>> byOffer) {
    double refuse = engine.hasLaunchable(engine.now()) ? Engine.REFUSE_SHORT_SECONDS : Engine.REFUSE_LONG_SECONDS;
    launchSlice(new ArrayList<>(byOffer.entrySet()), 0, refuse);
  }

  private void launchSlice(List<Map.Entry<String, List<Planned>>> offers, int from, double refuse) {
    SchedulerDriver driver = engine.driver();
    ServiceModel model = engine.model;
    Engine.Batch cleanup = new Engine.Batch();
    Set<String> touchedApps = new LinkedHashSet<>();
    int last = Math.min(offers.size(), from + LAUNCH_SLICE_OFFERS);
    long sliceEnds = engine.loop.clock().millis() + SLICE_MILLIS;
    int to = from;
    while (to < last && (to == from || engine.loop.clock().millis() <= sliceEnds)) {
      Map.Entry<String, List<Planned>> e = offers.get(to++);
      List<TaskInfo> tasks = new ArrayList<>(e.getValue().size());
      List<TaskGroupInfo> groups = new ArrayList<>();
      List<String> taskIds = new ArrayList<>(e.getValue().size());
      List<Reservation> reserving = new ArrayList<>();
      for (Planned p : e.getValue()) {
        Instance i = model.instanceByTask(p.taskId());
        if (i == null || i.state() != InstanceState.STAGING || i.task().lastState() != TaskState.TASK_STAGING) {
          continue;
        }
        AppDefinition app = model.app(i.appId());
        if (i.goal() == Goal.RUNNING && app != null && i.configVersion().equals(app.configVersion())) {
          if (app.isPod()) {
            groups.add(PodTaskInfos.build(app, p.taskId(), p.placement(), engine.config.user(), model.frameworkId(),
                engine.config.taskApi()));
          } else {
            tasks.add(TaskInfoBuilder.build(app, p.taskId(), p.placement(), engine.config.user(), model.frameworkId(),
                engine.config.taskApi()));
          }
          if (p.placement().reserving()) {
            reserving.add(i.reservation());
          }
          taskIds.add(p.taskId());
        } else {
          // Changed or removed while the commit was in flight: the task was never launched, so forget it (a
          // reservation it was to make was never made either).
          engine.apply(cleanup, List.of(p.placement().reserving() ? new Effect.ExpungeInstance(i.id())
              : AppPlanner.forget(i, AppPlanner.keptGoal(i, app))));
          touchedApps.add(i.appId());
        }
      }
      if (tasks.isEmpty() && groups.isEmpty()) {
        driver.decline(List.of(e.getKey()), refuse);
        continue;
      }
      CompletableFuture<Void> launched = !reserving.isEmpty()
          ? driver.accept(List.of(e.getKey()), ReservationCalls.reserveAndLaunch(reserving, tasks, groups), refuse)
          : groups.isEmpty() ? driver.launch(List.of(e.getKey()), tasks, refuse)
          : driver.launch(List.of(e.getKey()), tasks, groups, refuse);
      launched.whenComplete((v, err) -> {
        if (err != null) {
          log.warn("the master rejected the launch of {} task(s) and {} task group(s) on offer {}: {}", tasks.size(),
              groups.size(), e.getKey(), err.toString());
          engine.loop.execute(() -> requeue(taskIds));
        }
      });
      engine.loop.schedule(null, LAUNCH_TIMEOUT, () -> expire(taskIds));
    }
    if (!touchedApps.isEmpty()) {
      touchedApps.forEach(appId -> engine.apply(cleanup, engine.replan(appId)));
      engine.commit(cleanup);
    }
    if (to < offers.size()) {
      int next = to;
      engine.loop.executeUrgent(() -> launchSlice(offers, next, refuse));
      return;
    }
    // The driver issues calls in order, so a revive sent now lifts any filter these launches just set.
    engine.reviveIfWaiting();
  }

  /** Tasks that were never launched: their instances wait again (a rejected launch is no task failure). */
  private void requeue(List<String> taskIds) {
    ServiceModel model = engine.model;
    Engine.Batch b = new Engine.Batch();
    Set<String> apps = new LinkedHashSet<>();
    for (String taskId : taskIds) {
      Instance i = model.instanceByTask(taskId);
      if (i != null && i.state() == InstanceState.STAGING && i.task().lastState() == TaskState.TASK_STAGING) {
        Instance back = i.moveTo(InstanceState.SCHEDULED, null);
        if (i.isResident() && i.reservation().madeBy().equals(taskId)) {
          back = back.withoutReservation(); // the refused call was to make it
        }
        engine.apply(b, List.of(new Effect.PutInstance(back)));
        apps.add(i.appId());
      }
    }
    apps.forEach(appId -> engine.apply(b, engine.replan(appId)));
    engine.commit(b);
  }

  private void expire(List<String> taskIds) {
    ServiceModel model = engine.model;
    Engine.Batch b = new Engine.Batch();
    Set<String> apps = new LinkedHashSet<>();
    Instant now = engine.now();
    for (String taskId : taskIds) {
      Instance i = model.instanceByTask(taskId);
      if (i == null || i.state() != InstanceState.STAGING) {
        continue;
      }
      log.warn("task {} is still staging {} after its launch; killing it and launching again", taskId, LAUNCH_TIMEOUT);
      List<Effect> effects = new ArrayList<>();
      effects.add(new Effect.Kill(taskId, i.task().agentId(), OptionalDouble.empty()));
      AppDefinition app = model.app(i.appId());
      if (i.goal() == Goal.RUNNING && app != null) {
        effects.add(new Effect.RecordFailure(new TaskFailure(app.id(), i.task().host(), "The task did not start within "
            + LAUNCH_TIMEOUT.toSeconds() + " s of its launch", TaskState.TASK_STAGING.name(), taskId, now,
            i.task().appVersion(), i.task().agentId())));
        effects.add(new Effect.CountFailure(app.id(), null));
        effects.add(new Effect.PutInstance(i.moveTo(InstanceState.SCHEDULED, null)));
      } else {
        effects.add(AppPlanner.forget(i, AppPlanner.keptGoal(i, app)));
      }
      engine.apply(b, effects);
      apps.add(i.appId());
    }
    apps.forEach(appId -> engine.apply(b, engine.replan(appId)));
    engine.commit(b);
  }

  private static List<String> offerIds(List<Offer> offers) {
    List<String> ids = new ArrayList<>(offers.size());
    offers.forEach(o -> ids.add(o.getOfferId()));
    return ids;
  }
}
