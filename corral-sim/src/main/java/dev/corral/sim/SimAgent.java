package dev.corral.sim;

import dev.corral.api.TaskLifecycle;
import dev.corral.api.v1.AgentChannelGrpc;
import dev.corral.api.v1.AgentHeartbeat;
import dev.corral.api.v1.AgentInfo;
import dev.corral.api.v1.AgentMessage;
import dev.corral.api.v1.AgentTask;
import dev.corral.api.v1.KillTask;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.RegisterAgent;
import dev.corral.api.v1.RunTask;
import dev.corral.api.v1.StatusReason;
import dev.corral.api.v1.StatusSource;
import dev.corral.api.v1.StatusUpdate;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import dev.corral.api.v1.TaskStatus;
import io.grpc.Channel;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;

/**
 * One simulated agent: the real agent's protocol (see the agent's {@code MasterLink} and
 * {@code TaskSupervisor}) without processes. It registers, re-registers with its id and tasks after a
 * dropped stream (backoff 100 ms doubling to 5 s), heartbeats at the interval the master asks for, answers
 * RunTask with TASK_STARTING and, after the configured delay, TASK_RUNNING (or an injected TASK_FAILED),
 * KillTask with TASK_KILLED, and keeps every update until the master forwards its acknowledgement,
 * resending all of them after each registration and, on a timer, a task's oldest one with the real agent's
 * backoff (the retry interval, doubling up to 60 of them).
 *
 * <p>Threading: everything runs on the agent's {@link Shard}, including the gRPC callbacks of its stream;
 * nothing here is thread-safe. All state is soft: a closed fleet forgets everything.
 */
final class SimAgent {
  private static final long INITIAL_BACKOFF_MILLIS = 100;
  private static final long MAX_BACKOFF_MILLIS = 5_000;
  /** The longest an unanswered update waits between resends, in retry intervals (as the real agent). */
  private static final int MAX_RETRY_FACTOR = 60;

  final int index;
  private final Shard shard;
  private final SimulationConfig config;
  private final AgentInfo info;
  private final Channel channel;
  private final AgentChannelGrpc.AgentChannelStub stub;
  private final Counters counters;
  private final List<StatusListener> listeners;
  private final CountDownLatch firstRegistrations;

  private SimLinkState state = SimLinkState.DISCONNECTED;
  private String agentId = "";
  private long generation;
  private ClientCallStreamObserver<AgentMessage> out;
  private long backoffMillis = INITIAL_BACKOFF_MILLIS;
  private boolean everRegistered;
  private boolean heartbeats = true;
  private long heartbeatNanos;
  private long nextHeartbeatAt;
  private long nextResendAt;
  private int pendingUpdates;
  private final Map<String, SimTask> tasks = new LinkedHashMap<>();

  SimAgent(int index, Shard shard, SimulationConfig config, Channel channel, Counters counters,
      List<StatusListener> listeners, CountDownLatch firstRegistrations) {
    this.index = index;
    this.shard = shard;
    this.config = config;
    this.info = AgentInfo.newBuilder().setHostname(config.hostname(index)).addAllResources(config.resources())
        .addAllAttributes(config.attributes(index)).setVersion("simulated").build();
    this.channel = channel;
    this.stub = AgentChannelGrpc.newStub(channel).withExecutor(shard);
    this.counters = counters;
    this.listeners = listeners;
    this.firstRegistrations = firstRegistrations;
  }

  // ---------------------------------------------------------------- controls (on the shard)

  SimLinkState state() {
    return state;
  }

  String agentId() {
    return agentId;
  }

  /** Reconnects at once when waiting out the reconnect backoff (which starts over); a no-op otherwise. */
  private void reconnectNow() {
    shard.assertInShard();
    if (state == SimLinkState.DISCONNECTED) {
      backoffMillis = INITIAL_BACKOFF_MILLIS;
      connect(); // the backoff's scheduled attempt is stale from now on
    }
  }

  /**
   * The channel became ready: a disconnected agent reconnects after {@code delay}, unless it has connected
   * (or dropped again) meanwhile.
   */
  void channelReady(Duration delay) {
    shard.assertInShard();
    if (state == SimLinkState.DISCONNECTED) {
      long gen = generation;
      shard.schedule(delay, () -> {
        if (gen == generation) {
          reconnectNow();
        }
      });
    }
  }

  /** Opens a stream and registers; a no-op unless DISCONNECTED or OFFLINE. */
  void connect() {
    shard.assertInShard();
    if (state != SimLinkState.DISCONNECTED && state != SimLinkState.OFFLINE) {
      return;
    }
    move(SimLinkState.CONNECTING);
    counters.connects.increment();
    long gen = ++generation;
    try {
      stub.connect(new ClientResponseObserver<AgentMessage, MasterMessage>() {
        @Override
        public void beforeStart(ClientCallStreamObserver<AgentMessage> requests) {
          out = requests;
        }

        @Override
        public void onNext(MasterMessage message) {
          received(gen, message);
        }

        @Override
        public void onError(Throwable t) {
          dropped(gen);
        }

        @Override
        public void onCompleted() {
          dropped(gen);
        }
      });
      out.onNext(AgentMessage.newBuilder().setRegister(registration()).build());
    } catch (RuntimeException e) {
      dropped(gen);
    }
  }

  /** Cancels the stream as a crash or a partition would, and stays away until {@link #connect}. */
  void goOffline() {
    shard.assertInShard();
    if (state == SimLinkState.OFFLINE || state == SimLinkState.STOPPED) {
      return;
    }
    endStream(false);
    move(SimLinkState.OFFLINE);
  }

  /** Stops or resumes heartbeats; the stream stays open either way. */
  void heartbeats(boolean on) {
    shard.assertInShard();
    heartbeats = on;
  }

  /** Half-closes the stream and forgets everything; final. */
  void stop() {
    shard.assertInShard();
    if (state == SimLinkState.STOPPED) {
      return;
    }
    endStream(true);
    move(SimLinkState.STOPPED);
    forgetTasks();
  }

  /** The agent's tasks and their latest states, for tests. */
  Map<String, TaskState> taskStates() {
    shard.assertInShard();
    Map<String, TaskState> out = new LinkedHashMap<>();
    tasks.forEach((id, t) -> out.put(id, t.latest == null ? TaskState.TASK_STAGING : t.latest.getState()));
    return out;
  }

  /** Heartbeats and resends that are due; called by the shard every tick. */
  void tick(long now) {
    if (state != SimLinkState.REGISTERED) {
      return;
    }
    if (heartbeats && now - nextHeartbeatAt >= 0) {
      nextHeartbeatAt = now + heartbeatNanos;
      send(AgentMessage.newBuilder()
          .setHeartbeat(AgentHeartbeat.newBuilder().setSentAtMillis(config.clock().millis())).build());
    }
    if (pendingUpdates > 0 && now - nextResendAt >= 0) {
      resendStale(now);
    }
  }

  // ---------------------------------------------------------------- the stream

  private RegisterAgent registration() {
    RegisterAgent.Builder b = RegisterAgent.newBuilder().setInfo(info.toBuilder().setAgentId(agentId));
    for (SimTask t : tasks.values()) {
      TaskStatus latest = t.latest != null ? t.latest : status(t, TaskState.TASK_STAGING, StatusReason.REASON_UNSPECIFIED,
          "", "");
      b.addTasks(AgentTask.newBuilder().setTask(t.task).setFramework(t.framework).setLatestStatus(latest));
    }
    return b.build();
  }

  private void received(long gen, MasterMessage message) {
    if (gen != generation || state == SimLinkState.STOPPED || state == SimLinkState.OFFLINE) {
      return;
    }
    switch (message.getKindCase()) {
      case REGISTERED -> registered(message);
      case REJECTED -> {
        ClientCallStreamObserver<AgentMessage> stream = out;
        dropped(gen);
        if (stream != null) {
          stream.cancel("rejected by the master", null);
        }
      }
      case RUN_TASK -> {
        if (state == SimLinkState.REGISTERED) {
          runTask(message.getRunTask());
        }
      }
      case RUN_TASK_GROUP -> {
        if (state == SimLinkState.REGISTERED) {
          for (dev.corral.api.v1.TaskInfo task : message.getRunTaskGroup().getGroup().getTasksList()) {
            runTask(RunTask.newBuilder().setTask(task).setFramework(message.getRunTaskGroup().getFramework()).build());
          }
        }
      }
      case KILL_TASK -> {
        if (state == SimLinkState.REGISTERED) {
          killTask(message.getKillTask());
        }
      }
      case ACKNOWLEDGEMENT -> {
        if (state == SimLinkState.REGISTERED) {
          acknowledge(message.getAcknowledgement().getTaskId(), message.getAcknowledgement().getUuid());
        }
      }
      case SHUTDOWN -> {
        // The master removed this agent: its id and tasks mean nothing any more; a real agent stops.
        agentId = "";
        stop();
      }
      case HEARTBEAT, KIND_NOT_SET -> { }
    }
  }

  private void registered(MasterMessage message) {
    if (state != SimLinkState.CONNECTING) {
      return;
    }
    move(SimLinkState.REGISTERED);
    agentId = message.getRegistered().getAgentId();
    backoffMillis = INITIAL_BACKOFF_MILLIS;
    counters.registered.increment();
    counters.registrations.increment();
    if (!everRegistered) {
      everRegistered = true;
      firstRegistrations.countDown();
    }
    double seconds = message.getRegistered().getHeartbeatIntervalSeconds();
    heartbeatNanos = Duration.ofMillis(Math.max(50, Math.round((seconds > 0 ? seconds : 5) * 1000))).toNanos();
    long now = System.nanoTime();
    nextHeartbeatAt = now + heartbeatNanos;
    resendPending();
    nextResendAt = now + config.statusRetryInterval().toNanos();
  }

  private void dropped(long gen) {
    if (gen != generation || (state != SimLinkState.CONNECTING && state != SimLinkState.REGISTERED)) {
      return;
    }
    generation++; // whatever the old stream still says is stale from now on
    if (state == SimLinkState.REGISTERED) {
      counters.registered.decrement();
    }
    counters.disconnects.increment();
    out = null;
    move(SimLinkState.DISCONNECTED);
    retryAfterBackoff();
  }

  private void retryAfterBackoff() {
    long gen = generation; // a reconnect in between (reconnectNow) makes this attempt stale
    long delay = backoffMillis;
    backoffMillis = Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
    shard.schedule(Duration.ofMillis(delay), () -> retry(gen));
  }

  /**
   * A backoff attempt, as the real agent's link ({@code MasterLink}) makes it: a stream opened while the
   * channel is still connecting is held by gRPC and opens the moment the channel is ready, with every other
   * agent's that tried meanwhile, past the fleet's reconnect spread; so while the channel connects this
   * attempt only waits, and the ready channel's reconnect (or the next attempt) brings the agent back.
   */
  private void retry(long gen) {
    if (gen != generation || state != SimLinkState.DISCONNECTED) {
      return;
    }
    if (channelConnecting()) {
      retryAfterBackoff();
      return;
    }
    connect();
  }

  /** Whether the channel is connecting (or idle, asked to connect now): never for a plain {@link Channel}. */
  private boolean channelConnecting() {
    if (!(channel instanceof ManagedChannel managed)) {
      return false;
    }
    ConnectivityState now = managed.getState(true);
    return now == ConnectivityState.CONNECTING || now == ConnectivityState.IDLE;
  }

  /** Ends the current stream, if any: half-close (what was sent still arrives) or cancel. */
  private void endStream(boolean gracefully) {
    ClientCallStreamObserver<AgentMessage> stream = out;
    if (state == SimLinkState.REGISTERED) {
      counters.registered.decrement();
    }
    generation++;
    out = null;
    if (stream != null && (state == SimLinkState.CONNECTING || state == SimLinkState.REGISTERED)) {
      try {
        if (gracefully) {
          stream.onCompleted();
        } else {
          stream.cancel("simulated agent goes offline", null);
        }
      } catch (RuntimeException e) {
        // the call already ended
      }
    }
  }

  private boolean send(AgentMessage message) {
    if (state != SimLinkState.REGISTERED || out == null) {
      return false;
    }
    try {
      out.onNext(message);
      return true;
    } catch (RuntimeException e) {
      return false; // the call ended under us; its onError reconnects
    }
  }

  // ---------------------------------------------------------------- tasks

  private void runTask(RunTask run) {
    TaskInfo task = run.getTask();
    String id = task.getTaskId();
    if (tasks.containsKey(id)) {
      return; // a repeated RunTask, as the real agent treats it
    }
    String frameworkId = task.getFrameworkId().isEmpty() ? run.getFramework().getFrameworkId() : task.getFrameworkId();
    // Sized now (protobuf memoizes it): a re-registration serializes every task an agent holds, and a whole
    // fleet re-registers at once after a failover, on the shard threads beside the master under test. A real
    // agent pays that on its own machine; here it would hold back every agent's answers on the shard.
    task.getSerializedSize();
    run.getFramework().getSerializedSize();
    SimTask t = new SimTask(task, run.getFramework(), frameworkId);
    tasks.put(id, t);
    counters.tasks.increment();
    counters.launched.increment();
    if (config.reportStarting()) {
      update(t, TaskState.TASK_STARTING, StatusReason.REASON_UNSPECIFIED, "");
    }
    if (config.launchToRunning().isZero()) {
      finishLaunch(t);
    } else {
      t.launch = shard.schedule(config.launchToRunning(), () -> finishLaunch(t));
    }
  }

  private void finishLaunch(SimTask t) {
    if (tasks.get(t.id()) != t || state == SimLinkState.STOPPED) {
      return;
    }
    t.launch = null;
    if (fails(t.id())) {
      counters.failed.increment();
      update(t, TaskState.TASK_FAILED, StatusReason.REASON_COMMAND_EXITED, "Command exited with status 1 (simulated)");
    } else {
      counters.running.increment();
      update(t, TaskState.TASK_RUNNING, StatusReason.REASON_UNSPECIFIED, "");
    }
  }

  /** The same task id always gets the same answer, so a run can be repeated; its replacement draws anew. */
  private boolean fails(String taskId) {
    double fraction = config.failureFraction();
    if (fraction <= 0) {
      return false;
    }
    long h = taskId.hashCode() * 0x9E3779B97F4A7C15L;
    double draw = (h >>> 11) * 0x1.0p-53;
    return draw < fraction;
  }

  private void killTask(KillTask kill) {
    SimTask t = tasks.get(kill.getTaskId());
    if (t == null) {
      // As the real agent answers: the task is not here. Not acknowledged (no uuid).
      TaskStatus lost = TaskStatus.newBuilder().setTaskId(kill.getTaskId()).setFrameworkId(kill.getFrameworkId())
          .setAgentId(agentId).setState(TaskState.TASK_LOST).setReason(StatusReason.REASON_TASK_UNKNOWN)
          .setSource(StatusSource.SOURCE_AGENT).setMessage("task is not known to this agent")
          .setTimestampMillis(config.clock().millis()).build();
      send(AgentMessage.newBuilder().setStatusUpdate(StatusUpdate.newBuilder().setStatus(lost)).build());
      return;
    }
    if (t.latest != null && TaskLifecycle.isTerminal(t.latest.getState())) {
      return; // already ended; its terminal update is on its way
    }
    if (t.launch != null) {
      t.launch.cancel(false);
      t.launch = null;
    }
    counters.killed.increment();
    update(t, TaskState.TASK_KILLED, StatusReason.REASON_TASK_KILLED, "Task killed on request");
  }

  private void acknowledge(String taskId, String uuid) {
    SimTask t = tasks.get(taskId);
    if (t == null) {
      return;
    }
    for (Iterator<TaskStatus> it = t.pending.iterator(); it.hasNext(); ) {
      TaskStatus u = it.next();
      if (u.getUuid().equals(uuid)) {
        it.remove();
        t.retryNanos = 0;
        pendingUpdates--;
        counters.acknowledged.increment();
        for (StatusListener l : listeners) {
          l.acknowledged(u);
        }
        if (TaskLifecycle.isTerminal(u.getState())) {
          forget(t);
        }
        return;
      }
    }
  }

  /** Records a new update that must be acknowledged and sends it (if disconnected, it goes on registration). */
  private void update(SimTask t, TaskState state, StatusReason reason, String message) {
    TaskStatus status = status(t, state, reason, message, shard.uuid());
    if (state == TaskState.TASK_FAILED) {
      status = status.toBuilder().setExitStatus(1).build();
    }
    t.latest = status;
    t.pending.add(status);
    t.lastSentNanos = System.nanoTime();
    t.retryNanos = 0;
    pendingUpdates++;
    for (StatusListener l : listeners) {
      l.sent(status);
    }
    send(AgentMessage.newBuilder().setStatusUpdate(StatusUpdate.newBuilder().setStatus(status)).build());
  }

  private TaskStatus status(SimTask t, TaskState state, StatusReason reason, String message, String uuid) {
    return TaskStatus.newBuilder().setTaskId(t.id()).setFrameworkId(t.frameworkId).setAgentId(agentId)
        .setState(state).setReason(reason).setMessage(message).setSource(StatusSource.SOURCE_AGENT)
        .setTimestampMillis(config.clock().millis()).setUuid(uuid).build();
  }

  /** Sends every unacknowledged update again, in order per task: after a registration the master may have none. */
  private void resendPending() {
    nextResendAt = System.nanoTime() + config.statusRetryInterval().toNanos();
    if (pendingUpdates == 0) {
      return;
    }
    for (SimTask t : tasks.values()) {
      t.retryNanos = 0;
      for (TaskStatus u : t.pending) {
        if (!resend(t, u)) {
          return;
        }
      }
    }
  }

  /**
   * The retry timer, as the real agent's: a task's oldest update goes again once it has waited unanswered for
   * the retry interval, then twice as long each time, up to 60 intervals. Updates sent moments ago are spared,
   * or every burst of launches would be sent twice (the timer runs on its own beat).
   */
  private void resendStale(long now) {
    long base = config.statusRetryInterval().toNanos();
    nextResendAt = now + base;
    for (SimTask t : tasks.values()) {
      long wait = t.retryNanos == 0 ? base : t.retryNanos;
      if (t.pending.isEmpty() || now - t.lastSentNanos < wait) {
        continue;
      }
      if (!resend(t, t.pending.peekFirst())) {
        return;
      }
      t.retryNanos = Math.min(wait * 2, base * MAX_RETRY_FACTOR);
    }
  }

  private boolean resend(SimTask t, TaskStatus u) {
    t.lastSentNanos = System.nanoTime();
    // agent ids are assigned on the first registration; updates made before it carry none
    TaskStatus s = u.getAgentId().equals(agentId) ? u : u.toBuilder().setAgentId(agentId).build();
    if (!send(AgentMessage.newBuilder().setStatusUpdate(StatusUpdate.newBuilder().setStatus(s)).build())) {
      return false;
    }
    counters.resent.increment();
    return true;
  }

  private void forget(SimTask t) {
    tasks.remove(t.id());
    counters.tasks.decrement();
  }

  private void forgetTasks() {
    for (SimTask t : new ArrayList<>(tasks.values())) {
      if (t.launch != null) {
        t.launch.cancel(false);
      }
      pendingUpdates -= t.pending.size();
      forget(t);
    }
  }

  private void move(SimLinkState next) {
    state = SimLinkState.TRANSITIONS.check(state, next);
  }
}
