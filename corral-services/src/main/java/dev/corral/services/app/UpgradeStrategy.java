package dev.corral.services.app;

/**
 * How a rolling replacement may proceed: at least {@code ceil(instances × minimumHealthCapacity)} healthy
 * instances at all times, at most {@code floor(instances × (1 + maximumOverCapacity))} live ones.
 */
public record UpgradeStrategy(double minimumHealthCapacity, double maximumOverCapacity) {
  public static final UpgradeStrategy DEFAULT = new UpgradeStrategy(1.0, 1.0);

  /** The fewest healthy instances allowed while {@code instances} are wanted. */
  public int minHealthy(int instances) {
    // A small epsilon keeps 3 × 0.7 = 2.0999… from rounding up to 3 by floating-point noise in reverse.
    return (int) Math.ceil(instances * minimumHealthCapacity - 1e-9);
  }

  /** The most live instances (old and new together) allowed while {@code instances} are wanted. */
  public int maxCapacity(int instances) {
    return (int) Math.floor(instances * (1 + maximumOverCapacity) + 1e-9);
  }
}
