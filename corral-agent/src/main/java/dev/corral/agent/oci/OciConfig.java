package dev.corral.agent.oci;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.agent.cgroups.CgroupLimits;
import dev.corral.agent.gpu.GpuDevices;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;

/**
 * Renders a task's OCI runtime {@code config.json} (runtime-spec 1.0): for a task without an image the
 * host's root filesystem, recursively read-only, is the container's root; with an image, the image's root
 * filesystem (an overlay the containerizer mounted on {@code rootfs/}), with the sandbox also at
 * {@link #SANDBOX_IN_IMAGE} and the host's {@code /etc/resolv.conf} and {@code /etc/hosts}. Pure; tests read
 * its output.
 *
 * <p>What is isolated: pid, mount, ipc and uts namespaces; cgroup limits (cpu shares and CFS quota, memory
 * with swap off, pids); devices (deny all but the standard set); a fresh {@code /proc}, {@code /dev} and
 * {@code /tmp}; the capability set Docker gives by default. What is shared with the host: the network
 * namespace, so ports work as for process tasks, and therefore {@code /sys}, which the kernel only lets a
 * new network namespace mount afresh: it is the host's, bound recursively read-only. The sandbox is mounted
 * writable at its host path, so {@code MESOS_SANDBOX}, stdout and stderr mean the same inside and out.
 */
public final class OciConfig {
  /** The root is an empty directory in the bundle; the host's {@code /} is bound onto it (see below). */
  public static final String ROOTFS = "rootfs";
  /** The sandbox's second mount point in a container with an image, as with Mesos. */
  public static final String SANDBOX_IN_IMAGE = "/mnt/mesos/sandbox";
  /** Docker's default capability set: what ordinary programs run as root expect to have. */
  static final List<String> CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
      "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
  /** Character devices every container gets: null, zero, full, random, urandom, tty, console, ptmx, pts. */
  private static final List<int[]> ALLOWED_CHAR_DEVICES = List.of(new int[] {1, 3}, new int[] {1, 5},
      new int[] {1, 7}, new int[] {1, 8}, new int[] {1, 9}, new int[] {5, 0}, new int[] {5, 1}, new int[] {5, 2},
      new int[] {136, -1});
  private static final List<String> MASKED = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
      "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
      "/sys/firmware");
  private static final List<String> READONLY = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
      "/proc/sysrq-trigger");

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private OciConfig() {}

  public static ObjectNode render(ContainerSpec spec) {
    ObjectNode root = F.objectNode();
    root.put("ociVersion", "1.0.2");
    root.set("process", process(spec));
    // Not "/" itself: binding the host root onto an empty directory keeps host paths (the sandbox, the
    // bind sources) reachable while the runtime mounts, and lets "rro" make every submount read-only too.
    root.putObject("root").put("path", ROOTFS).put("readonly", false);
    root.put("hostname", spec.hostname());
    root.set("mounts", mounts(spec));
    root.set("linux", linux(spec));
    return root;
  }

  private static ObjectNode process(ContainerSpec spec) {
    ObjectNode p = F.objectNode();
    p.put("terminal", false);
    p.putObject("user").put("uid", spec.uid()).put("gid", spec.gid());
    ArrayNode args = p.putArray("args");
    spec.args().forEach(args::add);
    ArrayNode env = p.putArray("env");
    new TreeMap<>(spec.env()).forEach((k, v) -> env.add(k + "=" + v));
    p.put("cwd", spec.cwd().toString());
    setCapabilities(p, CAPABILITIES);
    p.put("noNewPrivileges", false);
    return p;
  }

  private static ArrayNode mounts(ContainerSpec spec) {
    ArrayNode m = F.arrayNode();
    // Order matters: the root bind first, then the fresh filesystems over it, the sandbox last.
    if (!spec.imageRoot()) {
      mount(m, "/", "bind", "/", "rbind", "rro");
    }
    mount(m, "/proc", "proc", "proc", "nosuid", "noexec", "nodev");
    mount(m, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
    mount(m, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620",
        "gid=5");
    mount(m, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k");
    mount(m, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
    mount(m, "/sys", "bind", "/sys", "rbind", "nosuid", "noexec", "nodev", "rro");
    mount(m, "/tmp", "tmpfs", "tmpfs", "nosuid", "nodev", "mode=1777");
    if (spec.resolvConf() != null) {
      mount(m, "/etc/resolv.conf", "bind", spec.resolvConf().toString(), "bind", "ro");
    }
    String sandbox = spec.sandbox().toString();
    mount(m, sandbox, "bind", sandbox, "rbind", "rw");
    if (spec.imageRoot()) {
      // where Mesos puts the sandbox in image containers; and the host's name resolution, as the network is
      // the host's
      mount(m, SANDBOX_IN_IMAGE, "bind", sandbox, "rbind", "rw");
      for (String file : List.of("/etc/resolv.conf", "/etc/hosts")) {
        boolean ours = file.equals("/etc/resolv.conf") && spec.resolvConf() != null; // mounted above
        if (!ours && java.nio.file.Files.isRegularFile(Path.of(file))) {
          mount(m, file, "bind", file, "bind", "ro");
        }
      }
    }
    return m;
  }

  private static void mount(ArrayNode mounts, String destination, String type, String source, String... options) {
    ObjectNode o = mounts.addObject();
    o.put("destination", destination).put("type", type).put("source", source);
    ArrayNode opts = o.putArray("options");
    for (String option : options) {
      opts.add(option);
    }
  }

  private static ObjectNode linux(ContainerSpec spec) {
    ObjectNode l = F.objectNode();
    ArrayNode ns = l.putArray("namespaces");
    for (String type : List.of("pid", "mount", "ipc", "uts")) {
      ns.addObject().put("type", type); // no "network": tasks share the host's, as process tasks do
    }
    l.put("cgroupsPath", spec.cgroupsPath());
    ObjectNode resources = resources(spec.limits(), spec.swapAccounting());
    l.set("resources", resources);
    // the task's own GPUs only: their nodes are created in its /dev and allowed; other GPUs do not exist there
    List<GpuDevices.Node> gpuNodes = GpuDevices.forTask(spec.env(), Path.of("/dev"));
    if (!gpuNodes.isEmpty()) {
      ArrayNode devices = l.putArray("devices");
      for (GpuDevices.Node n : gpuNodes) {
        devices.addObject().put("path", n.path()).put("type", "c").put("major", n.major()).put("minor", n.minor())
            .put("fileMode", 0666).put("uid", 0).put("gid", 0);
        ((ArrayNode) resources.get("devices")).addObject().put("allow", true).put("type", "c")
            .put("major", n.major()).put("minor", n.minor()).put("access", "rwm");
      }
    }
    ArrayNode masked = l.putArray("maskedPaths");
    MASKED.forEach(masked::add);
    ArrayNode readonly = l.putArray("readonlyPaths");
    READONLY.forEach(readonly::add);
    return l;
  }

  /**
   * The docker run options a task carries ({@code ContainerInfo}, from Marathon's docker.parameters):
   * capabilities added to or dropped from Docker's default set ({@code ALL} for every one), resource limits,
   * and the size of {@code /dev/shm}. The hostname and working directory go into the spec itself.
   */
  public static void applyOptions(ObjectNode config, dev.corral.api.v1.ContainerInfo options) {
    ObjectNode process = (ObjectNode) config.path("process");
    if (options.getPrivileged()) {
      privileged(config);
    }
    if (options.getCapAddCount() > 0 || options.getCapDropCount() > 0) {
      // from what the container has so far: Docker's default set, or a privileged container's all
      java.util.Set<String> caps = new java.util.LinkedHashSet<>(
          options.getPrivileged() ? agentCapabilities() : CAPABILITIES);
      if (options.getCapAddList().contains(dev.corral.api.ContainerOptions.ALL)) {
        caps.addAll(agentCapabilities());
      } else {
        caps.addAll(options.getCapAddList());
      }
      if (options.getCapDropList().contains(dev.corral.api.ContainerOptions.ALL)) {
        caps.retainAll(options.getCapAddList());
      } else {
        options.getCapDropList().forEach(caps::remove);
      }
      setCapabilities(process, caps);
    }
    if (options.getRlimitsCount() > 0) {
      ArrayNode limits = process.putArray("rlimits");
      for (dev.corral.api.v1.Rlimit r : options.getRlimitsList()) {
        // uint64: -1 (unlimited) is RLIM_INFINITY
        limits.addObject().put("type", r.getType())
            .put("hard", new java.math.BigInteger(Long.toUnsignedString(r.getHard())))
            .put("soft", new java.math.BigInteger(Long.toUnsignedString(r.getSoft())));
      }
    }
    if (options.getShmSizeBytes() > 0) {
      for (com.fasterxml.jackson.databind.JsonNode m : config.path("mounts")) {
        if (m.path("destination").asText().equals("/dev/shm")) {
          ArrayNode opts = ((ObjectNode) m).putArray("options");
          List.of("nosuid", "noexec", "nodev", "mode=1777").forEach(opts::add);
          opts.add("size=" + options.getShmSizeBytes());
        }
      }
    }
  }

  /**
   * A privileged container, as Docker makes one: every capability, every device allowed and the host's
   * {@code /dev} bound in (the container's pts, shm and mqueue still mount over it), {@code /sys} writable,
   * no masked or read-only paths. Still its own pid, mount, ipc and uts namespaces and cgroup limits.
   */
  private static void privileged(ObjectNode config) {
    setCapabilities((ObjectNode) config.path("process"), agentCapabilities());
    for (com.fasterxml.jackson.databind.JsonNode m : config.path("mounts")) {
      ObjectNode mount = (ObjectNode) m;
      String destination = mount.path("destination").asText();
      if (destination.equals("/dev")) {
        mount.put("type", "bind").put("source", "/dev");
        mount.putArray("options").add("rbind").add("rw");
      } else if (destination.equals("/sys")) {
        mount.putArray("options").add("rbind").add("rw");
      }
    }
    ObjectNode linux = (ObjectNode) config.path("linux");
    linux.putArray("maskedPaths");
    linux.putArray("readonlyPaths");
    ArrayNode devices = ((ObjectNode) linux.path("resources")).putArray("devices");
    devices.addObject().put("allow", true).put("access", "rwm");
  }

  /** The process's bounding, effective and permitted capability sets, all {@code caps}. */
  private static void setCapabilities(ObjectNode process, java.util.Collection<String> caps) {
    ObjectNode sets = process.putObject("capabilities");
    for (String set : List.of("bounding", "effective", "permitted")) {
      ArrayNode a = sets.putArray(set);
      caps.forEach(a::add);
    }
  }

  /**
   * Every capability the agent itself may hand on (its bounding set): "all" for a privileged container or
   * {@code cap-add ALL}, as Docker does; a capability the host withholds would fail the container's start.
   */
  static List<String> agentCapabilities() {
    try {
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("CapBnd:")) {
          return dev.corral.api.ContainerOptions.fromMask(line.substring("CapBnd:".length()));
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      // fall through: Docker's default set is safe to ask for
    }
    return CAPABILITIES;
  }

  /** Adds bind mounts (the task's volumes) after the others, so they may sit inside the sandbox. */
  public static void addBinds(ObjectNode config, java.util.List<dev.corral.agent.containerizer.GroupVolumes.Bind> binds) {
    ArrayNode mounts = (ArrayNode) config.path("mounts");
    for (dev.corral.agent.containerizer.GroupVolumes.Bind b : binds) {
      mount(mounts, b.destination(), "bind", b.source().toString(), "rbind", b.readOnly() ? "ro" : "rw");
    }
  }

  /**
   * Puts the container into a network namespace the agent made ({@link dev.corral.agent.net.ContainerNetworks})
   * instead of the host's. {@code /sys} stays the host's read-only bind, which any namespace may mount.
   */
  public static void joinNetwork(ObjectNode config, Path netns) {
    ((ArrayNode) config.path("linux").path("namespaces")).addObject().put("type", "network")
        .put("path", netns.toString());
  }

  static ObjectNode resources(CgroupLimits limits, boolean swapAccounting) {
    ObjectNode r = F.objectNode();
    ArrayNode devices = r.putArray("devices");
    devices.addObject().put("allow", false).put("access", "rwm");
    devices.addObject().put("allow", true).put("type", "c").put("access", "m"); // mknod, not use
    devices.addObject().put("allow", true).put("type", "b").put("access", "m");
    for (int[] d : ALLOWED_CHAR_DEVICES) {
      ObjectNode o = devices.addObject().put("allow", true).put("type", "c").put("major", d[0]);
      if (d[1] >= 0) {
        o.put("minor", d[1]);
      }
      o.put("access", "rwm");
    }
    if (limits.cpus() > 0) {
      r.putObject("cpu").put("shares", limits.cpuShares()).put("quota", limits.cfsQuotaUs())
          .put("period", CgroupLimits.CFS_PERIOD_US);
    }
    if (limits.memMb() > 0) {
      ObjectNode mem = r.putObject("memory").put("limit", limits.memBytes());
      if (swapAccounting) {
        mem.put("swap", limits.memBytes()); // memory+swap equal to memory: no swapping past the limit
      }
    }
    if (limits.pidsMax() > 0) {
      r.putObject("pids").put("limit", limits.pidsMax());
    }
    return r;
  }
}
