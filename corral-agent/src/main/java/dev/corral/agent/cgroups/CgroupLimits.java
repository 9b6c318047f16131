package dev.corral.agent.cgroups;

import dev.corral.api.ResourceSet;
import dev.corral.api.v1.Resource;
import java.util.List;

/**
 * The limits of one task's cgroups, from its resources. Zero means "no limit of this kind".
 *
 * <p>CPU: shares (v1) / weight (v2) give the task its proportional share under contention, and a CFS quota
 * of {@code cpus} periods caps it even on an idle host, so a task sized for 0.5 cpus behaves the same
 * everywhere. Memory: a hard limit with swap off, so exceeding it is an OOM kill the agent can report.
 * Devices: the ones the task may not open (the node's GPUs it was not given), enforced where the devices
 * controller is (cgroup v1).
 */
public record CgroupLimits(double cpus, double memMb, long pidsMax, List<DeviceRule> deniedDevices) {
  public static final long DEFAULT_PIDS_MAX = 4096;
  public static final long CFS_PERIOD_US = 100_000;
  private static final long MIN_QUOTA_US = 1_000;

  public CgroupLimits {
    deniedDevices = List.copyOf(deniedDevices);
  }

  public CgroupLimits(double cpus, double memMb, long pidsMax) {
    this(cpus, memMb, pidsMax, List.of());
  }

  public CgroupLimits withDeniedDevices(List<DeviceRule> devices) {
    return new CgroupLimits(cpus, memMb, pidsMax, devices);
  }

  public static CgroupLimits of(List<Resource> resources) {
    ResourceSet set = ResourceSet.fromProto(resources);
    return new CgroupLimits(set.scalar("cpus"), set.scalar("mem"), DEFAULT_PIDS_MAX);
  }

  /** cgroup v1 {@code cpu.shares}: 1024 per cpu, at least the kernel's minimum of 2. */
  public long cpuShares() {
    return Math.max(2, Math.round(cpus * 1024));
  }

  /** CFS quota in microseconds per {@link #CFS_PERIOD_US}; at least 1 ms, which the kernel requires. */
  public long cfsQuotaUs() {
    return Math.max(MIN_QUOTA_US, Math.round(cpus * CFS_PERIOD_US));
  }

  /** cgroup v2 {@code cpu.weight} for the same share, with the mapping runc and Kubernetes use. */
  public long cpuWeight() {
    long weight = 1 + ((cpuShares() - 2) * 9999) / 262142;
    return Math.min(10000, Math.max(1, weight));
  }

  public long memBytes() {
    return Math.round(memMb * 1024 * 1024);
  }
}
