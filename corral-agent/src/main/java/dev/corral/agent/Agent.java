package dev.corral.agent;

import dev.corral.agent.cgroups.CgroupDetector;
import dev.corral.agent.cgroups.Cgroups;
import dev.corral.agent.checkpoint.CheckpointStore;
import dev.corral.agent.containerizer.Containerizers;
import dev.corral.agent.containerizer.HostTools;
import dev.corral.agent.containerizer.MonitorScript;
import dev.corral.agent.containerizer.ProcessContainerizer;
import dev.corral.agent.exec.ExecApi;
import dev.corral.agent.exec.ProcessExecLauncher;
import dev.corral.agent.fetch.Fetcher;
import dev.corral.agent.files.AgentHttpServer;
import dev.corral.agent.files.AgentRoutes;
import dev.corral.agent.files.FilesApi;
import dev.corral.agent.files.FilesConfig;
import dev.corral.agent.files.LogRotator;
import dev.corral.agent.files.Sandboxes;
import dev.corral.agent.health.ProbeRunner;
import dev.corral.agent.metrics.AgentMetrics;
import dev.corral.agent.metrics.MetricsApi;
import dev.corral.agent.metrics.NodeSampler;
import dev.corral.agent.master.Backoff;
import dev.corral.agent.master.MasterLink;
import dev.corral.agent.tasks.SecretReader;
import dev.corral.api.v1.AgentChannelGrpc;
import dev.corral.api.v1.ReadSecretsReply;
import dev.corral.api.v1.ReadSecretsRequest;
import dev.corral.agent.resources.AttributeParser;
import dev.corral.agent.gpu.Gpu;
import dev.corral.agent.gpu.GpuAllocator;
import dev.corral.agent.gpu.GpuDevices;
import dev.corral.agent.cgroups.DeviceRule;
import dev.corral.agent.gpu.GpuDiscovery;
import dev.corral.agent.resources.ResourceDetector;
import dev.corral.agent.net.ContainerNetworks;
import dev.corral.agent.oci.ContainerizerSetup;
import dev.corral.agent.oci.ResolvConf;
import dev.corral.agent.tasks.Recovery;
import dev.corral.agent.tasks.RecoveredTask;
import dev.corral.agent.tasks.StatusFactory;
import dev.corral.agent.tasks.TaskSupervisor;
import dev.corral.api.ResourceSet;
import dev.corral.api.v1.AgentInfo;
import dev.corral.api.v1.AgentMessage;
import dev.corral.api.v1.AgentRegistered;
import dev.corral.api.v1.Attribute;
import dev.corral.api.v1.KillTask;
import dev.corral.api.v1.MasterMessage;
import dev.corral.api.v1.RegisterAgent;
import dev.corral.api.v1.Resource;
import dev.corral.api.v1.StatusUpdate;
import dev.corral.api.v1.TaskStatus;
import dev.corral.common.ThreadEventLoop;
import dev.corral.common.Version;
import io.grpc.Channel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Corral agent: runs the tasks the master sends it with its containerizers ({@code oci}, {@code process}), reports their
 * status at least once, and re-attaches to them after a restart.
 *
 * <p>Lifecycle: construct (detects the isolation, starts nothing), {@link #start()} (recovers the
 * checkpoint, then connects in the background), {@link #stop(boolean)} or {@link #close()}. One start per
 * instance; a restarted agent is a new instance on the same work dir.
 *
 * <p>Threading: the public methods are thread-safe. Inside, one event loop thread owns all mutable state
 * (the task table, the master stream); a pool of four workers spawns processes, sends signals, collects
 * exits and writes checkpoints, and hands results back to the loop; {@value #FETCH_THREADS} more fetch tasks'
 * artifacts ({@link Fetcher}) so that downloads never hold up launches. Health checks run on a few threads of
 * their own ({@link ProbeRunner}), at most {@value #MAX_CONCURRENT_CHECKS} probes at once.
 */
public final class Agent implements AutoCloseable {
  /**
   * How widely agents spread their re-registration with a newly elected master (Mesos agents wait a random
   * part of {@code --registration_backoff_factor}, 1 s, for the same reason): 10,000 agents all registering in
   * the same instant stalled a new leader on two cores long enough that it declared hundreds of them silent.
   */
  public static final Duration REREGISTRATION_SPREAD = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(Agent.class);
  private static final int WORKERS = 4;
  /** Health and readiness probes running at once, over all tasks; more wait their turn. */
  private static final int MAX_CONCURRENT_CHECKS = 32;
  /** Tasks fetching at once; more wait their turn, and tasks with nothing to fetch never wait. */
  private static final int FETCH_THREADS = 4;
  private static final Duration LOOP_CALL_TIMEOUT = Duration.ofSeconds(10);

  private final AgentConfig config;
  /** Tries of a task's secret read while the master is unavailable: 1 + 2 + 3 + 4 s between them. */
  private static final int SECRET_READ_ATTEMPTS = 5;
  private final Channel master;
  private final Clock clock;
  private final Cgroups cgroups;
  private final FilesConfig files;
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private volatile String agentId;
  private boolean startCalled; // guarded by this
  private boolean stopCalled; // guarded by this

  // created by start()
  private ThreadEventLoop loop;
  private ExecutorService workers;
  private ProbeRunner probes;
  private Fetcher fetcher;
  private ExecutorService fetchers;
  private CheckpointStore store;
  private TaskSupervisor supervisor;
  private MasterLink link;
  private List<Resource> resources;
  private GpuAllocator gpus;
  private List<Attribute> attributes;
  private volatile List<String> containerizers = List.of();
  private LogRotator rotator;
  private AgentHttpServer http;

  /** An agent that rotates logs with the defaults and serves no HTTP API. */
  public Agent(AgentConfig config, Channel master, Clock clock) {
    this(config, FilesConfig.noServer(), master, clock);
  }

  /** With the files and logs HTTP API and log rotation as {@code files} says. */
  public Agent(AgentConfig config, FilesConfig files, Channel master, Clock clock) {
    this.config = config;
    this.files = files;
    this.master = master;
    this.clock = clock;
    this.cgroups = CgroupDetector.detect(config.cgroupsEnabled());
  }

  /** Recovers the checkpoint (blocking, usually milliseconds), then connects and registers in the background. */
  public void start() {
    synchronized (this) {
      if (startCalled) {
        throw new IllegalStateException("an agent starts once; create a new one to restart");
      }
      startCalled = true;
    }
    List<Gpu> found = GpuDiscovery.discover();
    resources = ResourceDetector.resolve(config.resources(), config.workDir(), found.size());
    int offered = (int) ResourceSet.fromProto(resources).scalar("gpus");
    gpus = new GpuAllocator(found.subList(0, Math.min(found.size(), offered)));
    if (!found.isEmpty()) {
      log.info("GPUs: {}; offered: {}", found, gpus.all().size());
    }
    attributes = config.attributes() == null ? List.of() : AttributeParser.parse(config.attributes());
    store = new CheckpointStore(config.workDir());
    agentId = store.readAgentId().orElse(null);
    Containerizers containerizer;
    try {
      HostTools tools = HostTools.detect();
      Path monitorScript = MonitorScript.install(config.workDir().resolve("bin"));
      boolean root = CgroupDetector.isRoot();
      // every GPU found, offered or not, is kept from the process tasks that were not given it
      Path devDir = GpuDevices.hostDevDir();
      ProcessContainerizer process = new ProcessContainerizer(cgroups, tools, monitorScript, config.hostname(),
          root, System.getenv(), task -> GpuDevices.deniedFor(task.getCommand().getEnvironmentMap(), found, devDir)
              .stream().map(n -> new DeviceRule('c', n.major(), n.minor())).toList());
      containerizer = ContainerizerSetup.build(config.containerizers(), config.ociRuntime(), root, cgroups, tools,
          monitorScript, config.hostname(), System.getenv(), config.workDir(), process, store::taskDir,
          ContainerNetworks.forAgent(config.workDir(), config.containerNetwork()),
          ResolvConf.write(config.workDir(), config.dns()), config.allowPrivileged());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install the task monitor under " + config.workDir(), e);
    }
    containerizers = containerizer.names();
    workers = Executors.newFixedThreadPool(WORKERS, daemonThreads("agent-worker-"));
    probes = new ProbeRunner(MAX_CONCURRENT_CHECKS);
    fetcher = new Fetcher(config.fetcher(), config.workDir(), clock);
    fetchers = Executors.newFixedThreadPool(FETCH_THREADS, daemonThreads("agent-fetch-"));
    loop = new ThreadEventLoop("agent-loop", clock);
    StatusFactory statuses = new StatusFactory(clock);
    supervisor = new TaskSupervisor(loop, workers, containerizer, store, statuses, this::sendStatus,
        config.killGracePeriod(), () -> agentId == null ? "" : agentId, probes, fetcher, fetchers, gpus,
        this::readSecrets);
    link = new MasterLink(loop, master, new LinkHandler(), config.heartbeatInterval(), Backoff.standard(),
        REREGISTRATION_SPREAD);
    List<RecoveredTask> recovered;
    try {
      recovered = new Recovery(store, containerizer, statuses).recover(agentId == null ? "" : agentId, workers);
    } catch (RuntimeException e) {
      workers.shutdownNow();
      stopFetching();
      probes.close();
      loop.shutdown();
      supervisor = null; // stop() then has nothing to do
      throw e;
    }
    startFiles();
    log.info("agent starting: {} recovered task(s); containerizers: {}; resources: {}; HTTP: {}",
        recovered.size(), containerizer.describeIsolation(), ResourceSet.fromProto(resources), http == null ? "off" : "port " + http.port());
    loop.execute(() -> {
      supervisor.install(recovered);
      link.connect();
      scheduleStatusRetry();
    });
  }

  /** Log rotation and the files/logs HTTP API; before registration, which advertises the port. */
  private void startFiles() {
    TaskLookupOnLoop lookup = new TaskLookupOnLoop(loop, supervisor);
    Path sandboxes = config.workDir().resolve("sandboxes");
    rotator = new LogRotator(sandboxes, lookup, files);
    rotator.start();
    if (files.serves()) {
      try {
        ExecApi exec = new ExecApi(new ExecTasksOnLoop(loop, supervisor), new ProcessExecLauncher(HostTools.detect(),
            config.hostname(), CgroupDetector.isRoot(), System.getenv(), () -> agentId));
        http = AgentHttpServer.start(new FilesApi(new Sandboxes(sandboxes), lookup, rotator.rotations(), () -> agentId,
            files.agentLog()), List.of(AgentRoutes.of(metricsApi()::install), exec),
            files.bindAddress(), files.port(), files.secret());
      } catch (RuntimeException e) {
        rotator.close();
        workers.shutdownNow();
        probes.close();
        loop.shutdown();
        supervisor = null;
        throw e;
      }
    }
  }

  /** Node and container metrics, sampled when read; served beside the files API. */
  private MetricsApi metricsApi() {
    AgentMetrics metrics = new AgentMetrics(new NodeSampler(Path.of("/proc"), config.workDir()), cgroups,
        () -> agentId, config.hostname(), clock);
    return new MetricsApi(metrics, new ContainerLookupOnLoop(loop, supervisor));
  }

  /** The port of the files and logs HTTP API; -1 when the agent serves none. */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  /** The id the master assigned; null until the first registration (persisted afterwards). */
  public String agentId() {
    return agentId;
  }

  /** How tasks are isolated here, e.g. {@code cgroups v1 (cpu, memory, pids)}, or why they are not. */
  public String describeIsolation() {
    return cgroups.describe();
  }

  /** The containerizers in use, preferred first (e.g. {@code [oci, process]}); empty before {@link #start()}. */
  public List<String> containerizers() {
    return containerizers;
  }

  /** Completes when the agent has stopped, whether by {@link #stop} or by the master's ShutdownAgent. */
  public CompletableFuture<Void> whenStopped() {
    return stopped;
  }

  /**
   * Stops the agent. {@code killTasks=false} leaves every task running for the next agent on this work dir
   * (restart, upgrade); {@code true} kills them all (SIGTERM, SIGKILL after the grace period) and waits for
   * them to end and their terminal updates to be written. Idempotent.
   */
  public void stop(boolean killTasks) {
    synchronized (this) {
      if (stopCalled) {
        return;
      }
      stopCalled = true;
      if (!startCalled) {
        stopped.complete(null);
        return;
      }
    }
    if (loop == null || workers == null || supervisor == null) {
      stopped.complete(null); // start() failed before anything ran
      return;
    }
    try {
      if (killTasks) {
        Duration wait = config.killGracePeriod().plus(Duration.ofSeconds(30));
        onLoop(supervisor::killAll, LOOP_CALL_TIMEOUT).get(wait.toMillis(), TimeUnit.MILLISECONDS);
      }
      onLoop(() -> {
        link.close();
        return null;
      }, LOOP_CALL_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      log.warn("agent did not stop cleanly", e);
    } finally {
      stopFetching(); // a task still fetching is failed by the next agent ("agent restarted while fetching")
      workers.shutdown();
      try {
        // let in-flight launches finish their checkpoints so the next agent finds their tasks
        workers.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      loop.shutdown();
      probes.close();
      if (rotator != null) {
        rotator.close();
      }
      if (http != null) {
        http.close();
      }
      stopped.complete(null);
      log.info("agent stopped{}", killTasks ? " and its tasks killed" : "; tasks left running");
    }
  }

  /** Same as {@code stop(false)}: tasks keep running. */
  @Override
  public void close() {
    stop(false);
  }

  private void stopFetching() {
    fetchers.shutdownNow();
    fetcher.close();
  }

  private boolean sendStatus(TaskStatus status) {
    return link.send(AgentMessage.newBuilder().setStatusUpdate(StatusUpdate.newBuilder().setStatus(status)).build());
  }

  private void scheduleStatusRetry() {
    loop.schedule("status-retry", config.statusRetryInterval(), () -> {
      supervisor.resendOldestPending(config.statusRetryInterval());
      scheduleStatusRetry();
    });
  }

  /** Runs {@code work} on the loop and waits for its result. */
  private <T> T onLoop(Supplier<T> work, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.execute(() -> {
      try {
        result.complete(work.get());
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void shutdownByMaster(String reason) {
    log.warn("the master shut this agent down ({}); killing all tasks", reason);
    supervisor.killAll().whenComplete((ignored, error) -> loop.execute(() -> {
      // The master removed this agent: its id and its tasks' records mean nothing any more.
      supervisor.forgetAll();
      try {
        store.deleteAgentId();
      } catch (IOException e) {
        log.warn("cannot delete the agent id", e);
      }
      Thread t = new Thread(() -> stop(false), "agent-shutdown");
      t.setDaemon(true);
      t.start();
    }));
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Master messages, on the loop. */
  private final class LinkHandler implements MasterLink.Handler {
    @Override
    public RegisterAgent registration() {
      AgentInfo info = AgentInfo.newBuilder().setAgentId(agentId == null ? "" : agentId)
          .setHostname(config.hostname()).addAllResources(resources).addAllAttributes(attributes)
          .setVersion(Version.get()).setHttpPort(http == null ? 0 : http.port())
          .setHttpAddress(http == null || files.wildcard() ? "" : files.bindAddress()).build();
      return RegisterAgent.newBuilder().setInfo(info).addAllTasks(supervisor.snapshot()).build();
    }

    @Override
    public void onRegistered(AgentRegistered registered) {
      String id = registered.getAgentId();
      if (!id.equals(agentId)) {
        try {
          store.writeAgentId(id);
        } catch (IOException e) {
          log.error("cannot checkpoint agent id {}; a restart will register as a new agent", id, e);
        }
        agentId = id;
      }
      supervisor.resendPending();
    }

    @Override
    public void onMessage(MasterMessage message) {
      switch (message.getKindCase()) {
        case RUN_TASK:
          supervisor.runTask(message.getRunTask().getTask(), message.getRunTask().getFramework());
          break;
        case RUN_TASK_GROUP:
          supervisor.runTaskGroup(message.getRunTaskGroup().getGroup(), message.getRunTaskGroup().getFramework());
          break;
        case KILL_TASK:
          KillTask kill = message.getKillTask();
          Duration grace = kill.hasGracePeriodSeconds()
              ? Duration.ofMillis(Math.round(kill.getGracePeriodSeconds() * 1000)) : null;
          supervisor.killTask(kill.getTaskId(), kill.getFrameworkId(), grace);
          break;
        case ACKNOWLEDGEMENT:
          supervisor.acknowledge(message.getAcknowledgement().getTaskId(), message.getAcknowledgement().getUuid());
          break;
        case SHUTDOWN:
          shutdownByMaster(message.getShutdown().getReason());
          break;
        case VOLUMES:
          Set<String> kept = new HashSet<>();
          message.getVolumes().getVolumesList().forEach(v -> kept.add(v.getPersistenceId()));
          workers.execute(() -> PersistentVolumeSweep.keepOnly(config.workDir(), kept));
          break;
        default:
          break; // master heartbeats need no answer
      }
    }
  }

  /**
   * A task's secrets, asked of the leading master on a fetch thread (the master checks the task is ours). A
   * master that cannot answer now (a leader change) is asked again, a few times over some seconds; a refusal
   * is final.
   */
  private Map<String, byte[]> readSecrets(String taskId) throws SecretReader.SecretException {
    for (int attempt = 1; ; attempt++) {
      try {
        ReadSecretsReply reply = AgentChannelGrpc.newBlockingStub(master).withDeadlineAfter(30, TimeUnit.SECONDS)
            .readSecrets(ReadSecretsRequest.newBuilder().setAgentId(agentId == null ? "" : agentId)
                .setTaskId(taskId).build());
        Map<String, byte[]> out = new java.util.HashMap<>();
        reply.getValuesMap().forEach((path, value) -> out.put(path, value.toByteArray()));
        return out;
      } catch (io.grpc.StatusRuntimeException e) {
        io.grpc.Status.Code code = e.getStatus().getCode();
        if (code == io.grpc.Status.Code.UNAVAILABLE && attempt < SECRET_READ_ATTEMPTS) {
          try {
            Thread.sleep(1_000L * attempt);
            continue;
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
          }
        }
        throw new SecretReader.SecretException("cannot read the task's secrets from the master: " + code
            + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription()), e);
      }
    }
  }
}
