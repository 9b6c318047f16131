package dev.corral.services.engine;

import dev.corral.api.v1.TaskState;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.instance.Instance;
import dev.corral.services.instance.LaunchedTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Finds the tasks behind a service name in the model (loop thread; the apps of that name only). */
final class ServiceLookup {
  private ServiceLookup() {}

  static ServiceTargets find(ServiceModel model, String name) {
    List<String> appIds = new ArrayList<>();
    List<ServiceTargets.Target> targets = new ArrayList<>();
    for (String appId : model.appIdsOfService(name)) {
      AppDefinition app = model.app(appId);
      appIds.add(app.id());
      int portIndex = portIndex(app.labels().get(ServiceTargets.PORT_INDEX_LABEL));
      String scheme = app.labels().getOrDefault(ServiceTargets.SCHEME_LABEL, "http").toLowerCase(Locale.ROOT);
      boolean checks = !app.healthChecks().isEmpty();
      for (Instance i : model.instancesOf(app.id())) {
        LaunchedTask t = i.task();
        if (t == null || portIndex >= t.hostPorts().size()) {
          continue;
        }
        targets.add(new ServiceTargets.Target(app.id(), t.taskId(), t.host(), t.hostPorts().get(portIndex), scheme,
            t.lastState() == TaskState.TASK_RUNNING, t.healthy(), checks));
      }
    }
    return new ServiceTargets(appIds, targets);
  }

  private static int portIndex(String label) {
    if (label == null || label.isBlank()) {
      return 0;
    }
    try {
      return Math.max(0, Integer.parseInt(label.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
