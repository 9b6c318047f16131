package dev.corral.sim;

import dev.corral.api.v1.Attribute;
import dev.corral.api.v1.Resource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * How a fleet of {@link SimulatedAgents} looks and behaves. Immutable; start from {@link #builder} and
 * change what matters.
 *
 * <p>Defaults: agents named {@code sim-00000}, {@code sim-00001}, …; 8 cpus, 16 GiB memory, 100 GiB disk and
 * ports 31000–32000 each; no attributes; TASK_STARTING sent at once and TASK_RUNNING right after it; no
 * failures; unacknowledged updates resent every 10 s (the real agent's default); one shard thread per
 * available core, at most four.
 */
public final class SimulationConfig {
  private final int agents;
  private final String hostnamePrefix;
  private final List<Resource> resources;
  private final IntFunction<List<Attribute>> attributes;
  private final Duration launchToRunning;
  private final double failureFraction;
  private final boolean reportStarting;
  private final Duration statusRetryInterval;
  private final int shards;
  private final Clock clock;

  private SimulationConfig(Builder b) {
    this.agents = b.agents;
    this.hostnamePrefix = b.hostnamePrefix;
    this.resources = List.copyOf(b.resources);
    this.attributes = b.attributes;
    this.launchToRunning = b.launchToRunning;
    this.failureFraction = b.failureFraction;
    this.reportStarting = b.reportStarting;
    this.statusRetryInterval = b.statusRetryInterval;
    this.shards = b.shards;
    this.clock = b.clock;
  }

  public static Builder builder(int agents) {
    return new Builder(agents);
  }

  /** How many agents the fleet has. */
  public int agents() {
    return agents;
  }

  /** Agent {@code i} is called {@code prefix + i} zero-padded to five digits. */
  public String hostname(int index) {
    return hostnamePrefix + String.format("%05d", index);
  }

  /** What every agent offers. */
  public List<Resource> resources() {
    return resources;
  }

  /** The attributes of agent {@code index} (e.g. a rack that depends on the index). */
  public List<Attribute> attributes(int index) {
    return List.copyOf(attributes.apply(index));
  }

  /** Time from RunTask to the task's TASK_RUNNING (or injected TASK_FAILED). */
  public Duration launchToRunning() {
    return launchToRunning;
  }

  /** The share of launched tasks, 0 to 1, that end TASK_FAILED instead of running. */
  public double failureFraction() {
    return failureFraction;
  }

  /** Whether a TASK_STARTING update goes out as soon as a task is received. */
  public boolean reportStarting() {
    return reportStarting;
  }

  public Duration statusRetryInterval() {
    return statusRetryInterval;
  }

  /** Threads that run the agents; agent {@code i} lives on shard {@code i % shards}. */
  public int shards() {
    return shards;
  }

  /** For the timestamps of status updates and heartbeats. */
  public Clock clock() {
    return clock;
  }

  /** Builds a {@link SimulationConfig}; not thread-safe. */
  public static final class Builder {
    private final int agents;
    private String hostnamePrefix = "sim-";
    private List<Resource> resources = ResourceText.parse("cpus:8;mem:16384;disk:102400;ports:[31000-32000]");
    private IntFunction<List<Attribute>> attributes = i -> List.of();
    private Duration launchToRunning = Duration.ZERO;
    private double failureFraction;
    private boolean reportStarting = true;
    private Duration statusRetryInterval = Duration.ofSeconds(10);
    private int shards = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private Clock clock = Clock.systemUTC();

    private Builder(int agents) {
      if (agents < 1) {
        throw new IllegalArgumentException("agents must be at least 1, got " + agents);
      }
      this.agents = agents;
    }

    public Builder hostnamePrefix(String prefix) {
      this.hostnamePrefix = Objects.requireNonNull(prefix, "hostnamePrefix");
      return this;
    }

    /** Resources in Mesos notation, e.g. {@code cpus:4;mem:8192;ports:[31000-31100]}. */
    public Builder resources(String text) {
      this.resources = ResourceText.parse(text);
      return this;
    }

    public Builder resources(List<Resource> resources) {
      this.resources = List.copyOf(resources);
      return this;
    }

    /** The same attributes on every agent. */
    public Builder attributes(List<Attribute> attributes) {
      List<Attribute> copy = List.copyOf(attributes);
      this.attributes = i -> copy;
      return this;
    }

    /** Attributes per agent index, e.g. {@code i -> List.of(attr("rack", "r" + i % 10))}. */
    public Builder attributes(IntFunction<List<Attribute>> perAgent) {
      this.attributes = Objects.requireNonNull(perAgent, "attributes");
      return this;
    }

    public Builder launchToRunning(Duration delay) {
      if (delay.isNegative()) {
        throw new IllegalArgumentException("launchToRunning must not be negative, got " + delay);
      }
      this.launchToRunning = delay;
      return this;
    }

    public Builder failureFraction(double fraction) {
      if (!(fraction >= 0 && fraction <= 1)) {
        throw new IllegalArgumentException("failureFraction must be between 0 and 1, got " + fraction);
      }
      this.failureFraction = fraction;
      return this;
    }

    public Builder reportStarting(boolean report) {
      this.reportStarting = report;
      return this;
    }

    public Builder statusRetryInterval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("statusRetryInterval must be positive, got " + interval);
      }
      this.statusRetryInterval = interval;
      return this;
    }

    public Builder shards(int shards) {
      if (shards < 1) {
        throw new IllegalArgumentException("shards must be at least 1, got " + shards);
      }
      this.shards = shards;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public SimulationConfig build() {
      return new SimulationConfig(this);
    }
  }
}
