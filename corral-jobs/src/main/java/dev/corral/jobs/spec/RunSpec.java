package dev.corral.jobs.spec;

import java.util.List;
import java.util.Map;

/**
 * What one run of a job executes: a shell {@code cmd} or an {@code args} vector, its resources, environment,
 * artifacts, placement and restart policy. Built by {@link JobJson#parse} from a validated body.
 *
 * @param maxLaunchDelay seconds a run may wait for resources before it fails
 * @param user the user to run as; null for the scheduler's default
 * @param taskKillGracePeriodSeconds SIGTERM to SIGKILL; null for the agent's default
 */
public record RunSpec(String cmd, List<String> args, double cpus, double mem, double disk, int gpus,
    Map<String, String> env, List<Artifact> artifacts, List<PlacementConstraint> constraints, int maxLaunchDelay,
    RestartPolicy restart, String user, Double taskKillGracePeriodSeconds, ContainerImage image,
    Map<String, String> secrets, Map<String, String> secretEnv, List<Volume> volumes) {
  /**
   * The image a run's task runs in (Metronome's {@code docker.image} or {@code ucr.image.id}); null: the agent's
   * host filesystem.
   */
  public record ContainerImage(String image, boolean forcePull, boolean ucr) {}

  /**
   * A volume of the run's task: a path of the agent ({@code hostPath}) or one of the job's secrets as a file
   * ({@code secret}, by its name in {@link #secrets}); exactly one of the two is set.
   */
  public record Volume(String containerPath, String hostPath, boolean readOnly, String secret) {}

  /**
   * @param secrets the job's secrets: name → path in the cluster's secret store (Metronome's {@code run.secrets})
   * @param secretEnv environment variables that hold a secret: variable → secret name
   */
  public RunSpec {
    args = List.copyOf(args);
    env = Map.copyOf(env);
    artifacts = List.copyOf(artifacts);
    constraints = List.copyOf(constraints);
    secrets = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(secrets));
    secretEnv = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(secretEnv));
    volumes = List.copyOf(volumes);
  }
}
