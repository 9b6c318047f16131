package dev.corral.agent.net;

import dev.corral.api.v1.NetworkInfo;
import dev.corral.api.v1.TaskInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up and removes the network of tasks with a container network ({@link NetworkInfo.Mode#MODE_CONTAINER}).
 *
 * <p>The namespace is made by the agent with {@code ip netns add} (a bind mount under {@code /run/netns}),
 * not by the runtime: it is complete (address, routes, port rules) before the container starts, so a task
 * never runs without its network and no runtime hook is needed; the runtime joins it by path
 * ({@code linux.namespaces: [{type: network, path}]}). It outlives {@code runc delete} and agent restarts
 * alike, and its name, derived from the task id, is all teardown needs.
 *
 * <p>Per task: an address leased from {@link AddressLeases}, recorded in the task's checkpoint directory
 * ({@value #ADDRESS_FILE}) so that teardown, after an agent restart too, knows what to release; a veth pair
 * with one end on {@link Bridge#NAME} and the other as {@code eth0} in the namespace; DNAT rules for the port
 * mappings ({@link PortRules}). Two {@code ip -batch} runs and one {@code iptables-restore --noflush} do it.
 *
 * <p>Blocking; stateless per task and safe to call from several worker threads.
 */
public final class ContainerNetworks {
  public static final String ADDRESS_FILE = "net_address";
  private static final Logger log = LoggerFactory.getLogger(ContainerNetworks.class);

  /** The member file of a task of a group: names its group, which owns the namespace. */
  public static final String GROUP_FILE = "net_group";

  private final Bridge bridge;
  private final AddressLeases leases;
  /** Members of each task group's shared namespace: {@code DIR/GROUP/TASK} marker files (they survive restarts). */
  private final Path groups;
  private final java.util.concurrent.ConcurrentHashMap<String, Object> groupLocks =
      new java.util.concurrent.ConcurrentHashMap<>();

  public ContainerNetworks(Bridge bridge, AddressLeases leases) {
    this(bridge, leases, null);
  }

  public ContainerNetworks(Bridge bridge, AddressLeases leases, Path groups) {
    this.bridge = bridge;
    this.leases = leases;
    this.groups = groups;
  }

  /**
   * The networks of an agent: addresses from {@code cidr}, leases under {@code WORK/net/leases}. Makes
   * nothing on the host until the first task asks for a container network.
   */
  public static ContainerNetworks forAgent(Path workDir, String cidr) {
    Subnet subnet = Subnet.parse(cidr);
    return new ContainerNetworks(new Bridge(subnet), new AddressLeases(workDir.resolve("net/leases"), subnet),
        workDir.resolve("net/groups"));
  }

  /** Whether the task asks for a network of its own. */
  public static boolean wanted(TaskInfo task) {
    return task.hasNetwork() && task.getNetwork().getMode() == NetworkInfo.Mode.MODE_CONTAINER;
  }

  /** What a container joins. */
  public record Attachment(Path netnsPath, String address) {}

  /** The network namespace's name: {@code corral-} and the runtime's id of the task. */
  public static String netnsName(String containerId) {
    return "corral-" + containerId;
  }

  /** The host end of the task's veth pair: at most 15 characters, as Linux allows. */
  static String vethName(String taskId) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(taskId.getBytes(StandardCharsets.UTF_8));
      return "corral" + HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /**
   * Creates the task's network; on failure removes what it made and throws.
   *
   * @param containerId the runtime's id of the task, which names the namespace
   */
  public Attachment setUp(TaskInfo task, String containerId, Path metaDir) throws IOException {
    if (!task.getGroupId().isEmpty() && groups != null) {
      return joinGroup(task, metaDir);
    }
    bridge.ensure();
    String taskId = task.getTaskId();
    String address = leases.lease(taskId);
    String netns = netnsName(containerId);
    try {
      Files.writeString(metaDir.resolve(ADDRESS_FILE), address);
      String veth = vethName(taskId);
      Subnet subnet = bridge.subnet();
      HostCommand.check(List.of("ip", "-batch", "-"), "netns add " + netns + "\n"
          + "link add " + veth + " type veth peer name eth0 netns " + netns + "\n"
          + "link set " + veth + " master " + Bridge.NAME + " up\n");
      HostCommand.check(List.of("ip", "-n", netns, "-batch", "-"), "link set lo up\n"
          + "addr add " + address + "/" + subnet.prefix() + " dev eth0\n"
          + "link set eth0 up\n"
          + "route add default via " + subnet.gateway() + "\n");
      String rules = PortRules.addTask(netns, address, task.getNetwork().getPortMappingsList());
      if (rules != null) {
        HostCommand.check(List.of("iptables-restore", "-w", "--noflush"), rules);
      }
      return new Attachment(Path.of("/run/netns", netns), address);
    } catch (IOException | RuntimeException e) {
      tearDown(taskId, containerId, metaDir);
      throw e;
    }
  }

  /**
   * Removes the task's network, if it has one: its port rules, veth pair, namespace and address lease.
   * Idempotent; failures are logged, the rest is still removed.
   */
  public void tearDown(String taskId, String containerId, Path metaDir) {
    Path groupFile = metaDir.resolve(GROUP_FILE);
    if (Files.exists(groupFile) && groups != null) {
      leaveGroup(taskId, groupFile, metaDir);
      return;
    }
    Path file = metaDir.resolve(ADDRESS_FILE);
    if (!Files.exists(file)) {
      return; // host networking, or already removed
    }
    String netns = netnsName(containerId);
    HostCommand.Result save = HostCommand.run(List.of("iptables-save", "-t", "nat"), null);
    String rules = save.ok() ? PortRules.removeTask(netns, save.output()) : null;
    if (rules != null) {
      warnIfFailed(HostCommand.run(List.of("iptables-restore", "-w", "--noflush"), rules), taskId);
    }
    // deleting the host end removes the pair at once; the namespace's own cleanup is asynchronous
    HostCommand.run(List.of("ip", "link", "del", vethName(taskId)), null);
    if (Files.exists(Path.of("/run/netns", netns))) {
      warnIfFailed(HostCommand.run(List.of("ip", "netns", "del", netns), null), taskId);
    }
    try {
      leases.release(Files.readString(file).trim(), taskId);
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("task {}: cannot release its container address: {}", taskId, e.toString());
    }
  }

  /**
   * A task of a group (a pod instance) joins the group's one namespace, which the first of them to launch
   * creates (named and addressed after the group); each task adds the DNAT rules of its own port mappings.
   */
  private Attachment joinGroup(TaskInfo task, Path metaDir) throws IOException {
    String group = task.getGroupId();
    synchronized (groupLocks.computeIfAbsent(group, g -> new Object())) {
      String netns = netnsName(group);
      Path members = groups.resolve(group);
      boolean first = !Files.exists(Path.of("/run/netns", netns));
      String address;
      if (first) {
        TaskInfo owner = task.toBuilder().setTaskId(group).setNetwork(task.getNetwork().toBuilder().clearPortMappings())
            .build();
        Files.createDirectories(members);
        Path groupMeta = members.resolve(".net");
        Files.createDirectories(groupMeta);
        address = setUp(owner.toBuilder().clearGroupId().build(), group, groupMeta).address();
      } else {
        address = Files.readString(members.resolve(".net").resolve(ADDRESS_FILE)).trim();
      }
      Files.writeString(members.resolve(task.getTaskId()), "");
      Files.writeString(metaDir.resolve(GROUP_FILE), group);
      Files.writeString(metaDir.resolve(ADDRESS_FILE), address);
      String rules = PortRules.addTask(netns, address, task.getNetwork().getPortMappingsList());
      if (rules != null) {
        HostCommand.check(List.of("iptables-restore", "-w", "--noflush"), rules);
      }
      return new Attachment(Path.of("/run/netns", netns), address);
    }
  }

  /** A task of a group leaves its namespace; the last one out removes it (rules, veth, namespace, lease). */
  private void leaveGroup(String taskId, Path groupFile, Path metaDir) {
    try {
      String group = Files.readString(groupFile).trim();
      synchronized (groupLocks.computeIfAbsent(group, g -> new Object())) {
        Path members = groups.resolve(group);
        Files.deleteIfExists(members.resolve(taskId));
        Files.deleteIfExists(groupFile);
        Files.deleteIfExists(metaDir.resolve(ADDRESS_FILE));
        boolean last;
        try (java.util.stream.Stream<Path> left = Files.exists(members) ? Files.list(members) : java.util.stream.Stream.empty()) {
          last = left.noneMatch(p -> !p.getFileName().toString().equals(".net"));
        }
        if (last) {
          tearDown(group, group, members.resolve(".net"));
          Files.deleteIfExists(members.resolve(".net"));
          Files.deleteIfExists(members);
          groupLocks.remove(group);
        }
      }
    } catch (IOException e) {
      log.warn("task {}: cannot leave its group's network: {}", taskId, e.toString());
    }
  }

  /** The address recorded for the task, or null. */
  public static String address(Path metaDir) {
    try {
      Path file = metaDir.resolve(ADDRESS_FILE);
      return Files.exists(file) ? Files.readString(file).trim() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static void warnIfFailed(HostCommand.Result r, String taskId) {
    if (!r.ok()) {
      log.warn("task {}: network cleanup step failed: {}", taskId, r.output());
    }
  }
}
