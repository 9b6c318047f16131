package dev.corral.agent.oci;

import dev.corral.agent.cgroups.CgroupLimits;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What one container's {@code config.json} says, before it is rendered by {@link OciConfig}.
 *
 * @param args the process argv (the container's init runs it, see {@link ContainerInit})
 * @param env the process environment, in order
 * @param cwd the working directory inside the container (the sandbox)
 * @param uid the process's user id ({@code CommandInfo.user}, or 0)
 * @param gid the process's group id
 * @param hostname the container's UTS hostname (the agent's, so {@code hostname} matches {@code HOST})
 * @param sandbox the task's sandbox, bind-mounted writable at the same path as on the host
 * @param cgroupsPath the runtime's cgroup path, e.g. {@code /corral/TASK_ID}
 * @param limits cpu, memory and pids limits
 * @param swapAccounting whether the host has {@code memory.memsw.*}: then swap is limited to the memory limit
 * @param imageRoot true: {@code rootfs/} is the task's image (mounted by the containerizer), not the host's root
 * @param resolvConf a file bound over {@code /etc/resolv.conf} (the agent's {@code --dns}); null: the host's
 */
public record ContainerSpec(List<String> args, Map<String, String> env, Path cwd, long uid, long gid,
    String hostname, Path sandbox, String cgroupsPath, CgroupLimits limits, boolean swapAccounting, boolean imageRoot,
    Path resolvConf) {
  public ContainerSpec {
    args = List.copyOf(args);
    env = Map.copyOf(env);
  }

  /** A container on the host's root filesystem (no image), with the host's resolv.conf. */
  public ContainerSpec(List<String> args, Map<String, String> env, Path cwd, long uid, long gid, String hostname,
      Path sandbox, String cgroupsPath, CgroupLimits limits, boolean swapAccounting) {
    this(args, env, cwd, uid, gid, hostname, sandbox, cgroupsPath, limits, swapAccounting, false, null);
  }
}
