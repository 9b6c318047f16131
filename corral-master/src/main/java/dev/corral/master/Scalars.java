package dev.corral.master;

import dev.corral.api.ResourceSet;

/**
 * The four scalar resources DRF compares, summed over roles. A cheap value for the allocator's incremental
 * bookkeeping (per framework and for the cluster), where {@link ResourceSet} arithmetic would be wasteful.
 */
record Scalars(double cpus, double mem, double disk, double gpus) {
  static final Scalars ZERO = new Scalars(0, 0, 0, 0);

  static Scalars of(ResourceSet r) {
    return new Scalars(r.scalar("cpus"), r.scalar("mem"), r.scalar("disk"), r.scalar("gpus"));
  }

  Scalars plus(Scalars o) {
    return new Scalars(cpus + o.cpus, mem + o.mem, disk + o.disk, gpus + o.gpus);
  }

  /** Subtracts, clamping at zero so that rounding never leaves a negative share. */
  Scalars minus(Scalars o) {
    return new Scalars(clamp(cpus - o.cpus), clamp(mem - o.mem), clamp(disk - o.disk), clamp(gpus - o.gpus));
  }

  /** DRF's dominant share: the largest fraction of any resource of {@code total}; kinds with no total count 0. */
  double dominantShare(Scalars total) {
    double share = 0;
    share = Math.max(share, fraction(cpus, total.cpus));
    share = Math.max(share, fraction(mem, total.mem));
    share = Math.max(share, fraction(disk, total.disk));
    share = Math.max(share, fraction(gpus, total.gpus));
    return share;
  }

  private static double fraction(double part, double whole) {
    return whole <= 0 ? 0 : part / whole;
  }

  private static double clamp(double v) {
    return v < 1e-9 ? 0 : v;
  }
}
