package dev.corral.jobs.engine;

import dev.corral.api.v1.CommandInfo;
import dev.corral.api.v1.ContainerInfo;
import dev.corral.api.v1.FetchUri;
import dev.corral.api.v1.Offer;
import dev.corral.api.v1.Resource;
import dev.corral.api.v1.SecretRef;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.VolumeMount;
import dev.corral.jobs.spec.Artifact;
import dev.corral.jobs.spec.JobSpec;
import dev.corral.jobs.spec.PlacementConstraint;
import dev.corral.jobs.spec.RunSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches runs against an offer and builds their TaskInfos. An instance holds what is left of one offer,
 * so that one offer can take several runs. Pure: no I/O.
 */
final class TaskBuilder {
  private final Offer offer;
  /** Free scalar amount per resource name and role. */
  private final Map<String, Map<String, Double>> free = new HashMap<>();

  TaskBuilder(Offer offer) {
    this.offer = offer;
    for (Resource r : offer.getResourcesList()) {
      if (r.getRangesCount() == 0) {
        free.computeIfAbsent(r.getName(), n -> new HashMap<>()).merge(r.getRole(), r.getScalar(), Double::sum);
      }
    }
  }

  /** Takes the run's resources from the offer and returns its task, or null when it does not fit. */
  TaskInfo take(JobSpec job, String taskId, String runId, String frameworkId, String defaultUser) {
    RunSpec run = job.run();
    for (PlacementConstraint c : run.constraints()) {
      if (!c.satisfiedBy(offer)) {
        return null;
      }
    }
    Map<String, Double> want = new HashMap<>();
    want.put("cpus", run.cpus());
    want.put("mem", run.mem());
    if (run.disk() > 0) {
      want.put("disk", run.disk());
    }
    if (run.gpus() > 0) {
      want.put("gpus", (double) run.gpus());
    }
    List<Resource> taken = new ArrayList<>();
    for (Map.Entry<String, Double> w : want.entrySet()) {
      String role = roleWith(w.getKey(), w.getValue());
      if (role == null) {
        return null;
      }
      taken.add(Resource.newBuilder().setName(w.getKey()).setScalar(w.getValue()).setRole(role).build());
    }
    for (Resource r : taken) {
      free.get(r.getName()).merge(r.getRole(), -r.getScalar(), Double::sum);
    }
    CommandInfo.Builder command = CommandInfo.newBuilder();
    if (run.cmd() != null) {
      command.setShell(true).setValue(run.cmd());
    } else if (!run.args().isEmpty()) {
      command.setShell(false).setValue(run.args().get(0)).addAllArguments(run.args());
    } // else the image's own command runs
    String user = run.user() != null ? run.user() : defaultUser;
    if (user != null && !user.isEmpty()) {
      command.setUser(user);
    }
    command.putEnvironment("MESOS_TASK_ID", taskId);
    command.putEnvironment("METRONOME_JOB_ID", job.id());
    command.putEnvironment("METRONOME_JOB_RUN_ID", runId);
    command.putAllEnvironment(run.env());
    TaskInfo.Builder task = TaskInfo.newBuilder()
        .setTaskId(taskId)
        .setName(job.id())
        .setAgentId(offer.getAgentId())
        .setFrameworkId(frameworkId)
        .addAllResources(taken)
        .setCommand(command)
        .putAllLabels(job.labels());
    for (Artifact a : run.artifacts()) {
      task.addFetch(FetchUri.newBuilder().setUri(a.uri()).setExtract(a.extract()).setExecutable(a.executable())
          .setCache(a.cache()));
    }
    if (run.taskKillGracePeriodSeconds() != null) {
      task.setKillGracePeriodSeconds(run.taskKillGracePeriodSeconds());
    }
    if (run.image() != null) {
      task.setContainer(ContainerInfo.newBuilder().setImage(run.image().image()).setForcePull(run.image().forcePull()));
    }
    // secrets go as references: the agent reads their values from the master (docs/secrets.md)
    run.secretEnv().forEach((var, name) -> task.addSecrets(SecretRef.newBuilder()
        .setSource(run.secrets().get(name)).setEnvName(var)));
    for (RunSpec.Volume v : run.volumes()) {
      if (v.secret() != null) {
        task.addSecrets(SecretRef.newBuilder().setSource(run.secrets().get(v.secret())).setFilePath(v.containerPath()));
      } else {
        task.addVolumeMounts(VolumeMount.newBuilder().setName(v.containerPath()).setMountPath(v.containerPath())
            .setHostPath(v.hostPath()).setReadOnly(v.readOnly()));
      }
    }
    return task.build();
  }

  private String roleWith(String name, double amount) {
    Map<String, Double> byRole = free.get(name);
    if (byRole == null) {
      return null;
    }
    for (Map.Entry<String, Double> e : byRole.entrySet()) {
      if (e.getValue() + 1e-9 >= amount) {
        return e.getKey();
      }
    }
    return null;
  }
}
