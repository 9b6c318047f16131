package dev.corral.services.placement;

import dev.corral.api.v1.CommandInfo;
import dev.corral.api.v1.FetchUri;
import dev.corral.api.v1.TaskInfo;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.ContainerImage;
import dev.corral.services.app.FetchArtifact;
import dev.corral.services.app.PortDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns an app and a placement into the TaskInfo the agent runs, with the environment Marathon gives its
 * tasks (PORT0…, PORT, PORTS, PORT_NAME, HOST, MARATHON_APP_*, MESOS_TASK_ID), CORRAL_URL (the API, for
 * discovery) and the app's own {@code env}
 * on top, which wins on a clash as in Marathon. The app's health and readiness checks go along, resolved to
 * the task's host ports ({@link CheckInfos}), for the agent to run, and so do its artifacts ({@code fetch},
 * legacy {@code uris}), which the agent fetches into the sandbox before starting the command.
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
    CommandInfo.Builder command = CommandInfo.newBuilder();
    if (app.cmd() != null) {
      command.setShell(true).setValue(app.cmd());
    } else if (!app.args().isEmpty()) {
      command.setShell(false).setValue(app.args().get(0)).addAllArguments(app.args());
    }
    String user = app.user() != null ? app.user() : defaultUser;
    if (user != null && !user.isEmpty()) {
      command.setUser(user);
    }
    Map<String, String> env = environment(app, taskId, placement);
    if (apiAddress != null && !apiAddress.isEmpty() && !app.env().containsKey("CORRAL_URL")) {
      env.put("CORRAL_URL", "http://" + apiAddress);
    }
    command.putAllEnvironment(env);
    TaskInfo.Builder task = TaskInfo.newBuilder()
        .setTaskId(taskId)
        .setName(app.id())
        .setAgentId(placement.agentId())
        .setFrameworkId(frameworkId == null ? "" : frameworkId)
        .addAllResources(placement.resources())
        .setCommand(command)
        .putAllLabels(app.labels())
        .addAllHealthChecks(CheckInfos.health(app, placement.hostPorts()))
        .addAllReadinessChecks(CheckInfos.readiness(app, placement.hostPorts()));
    for (FetchArtifact f : app.fetch()) {
      task.addFetch(FetchUri.newBuilder().setUri(f.uri()).setExtract(f.extract()).setExecutable(f.executable())
          .setCache(f.cache()).setDestPath(f.destPath()));
    }
    app.taskKillGracePeriodSeconds().ifPresent(task::setKillGracePeriodSeconds);
    ContainerImage.of(app).ifPresent(image -> task.setContainer(image.toProto()));
    return task.build();
  }

  static Map<String, String> environment(AppDefinition app, String taskId, Placement placement) {
    Map<String, String> env = new LinkedHashMap<>();
    List<Integer> ports = placement.hostPorts();
    List<PortDefinition> defs = app.portDefinitions();
    List<String> all = new ArrayList<>(ports.size());
    for (int i = 0; i < ports.size(); i++) {
      String port = String.valueOf(ports.get(i));
      all.add(port);
      env.put("PORT" + i, port);
      if (i < defs.size()) {
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

  /** Marathon's label key sanitizing: upper case, anything but letters, digits and '_' becomes '_'. */
  static String labelEnvName(String key) {
    return key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
  }
}
