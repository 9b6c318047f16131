package dev.corral.agent.oci;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.agent.cgroups.CgroupLimits;
import dev.corral.agent.cgroups.Cgroups;
import dev.corral.agent.cgroups.TaskCgroup;
import dev.corral.agent.containerizer.GroupVolumes;
import dev.corral.agent.containerizer.Containerizer;
import dev.corral.agent.containerizer.ExitFacts;
import dev.corral.agent.containerizer.HostTools;
import dev.corral.agent.containerizer.LaunchException;
import dev.corral.agent.containerizer.LaunchRequest;
import dev.corral.agent.containerizer.Launched;
import dev.corral.agent.containerizer.MonitorStart;
import dev.corral.agent.containerizer.PosixUser;
import dev.corral.agent.containerizer.ProcStat;
import dev.corral.agent.containerizer.ProcessContainerizer;
import dev.corral.agent.containerizer.TaskCommand;
import dev.corral.agent.containerizer.TaskPids;
import dev.corral.agent.image.Image;
import dev.corral.agent.image.ImageException;
import dev.corral.agent.image.ImageUse;
import dev.corral.agent.image.RootfsOverlay;
import dev.corral.agent.net.ContainerNetworks;
import dev.corral.api.v1.CommandInfo;
import dev.corral.api.v1.TaskInfo;
import dev.corral.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code oci} containerizer: runs each task in an OCI container driven by {@code runc} (or
 * {@code crun}), from a bundle it writes into the task's checkpoint directory ({@code META/bundle}).
 *
 * <p>Exit status across agent restarts. The runtime runs in the foreground ({@code runc run}, not
 * {@code --detach}) as the job of the same {@link dev.corral.agent.containerizer.MonitorScript} that
 * watches process tasks: runc stays the parent of the container's init and exits with its status (128+N
 * for signal N), and the monitor writes that to {@code META/exit_status}. So a container is, to the rest of
 * the agent, a task whose process is {@code runc}: the pids checkpoint, re-attaching after a restart
 * (monitor alive: still running), and the status of a container that ended while the agent was down
 * (monitor gone: read the file) all work unchanged, with no second mechanism to keep consistent. The
 * alternative, {@code runc run --detach --pid-file}, leaves the container's init without a parent that
 * waits for it: its status would be lost to whatever reaps it, which is exactly what the monitor avoids.
 *
 * <p>OOM: runc runs with {@code --keep}, so a stopped container keeps its cgroups until the agent has read
 * the OOM counter ({@code memory.oom_control} / {@code memory.events}); then {@code runc delete} removes
 * them. The container's cgroup path is the task's own ({@code /corral/TASK_ID}), the one the process
 * containerizer uses, so {@link TaskCgroup} reads and cleans it the same way. crun deletes a container as
 * soon as it exits, so with crun an OOM kill shows only as signal 9.
 *
 * <p>Kill: {@code runc kill ID TERM}; after the grace period {@code runc kill --all ID KILL}. The
 * container's init is {@link ContainerInit}, which passes TERM on to the command.
 *
 * <p>Images: a task with one gets the image's root filesystem as an overlay (the cached rootfs below, the
 * task's own layer above, see {@link RootfsOverlay}) and the image's command, environment, working
 * directory and user merged with the task's ({@link ImageBundle}). The pull happened before, in the fetch
 * step, which recorded the image in the task's checkpoint directory; the mount is undone when the exit is
 * collected.
 *
 * <p>Container networking: a task whose {@code TaskInfo.network} asks for a container network joins a
 * namespace made before the container starts and removed in {@link #collect} ({@link ContainerNetworks}).
 *
 * <p>Blocking, stateless and thread-safe, like every {@link Containerizer}.
 */
public final class OciContainerizer implements Containerizer {
  public static final String NAME = "oci";
  static final String BUNDLE = "bundle";
  private static final Logger log = LoggerFactory.getLogger(OciContainerizer.class);

  private final OciRuntime runtime;
  private final Cgroups cgroups;
  private final HostTools tools;
  private final Path monitorScript;
  private final String hostname;
  private final Map<String, String> agentEnv;
  private final boolean swapAccounting;
  private boolean allowPrivileged;
  private final Clock clock = Clock.systemUTC(); // only stamps an image's last use for the cache's LRU
  private final ContainerNetworks networks;
  private final Path resolvConf;

  public OciContainerizer(OciRuntime runtime, Cgroups cgroups, HostTools tools, Path monitorScript,
      String hostname, Map<String, String> agentEnv) {
    this(runtime, cgroups, tools, monitorScript, hostname, agentEnv, null, null);
  }

  /**
   * @param networks container networking; null: tasks that ask for it are not run here
   * @param resolvConf bound over each container's {@code /etc/resolv.conf}; null for the host's
   */
  public OciContainerizer(OciRuntime runtime, Cgroups cgroups, HostTools tools, Path monitorScript,
      String hostname, Map<String, String> agentEnv, ContainerNetworks networks, Path resolvConf) {
    if (!cgroups.enabled()) {
      throw new IllegalArgumentException("the oci containerizer needs cgroups: " + cgroups.describe());
    }
    this.runtime = runtime;
    this.cgroups = cgroups;
    this.tools = tools;
    this.monitorScript = monitorScript;
    this.hostname = hostname;
    this.agentEnv = Map.copyOf(agentEnv);
    this.swapAccounting = Files.exists(Path.of("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"));
    this.networks = networks;
    this.resolvConf = resolvConf;
  }

  public OciRuntime runtime() {
    return runtime;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Whether tasks may ask for privileged containers ({@code --allow-privileged}); off unless set. */
  public OciContainerizer allowPrivileged(boolean allow) {
    this.allowPrivileged = allow;
    return this;
  }

  @Override
  public String cannotRun(TaskInfo task) {
    boolean image = !task.getContainer().getImage().isEmpty();
    if (task.getCommand().getValue().isEmpty() && !image) {
      return "the task has no command";
    }
    if (task.getContainer().getPrivileged() && !allowPrivileged) {
      return "privileged containers are off on this agent (start it with --allow-privileged)";
    }
    return ContainerNetworks.wanted(task) && networks == null ? "container networking is off on this agent" : null;
  }

  @Override
  public boolean ran(Path metaDir) {
    return Files.isDirectory(metaDir.resolve(BUNDLE));
  }

  @Override
  public String describeIsolation() {
    return runtime.name() + "; pid, mount, ipc, uts namespaces; " + cgroups.describe();
  }

  @Override
  public TaskCgroup cgroupOf(String taskId) {
    return cgroups.existing(taskId);
  }

  @Override
  public Launched launch(LaunchRequest req) throws LaunchException {
    TaskInfo task = req.task();
    CommandInfo command = task.getCommand();
    String id = ContainerIds.of(task.getTaskId());
    TaskCgroup cgroup = cgroups.existing(task.getTaskId());
    Path bundle = req.metaDir().resolve(BUNDLE);
    Image image = null;
    ContainerNetworks.Attachment net = null;
    try {
      Files.deleteIfExists(req.metaDir().resolve("exit_status"));
      net = attach(task, id, req.metaDir());
      if (task.getContainer().getImage().isEmpty()) {
        PosixUser user = resolveUser(command.getUser(), req.sandbox());
        writeBundle(bundle, req, user, cgroup, net);
      } else {
        image = ImageUse.pulled(req.metaDir()).orElseThrow(
            () -> new LaunchException("the image " + task.getContainer().getImage() + " was not pulled"));
        ImageUse.acquire(image, id, clock.instant());
        RootfsOverlay.mount(image.rootfs(), overlayDir(id), bundle.resolve(OciConfig.ROOTFS));
        ImageBundle.write(bundle, req, image, agentEnv, hostname, cgroupsPath(cgroup), swapAccounting,
            net == null ? null : net.netnsPath(), resolvConf);
      }
    } catch (IOException | ImageException e) {
      releaseImage(id, bundle, image);
      detach(task.getTaskId(), id, req.metaDir());
      throw new LaunchException((image == null ? "cannot write the OCI bundle: " : "cannot run the image: ")
          + e.getMessage(), e);
    } catch (LaunchException e) {
      releaseImage(id, bundle, image);
      detach(task.getTaskId(), id, req.metaDir());
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      releaseImage(id, bundle, image);
      detach(task.getTaskId(), id, req.metaDir());
      throw new LaunchException("interrupted while mounting the image");
    }
    ProcessBuilder pb = new ProcessBuilder(monitorArgv(req, bundle, id));
    pb.directory(req.sandbox().toFile());
    pb.environment().clear();
    // runc needs nothing from the agent's environment; the task's own is in config.json
    pb.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    try {
      Launched launched = MonitorStart.start(pb, req.sandbox(), cgroup, NAME);
      return net == null ? launched : new Launched(launched.pids(), launched.monitor(), launched.cgroup(),
          launched.containerizer(), List.of(net.address()));
    } catch (LaunchException | RuntimeException e) {
      runtime.delete(id);
      cgroup.destroy();
      releaseImage(id, bundle, image);
      detach(task.getTaskId(), id, req.metaDir());
      throw e;
    }
  }

  /** Per-container overlay layers, under the work dir: task ids may hold ':', which overlay options cannot. */
  private Path overlayDir(String containerId) {
    return runtime.stateRoot().resolveSibling("overlays").resolve(containerId);
  }

  /** Unmounts the task's image root and lets the image cache remove the image again; logs what fails. */
  private void releaseImage(String id, Path bundle, Image image) {
    if (image == null) {
      return;
    }
    try {
      RootfsOverlay.unmount(bundle.resolve(OciConfig.ROOTFS), overlayDir(id));
      ImageUse.release(image.dir(), id);
    } catch (IOException e) {
      log.warn("cannot release the image root of {}: {}", id, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ContainerNetworks.Attachment attach(TaskInfo task, String id, Path metaDir) throws LaunchException {
    if (!ContainerNetworks.wanted(task)) {
      return null;
    }
    if (networks == null) {
      throw new LaunchException("container networking is off on this agent");
    }
    try {
      return networks.setUp(task, id, metaDir);
    } catch (IOException e) {
      throw new LaunchException("cannot set up the container network: " + e.getMessage(), e);
    }
  }

  private void detach(String taskId, String id, Path metaDir) {
    if (networks != null) {
      networks.tearDown(taskId, id, metaDir);
    }
  }

  private List<String> monitorArgv(LaunchRequest req, Path bundle, String id) {
    List<String> argv = new ArrayList<>(List.of(tools.bash(), monitorScript.toString(),
        req.metaDir().toString(), req.sandbox().toString()));
    argv.addAll(runtime.runArgv(bundle, id));
    return argv;
  }

  private void writeBundle(Path bundle, LaunchRequest req, PosixUser user, TaskCgroup cgroup,
      ContainerNetworks.Attachment net) throws IOException, LaunchException {
    TaskInfo task = req.task();
    String frameworkId = task.getFrameworkId().isEmpty()
        ? req.framework().getFrameworkId() : task.getFrameworkId();
    Map<String, String> env = TaskCommand.environment(agentEnv, task, frameworkId, req.agentId(), hostname,
        req.sandbox(), user, List.of());
    ContainerSpec spec = new ContainerSpec(ContainerInit.wrap(TaskCommand.command(task.getCommand())), env,
        req.sandbox(), user == null ? 0 : user.uid(), user == null ? 0 : user.gid(), hostname, req.sandbox(),
        cgroupsPath(cgroup), CgroupLimits.of(task.getResourcesList()), swapAccounting, false, resolvConf);
    Files.createDirectories(bundle.resolve(OciConfig.ROOTFS));
    ObjectNode config = OciConfig.render(spec);
    OciConfig.addBinds(config, GroupVolumes.prepare(task, req.sandbox(), false, null));
    if (net != null) {
      OciConfig.joinNetwork(config, net.netnsPath());
    }
    Json.mapper().writeValue(bundle.resolve("config.json").toFile(), config);
  }

  /**
   * The runtime's cgroup path for the task's own directories: each sits right under its hierarchy's
   * root ({@code ROOT/memory/corral/ID} on v1, {@code ROOT/corral.slice/ID} on v2), and an absolute
   * cgroups path is taken relative to that root by runc and crun alike.
   */
  static String cgroupsPath(TaskCgroup cgroup) throws LaunchException {
    if (cgroup.dirs().isEmpty()) {
      throw new LaunchException("the oci containerizer needs cgroups");
    }
    Path dir = cgroup.dirs().get(0);
    return "/" + dir.getParent().getFileName() + "/" + dir.getFileName();
  }

  private static PosixUser resolveUser(String name, Path sandbox) throws LaunchException {
    if (name.isEmpty()) {
      return null;
    }
    PosixUser user = PosixUser.lookup(name)
        .orElseThrow(() -> new LaunchException("user '" + name + "' does not exist on this agent"));
    try {
      Files.setAttribute(sandbox, "unix:uid", (int) user.uid());
      Files.setAttribute(sandbox, "unix:gid", (int) user.gid());
    } catch (IOException | RuntimeException e) {
      throw new LaunchException("cannot give the sandbox to user '" + name + "': " + e.getMessage(), e);
    }
    return user;
  }

  @Override
  public void terminate(String taskId, TaskPids pids) {
    signal(taskId, pids, "TERM", false);
  }

  @Override
  public void forceKill(String taskId, TaskPids pids, TaskCgroup cgroup) {
    signal(taskId, pids, "KILL", true);
    cgroup.killAll();
  }

  /**
   * Signals the container through the runtime. Right after a launch the runtime may not have created the
   * container yet (the monitor reports runc's pid before runc has set anything up); the wait, bounded and
   * only while runc lives, keeps a kill from being lost in that window.
   */
  private void signal(String taskId, TaskPids pids, String signal, boolean all) {
    String id = ContainerIds.of(taskId);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!runtime.exists(id)) {
      if (pids == null || !ProcStat.alive(pids.taskPid(), pids.taskStart()) || System.nanoTime() > deadline) {
        return;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // worker thread; runc is milliseconds away
    }
    if (!runtime.kill(id, signal, all)) {
      log.debug("{} kill {} {} refused (the container has likely stopped)", runtime.name(), id, signal);
    }
  }

  @Override
  public ExitFacts collect(String taskId, Path metaDir, TaskPids pids, TaskCgroup cgroup, boolean justEnded) {
    Integer status = ProcessContainerizer.readExitStatus(metaDir.resolve("exit_status"));
    boolean oom = cgroup.oomKilled(); // before the delete, which removes the cgroups
    String id = ContainerIds.of(taskId);
    OciRuntime.Result deleted = runtime.delete(id);
    if (deleted.exitCode() != 0 && runtime.exists(id)) {
      log.warn("{} delete {} failed: {}", runtime.name(), id, deleted.output());
    }
    cgroup.killAll();
    cgroup.destroy();
    try {
      releaseImage(id, metaDir.resolve(BUNDLE), ImageUse.pulled(metaDir).orElse(null));
    } catch (IOException e) {
      log.warn("cannot read the image record of {}: {}", taskId, e.getMessage());
    }
    detach(taskId, id, metaDir); // after the container is gone: nothing is left inside the namespace
    return new ExitFacts(status, oom);
  }

  /**
   * A COMMAND check runs inside the container: {@code nsenter} into the namespaces and root of the container's
   * process (found in the task's cgroups), {@code /bin/sh -c COMMAND} (images need not have bash) in its working
   * directory, with the task's environment.
   */
  @Override
  public ProcessBuilder checkProcess(TaskInfo task, String frameworkId, String agentId, Path sandbox,
      String command) {
    long target = containerProcess(cgroups.existing(task.getTaskId()));
    if (target <= 0) {
      throw new IllegalStateException("the container of " + task.getTaskId() + " has no process to check in");
    }
    ProcessBuilder pb = new ProcessBuilder("nsenter", "--target", Long.toString(target), "--mount", "--uts", "--ipc",
        "--net", "--pid", "--root", "--wd", "--", "/bin/sh", "-c", command);
    pb.environment().clear();
    pb.environment().putAll(TaskCommand.environment(agentEnv, task, frameworkId, agentId, hostname, sandbox, null,
        List.of()));
    return pb;
  }

  /** The first process of the task's cgroups in a mount namespace other than the agent's; 0 when none. */
  static long containerProcess(TaskCgroup cgroup) {
    for (long pid : new java.util.TreeSet<>(cgroup.pids())) {
      try {
        if (!Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "mnt"))
            .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")))) {
          return pid;
        }
      } catch (IOException e) {
        // ended meanwhile: try the next
      }
    }
    return 0;
  }
}
