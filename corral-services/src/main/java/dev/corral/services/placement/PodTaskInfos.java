package dev.corral.services.placement;

import dev.corral.api.v1.CheckProtocol;
import dev.corral.api.v1.CommandInfo;
import dev.corral.api.v1.ContainerInfo;
import dev.corral.api.v1.FetchUri;
import dev.corral.api.v1.HealthCheck;
import dev.corral.api.v1.NetworkInfo;
import dev.corral.api.v1.PortMapping;
import dev.corral.api.v1.Range;
import dev.corral.api.v1.Resource;
import dev.corral.api.v1.TaskGroupInfo;
import dev.corral.api.v1.SecretRef;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.VolumeMount;
import dev.corral.services.instance.Reservation;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.AppSecrets;
import dev.corral.services.pod.PodSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a pod and a placement into the task group the agent runs: one task per container, with the
 * container's share of the placed resources and host ports, its command, environment (the pod's and the
 * container's, plus Marathon's {@code ENDPOINT_<NAME>}, {@code EP_HOST_<NAME>}, {@code EP_CONTAINER_<NAME>}),
 * health check resolved to its endpoint's host port, artifacts, image, and mounts of the pod's volumes.
 */
public final class PodTaskInfos {
  private PodTaskInfos() {}

  /** The task id of a container of a launch: {@code <groupId>.<containerName>}, as Marathon names them. */
  public static String taskId(String groupId, String containerName) {
    return groupId + "." + containerName;
  }

  /**
   * The host ports of each container, in container order, taken in order from the placement's host ports
   * (which follow {@link PodSpec#hostPortRequests()}).
   */
  public static List<List<Integer>> hostPortsByContainer(PodSpec pod, List<Integer> hostPorts) {
    List<List<Integer>> out = new ArrayList<>();
    int next = 0;
    for (PodSpec.Container c : pod.containers()) {
      List<Integer> own = new ArrayList<>();
      for (PodSpec.Endpoint e : c.endpoints()) {
        if (takesHostPort(pod, e) && next < hostPorts.size()) {
          own.add(hostPorts.get(next++));
        }
      }
      out.add(own);
    }
    return out;
  }

  private static boolean takesHostPort(PodSpec pod, PodSpec.Endpoint e) {
    return pod.network() == PodSpec.Network.HOST || e.hostPort() != null;
  }

  public static TaskGroupInfo build(AppDefinition app, String groupId, Placement placement, String defaultUser,
      String frameworkId, String apiAddress) {
    return build(app, groupId, placement, defaultUser, frameworkId, TaskApi.plain(apiAddress));
  }

  /** @param api how tasks reach the API: CORRAL_URL, and the CA that vouches for it ({@link TaskApi}) */
  public static TaskGroupInfo build(AppDefinition app, String groupId, Placement placement, String defaultUser,
      String frameworkId, TaskApi api) {
    PodSpec pod = app.pod();
    List<List<Integer>> ports = hostPortsByContainer(pod, placement.hostPorts());
    Shares shares = new Shares(placement.resources());
    TaskGroupInfo.Builder group = TaskGroupInfo.newBuilder().setGroupId(groupId);
    for (int ci = 0; ci < pod.containers().size(); ci++) {
      PodSpec.Container c = pod.containers().get(ci);
      String taskId = taskId(groupId, c.name());
      List<Integer> own = ports.get(ci);
      CommandInfo.Builder command = CommandInfo.newBuilder();
      if (c.shell() != null) {
        command.setShell(true).setValue(c.shell());
      } else if (!c.argv().isEmpty()) {
        command.setShell(false).setValue(c.argv().get(0)).addAllArguments(c.argv());
      }
      String user = c.user() != null ? c.user() : pod.user() != null ? pod.user() : defaultUser;
      if (user != null && !user.isEmpty()) {
        command.setUser(user);
      }
      Map<String, String> env = environment(app, c, taskId, placement, ports, api);
      command.putAllEnvironment(env);
      TaskInfo.Builder task = TaskInfo.newBuilder()
          .setTaskId(taskId)
          .setName(c.name())
          .setAgentId(placement.agentId())
          .setFrameworkId(frameworkId == null ? "" : frameworkId)
          .addAllResources(shares.take(c.resources(), own, ci == 0 ? pod.executorResources() : null))
          .setCommand(command)
          .putAllLabels(c.labels())
          .setGroupId(groupId);
      HealthCheck check = check(c, own);
      if (check != null) {
        task.addHealthChecks(check);
      }
      for (PodSpec.Artifact a : c.artifacts()) {
        task.addFetch(FetchUri.newBuilder().setUri(a.uri()).setExtract(a.extract()).setExecutable(a.executable())
            .setCache(a.cache()).setDestPath(a.destPath()));
      }
      if (TaskApi.CA_FILE.equals(env.get("CORRAL_CA_FILE"))) {
        api.caArtifact().ifPresent(task::addFetch);
      }
      if (c.killGracePeriodSeconds() != null) {
        task.setKillGracePeriodSeconds(c.killGracePeriodSeconds());
      }
      if (c.image() != null) {
        task.setContainer(ContainerInfo.newBuilder().setImage(c.image()).setForcePull(c.forcePull()));
      }
      if (pod.network() == PodSpec.Network.CONTAINER) {
        task.setNetwork(network(pod, c, own));
      }
      for (AppSecrets secret : app.podSecrets(ci)) {
        task.addSecrets(SecretRef.newBuilder().setSource(secret.source()).setEnvName(secret.envName())
            .setFilePath(secret.filePath()).setPullConfig(secret.pullConfig()));
      }
      for (PodSpec.VolumeMount m : c.volumeMounts()) {
        if (app.podSecretVolume(m.name())) {
          continue; // a file the agent writes (task.secrets), not a directory to mount
        }
        String host = "";
        for (PodSpec.Volume v : pod.volumes()) {
          if (v.name().equals(m.name()) && v.hostPath() != null) {
            host = v.hostPath();
          }
        }
        VolumeMount.Builder mount = VolumeMount.newBuilder().setName(m.name()).setMountPath(m.mountPath())
            .setReadOnly(m.readOnly()).setHostPath(host);
        Reservation.Volume persistent = placement.reservation() == null ? null
            : placement.reservation().volumeAt(m.name());
        if (persistent != null) {
          mount.setPersistenceId(persistent.persistenceId()); // the pod's persistent volume of that name
        }
        task.addVolumeMounts(mount);
      }
      group.addTasks(task);
    }
    return group.build();
  }

  private static NetworkInfo network(PodSpec pod, PodSpec.Container c, List<Integer> own) {
    // Every task of the group carries the group's whole mapping: the agent sets up one namespace for all.
    NetworkInfo.Builder net = NetworkInfo.newBuilder().setMode(NetworkInfo.Mode.MODE_CONTAINER)
        .setName(pod.networkName());
    int next = 0;
    for (PodSpec.Endpoint e : c.endpoints()) {
      if (e.hostPort() != null && e.containerPort() != null && next < own.size()) {
        net.addPortMappings(PortMapping.newBuilder().setHostPort(own.get(next)).setContainerPort(e.containerPort())
            .setProtocol(e.protocols().contains("udp") ? "udp" : "tcp").setName(e.name()));
      }
      if (e.hostPort() != null) {
        next++;
      }
    }
    return net.build();
  }

  private static HealthCheck check(PodSpec.Container c, List<Integer> own) {
    PodSpec.Check h = c.healthCheck();
    if (h == null) {
      return null;
    }
    HealthCheck.Builder b = HealthCheck.newBuilder()
        .setGracePeriodSeconds(h.gracePeriodSeconds())
        .setIntervalSeconds(Math.max(1, h.intervalSeconds()))
        .setTimeoutSeconds(Math.max(1, h.timeoutSeconds()))
        .setMaxConsecutiveFailures(h.maxConsecutiveFailures())
        .setDelaySeconds(h.delaySeconds());
    if (h.kind().equals("COMMAND")) {
      return b.setProtocol(CheckProtocol.CHECK_COMMAND).setCommand(h.command()).build();
    }
    Integer port = null;
    int next = 0;
    for (PodSpec.Endpoint e : c.endpoints()) {
      Integer hostPort = next < own.size() ? own.get(next) : null;
      if (e.name().equals(h.endpoint())) {
        port = hostPort != null ? hostPort : e.containerPort();
        break;
      }
      next++;
    }
    if (port == null) {
      return null;
    }
    b.setPort(port);
    if (h.kind().equals("TCP")) {
      return b.setProtocol(CheckProtocol.CHECK_TCP).build();
    }
    return b.setProtocol(h.https() ? CheckProtocol.CHECK_HTTPS : CheckProtocol.CHECK_HTTP).setPath(h.path()).build();
  }

  private static Map<String, String> environment(AppDefinition app, PodSpec.Container c, String taskId,
      Placement placement, List<List<Integer>> ports, TaskApi api) {
    PodSpec pod = app.pod();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HOST", placement.hostname());
    env.put("MESOS_TASK_ID", taskId);
    env.put("MARATHON_APP_ID", app.id());
    env.put("MARATHON_APP_VERSION", app.version());
    api.addEnvironment(env, Map.of());
    // Every container sees every endpoint of the pod: they share the network.
    for (int ci = 0; ci < pod.containers().size(); ci++) {
      int next = 0;
      for (PodSpec.Endpoint e : pod.containers().get(ci).endpoints()) {
        String name = e.name().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
        Integer hostPort = null;
        if (takesHostPort(pod, e) && next < ports.get(ci).size()) {
          hostPort = ports.get(ci).get(next++);
        }
        Integer value = e.containerPort() != null ? e.containerPort() : hostPort;
        if (value != null) {
          env.put("ENDPOINT_" + name, String.valueOf(value));
        }
        if (hostPort != null) {
          env.put("EP_HOST_" + name, String.valueOf(hostPort));
          env.put("PORT_" + name, String.valueOf(hostPort));
        }
        if (e.containerPort() != null) {
          env.put("EP_CONTAINER_" + name, String.valueOf(e.containerPort()));
        }
      }
    }
    env.putAll(pod.env());
    env.putAll(c.env());
    return env;
  }

  /** The placed resources, handed out to the containers in turn, each amount from the roles that hold it. */
  private static final class Shares {
    private final Map<String, List<double[]>> scalars = new LinkedHashMap<>();
    private final Map<String, String> scalarRoles = new LinkedHashMap<>();
    private final List<Resource> portRanges;

    Shares(List<Resource> placed) {
      List<Resource> ranges = new ArrayList<>();
      int n = 0;
      for (Resource r : placed) {
        if (r.getName().equals("ports")) {
          ranges.add(r);
        } else {
          String key = r.getName() + "\u0000" + n++;
          scalarRoles.put(key, r.getRole());
          scalars.computeIfAbsent(r.getName(), k -> new ArrayList<>()).add(new double[] {r.getScalar(), n - 1});
        }
      }
      this.portRanges = ranges;
    }

    List<Resource> take(PodSpec.Resources want, List<Integer> ports, PodSpec.Resources extra) {
      List<Resource> out = new ArrayList<>();
      double cpus = want.cpus() + (extra == null ? 0 : extra.cpus());
      double mem = want.mem() + (extra == null ? 0 : extra.mem());
      double disk = want.disk() + (extra == null ? 0 : extra.disk());
      take("cpus", cpus, out);
      take("mem", mem, out);
      take("disk", disk, out);
      take("gpus", want.gpus(), out);
      for (int port : ports) {
        String role = "*";
        for (Resource r : portRanges) {
          for (Range range : r.getRangesList()) {
            if (port >= range.getBegin() && port <= range.getEnd()) {
              role = r.getRole();
            }
          }
        }
        out.add(Resource.newBuilder().setName("ports").setRole(role)
            .addRanges(Range.newBuilder().setBegin(port).setEnd(port)).build());
      }
      return out;
    }

    private void take(String name, double amount, List<Resource> out) {
      double left = Math.round(amount * 1000) / 1000.0;
      for (double[] held : scalars.getOrDefault(name, List.of())) {
        if (left <= 1e-9) {
          break;
        }
        double used = Math.min(left, held[0]);
        if (used <= 1e-9) {
          continue;
        }
        held[0] -= used;
        left -= used;
        String role = scalarRoles.get(name + "\u0000" + (int) held[1]);
        out.add(Resource.newBuilder().setName(name).setRole(role).setScalar(Math.round(used * 1000) / 1000.0).build());
      }
    }
  }
}
