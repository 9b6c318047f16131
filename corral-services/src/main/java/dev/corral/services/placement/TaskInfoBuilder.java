package dev.corral.services.placement;

import dev.corral.api.v1.CommandInfo;
import dev.corral.api.v1.FetchUri;
import dev.corral.api.v1.NetworkInfo;
import dev.corral.api.v1.SecretRef;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.VolumeMount;
import dev.corral.services.instance.Reservation;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.AppSecrets;
import dev.corral.services.app.ContainerImage;
import dev.corral.services.app.DockerParameters;
import dev.corral.services.app.FetchArtifact;
import dev.corral.services.app.HostVolume;
import dev.corral.services.app.Networking;
import dev.corral.services.app.PortDefinition;
import dev.corral.services.app.PortMapping;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns an app and a placement into the TaskInfo the agent runs, with the environment Marathon gives its
 * tasks (PORT0…, PORT, PORTS, PORT_NAME, HOST, MARATHON_APP_*, MESOS_TASK_ID), CORRAL_URL (the API, for
 * discovery; with CORRAL_CA_FILE and the CA as an artifact when it is https, {@link TaskApi}) and the app's
 * own {@code env}
 * on top, which wins on a clash as in Marathon. The app's health and readiness checks go along, resolved to
 * the task's host ports ({@link CheckInfos}), for the agent to run, and so do its artifacts ({@code fetch},
 * legacy {@code uris}), which the agent fetches into the sandbox before starting the command. With a container
 * network the task carries its mode and port mappings ({@code TaskInfo.network}); PORT0… are then the host
 * ports of the mappings that have one. Host volumes go as volume mounts, which the agent binds (or links);
 * secrets as references, whose values the agent reads from the master.
 */
public final class TaskInfoBuilder {
  private TaskInfoBuilder() {}

  /**
   * @param defaultUser the scheduler's user, used when the app names none; "" leaves it to the agent
   * @param frameworkId the framework id, or "" before the first subscription
   * @param apiAddress host:port of the HTTP API, given to tasks as CORRAL_URL so they can discover each other
   */
  public static TaskInfo build(AppDefinition app, String taskId, Placement placement, String defaultUser,
      String frameworkId, String apiAddress) {
    return build(app, taskId, placement, defaultUser, frameworkId, TaskApi.plain(apiAddress));
  }

  /** @param api how tasks reach the API: CORRAL_URL, and the CA that vouches for it ({@link TaskApi}) */
  public static TaskInfo build(AppDefinition app, String taskId, Placement placement, String defaultUser,
      String frameworkId, TaskApi api) {
    CommandInfo.Builder command = CommandInfo.newBuilder();
    if (app.cmd() != null) {
      command.setShell(true).setValue(app.cmd());
    } else if (!app.args().isEmpty()) {
      command.setShell(false).setValue(app.args().get(0)).addAllArguments(app.args());
    }
    DockerParameters params = app.dockerParameters();
    String user = app.user() != null ? app.user() : params.user() != null ? params.user() : defaultUser;
    if (user != null && !user.isEmpty()) {
      command.setUser(user);
    }
    Map<String, String> env = environment(app, taskId, placement);
    params.env().forEach(env::putIfAbsent); // docker run --env: below the app's own env
    api.addEnvironment(env, app.env());
    command.putAllEnvironment(env);
    TaskInfo.Builder task = TaskInfo.newBuilder()
        .setTaskId(taskId)
        .setName(app.id())
        .setAgentId(placement.agentId())
        .setFrameworkId(frameworkId == null ? "" : frameworkId)
        .addAllResources(placement.resources())
        .setCommand(command)
        .putAllLabels(params.labels())
        .putAllLabels(app.labels())
        .addAllHealthChecks(CheckInfos.health(app, placement.hostPorts()))
        .addAllReadinessChecks(CheckInfos.readiness(app, placement.hostPorts()));
    for (FetchArtifact f : app.fetch()) {
      task.addFetch(FetchUri.newBuilder().setUri(f.uri()).setExtract(f.extract()).setExecutable(f.executable())
          .setCache(f.cache()).setDestPath(f.destPath()));
    }
    if (TaskApi.CA_FILE.equals(env.get("CORRAL_CA_FILE"))) {
      api.caArtifact().ifPresent(task::addFetch);
    }
    app.taskKillGracePeriodSeconds().ifPresent(task::setKillGracePeriodSeconds);
    ContainerImage.of(app).ifPresent(image ->
        task.setContainer(app.dockerParameters().applyTo(image.toProto().toBuilder())));
    if (app.networking().container()) {
      task.setNetwork(network(app.networking(), placement.hostPorts()));
    }
    for (AppSecrets s : app.secrets()) {
      task.addSecrets(SecretRef.newBuilder().setSource(s.source()).setEnvName(s.envName()).setFilePath(s.filePath())
          .setPullConfig(s.pullConfig()));
    }
    if (placement.reservation() != null) {
      // first: a host volume may name one of them as its hostPath, to show it at another path
      for (Reservation.Volume v : placement.reservation().volumes()) {
        task.addVolumeMounts(VolumeMount.newBuilder().setName(v.containerPath()).setMountPath(v.containerPath())
            .setPersistenceId(v.persistenceId()));
      }
    }
    for (HostVolume v : app.hostVolumes()) {
      task.addVolumeMounts(VolumeMount.newBuilder().setName(v.containerPath()).setMountPath(v.containerPath())
          .setHostPath(v.hostPath()).setReadOnly(v.readOnly()));
    }
    return task.build();
  }

  /** The container network, each mapping with its host port from the offer (in PORT0… order), or none. */
  static NetworkInfo network(Networking networking, List<Integer> hostPorts) {
    NetworkInfo.Builder net = NetworkInfo.newBuilder().setMode(NetworkInfo.Mode.MODE_CONTAINER)
        .setName(networking.name());
    int next = 0;
    for (PortMapping m : networking.portMappings()) {
      dev.corral.api.v1.PortMapping.Builder b = dev.corral.api.v1.PortMapping.newBuilder()
          .setContainerPort(m.containerPort()).setProtocol(m.protocol());
      if (m.name() != null) {
        b.setName(m.name());
      }
      if (m.hostPort() != null && next < hostPorts.size()) {
        b.setHostPort(hostPorts.get(next++));
      }
      net.addPortMappings(b);
    }
    return net.build();
  }

  static Map<String, String> environment(AppDefinition app, String taskId, Placement placement) {
    Map<String, String> env = new LinkedHashMap<>();
    List<Integer> ports = placement.hostPorts();
    List<PortDefinition> defs = app.portDefinitions();
    List<String> names = mappedPortNames(app.networking());
    List<String> all = new ArrayList<>(ports.size());
    for (int i = 0; i < ports.size(); i++) {
      String port = String.valueOf(ports.get(i));
      all.add(port);
      env.put("PORT" + i, port);
      if (app.networking().container()) {
        if (i < names.size() && names.get(i) != null && !names.get(i).isEmpty()) {
          env.put("PORT_" + names.get(i).toUpperCase(Locale.ROOT), port);
        }
      } else if (i < defs.size()) {
        PortDefinition def = defs.get(i);
        if (def.port() != 0) {
          env.put("PORT_" + def.port(), port);
        }
        if (def.name() != null && !def.name().isEmpty()) {
          env.put("PORT_" + def.name().toUpperCase(Locale.ROOT), port);
        }
      }
    }
    if (!ports.isEmpty()) {
      env.put("PORT", all.get(0));
      env.put("PORTS", String.join(",", all));
    }
    env.put("HOST", placement.hostname());
    env.put("MESOS_TASK_ID", taskId);
    env.put("MARATHON_APP_ID", app.id());
    env.put("MARATHON_APP_VERSION", app.version());
    env.put("MARATHON_APP_RESOURCE_CPUS", String.valueOf(app.cpus()));
    env.put("MARATHON_APP_RESOURCE_MEM", String.valueOf(app.mem()));
    env.put("MARATHON_APP_RESOURCE_DISK", String.valueOf(app.disk()));
    env.put("MARATHON_APP_RESOURCE_GPUS", String.valueOf(app.gpus()));
    List<String> labelKeys = new ArrayList<>();
    app.labels().forEach((key, value) -> {
      String name = labelEnvName(key);
      labelKeys.add(name);
      env.put("MARATHON_APP_LABEL_" + name, value);
    });
    env.put("MARATHON_APP_LABELS", String.join(" ", labelKeys));
    env.putAll(app.env());
    return env;
  }

  /** The names of the port mappings that have a host port, in PORT0… order. */
  private static List<String> mappedPortNames(Networking networking) {
    List<String> out = new ArrayList<>();
    networking.portMappings().stream().filter(m -> m.hostPort() != null).forEach(m -> out.add(m.name()));
    return out;
  }

  /** Marathon's label key sanitizing: upper case, anything but letters, digits and '_' becomes '_'. */
  static String labelEnvName(String key) {
    return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
  }
}
