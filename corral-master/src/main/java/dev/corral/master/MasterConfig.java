package dev.corral.master;

import java.time.Duration;
import java.util.Objects;

/**
 * The master's tunables. Immutable.
 *
 * @param masterId                   names this master in {@code AgentRegistered} and {@code Subscribed}
 * @param agentHeartbeatTimeout      an agent that sends nothing for this long is disconnected
 * @param agentReregisterTimeout     after start, agents admitted in the store that have not re-registered
 *                                   within this time are marked unreachable; an agent that comes back after
 *                                   being gone this long is told to kill the tasks it still runs
 * @param allocationDelay            the coalescing window: changes within it are allocated in one pass
 * @param defaultRefuse              how long declined or left-over resources are filtered when a call names
 *                                   no {@code refuse_seconds}
 * @param schedulerHeartbeatInterval how often subscribed frameworks get a {@code SchedulerHeartbeat}
 * @param leaderEpoch                the election epoch this master leads in (0 without an election); sent
 *                                   with every message to agents, which refuse a lower one than they saw
 */
public record MasterConfig(
    String masterId,
    Duration agentHeartbeatTimeout,
    Duration agentReregisterTimeout,
    Duration allocationDelay,
    Duration defaultRefuse,
    Duration schedulerHeartbeatInterval,
    long leaderEpoch) {

  /**
   * Dead agents are found within this (Mesos: 75 s). Agents heartbeat every 3 s with it, so three heartbeats
   * must go missing; a crashed agent's closed stream is noticed at once anyway.
   */
  public static final Duration DEFAULT_AGENT_TIMEOUT = Duration.ofSeconds(9);

  /** The interval agents are asked to heartbeat at, unless a third of the timeout is shorter. */
  static final Duration AGENT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);

  public MasterConfig {
    Objects.requireNonNull(masterId, "masterId");
    if (masterId.isBlank()) {
      throw new IllegalArgumentException("masterId must not be blank");
    }
    requirePositive("agentHeartbeatTimeout", agentHeartbeatTimeout);
    requirePositive("agentReregisterTimeout", agentReregisterTimeout);
    requireNotNegative("allocationDelay", allocationDelay);
    requireNotNegative("defaultRefuse", defaultRefuse);
    requirePositive("schedulerHeartbeatInterval", schedulerHeartbeatInterval);
    if (leaderEpoch < 0) {
      throw new IllegalArgumentException("leaderEpoch must not be negative, got " + leaderEpoch);
    }
  }

  public static MasterConfig defaults() {
    return new MasterConfig("master", DEFAULT_AGENT_TIMEOUT, Duration.ofMinutes(10), Duration.ofMillis(2),
        Duration.ofSeconds(5), Duration.ofSeconds(15), 0);
  }

  public MasterConfig withMasterId(String id) {
    return new MasterConfig(id, agentHeartbeatTimeout, agentReregisterTimeout, allocationDelay, defaultRefuse,
        schedulerHeartbeatInterval, leaderEpoch);
  }

  public MasterConfig withAgentHeartbeatTimeout(Duration d) {
    return new MasterConfig(masterId, d, agentReregisterTimeout, allocationDelay, defaultRefuse,
        schedulerHeartbeatInterval, leaderEpoch);
  }

  public MasterConfig withAgentReregisterTimeout(Duration d) {
    return new MasterConfig(masterId, agentHeartbeatTimeout, d, allocationDelay, defaultRefuse,
        schedulerHeartbeatInterval, leaderEpoch);
  }

  public MasterConfig withAllocationDelay(Duration d) {
    return new MasterConfig(masterId, agentHeartbeatTimeout, agentReregisterTimeout, d, defaultRefuse,
        schedulerHeartbeatInterval, leaderEpoch);
  }

  public MasterConfig withDefaultRefuse(Duration d) {
    return new MasterConfig(masterId, agentHeartbeatTimeout, agentReregisterTimeout, allocationDelay, d,
        schedulerHeartbeatInterval, leaderEpoch);
  }

  public MasterConfig withLeaderEpoch(long epoch) {
    return new MasterConfig(masterId, agentHeartbeatTimeout, agentReregisterTimeout, allocationDelay, defaultRefuse,
        schedulerHeartbeatInterval, epoch);
  }

  public MasterConfig withSchedulerHeartbeatInterval(Duration d) {
    return new MasterConfig(masterId, agentHeartbeatTimeout, agentReregisterTimeout, allocationDelay, defaultRefuse,
        d, leaderEpoch);
  }

  /**
   * What agents are told to heartbeat at: 5 s, or a third of the timeout when that is shorter, so that a
   * short timeout (tests, small clusters) still sees about three heartbeats before it fires.
   */
  Duration agentHeartbeatInterval() {
    Duration third = agentHeartbeatTimeout.dividedBy(3);
    return third.compareTo(AGENT_HEARTBEAT_INTERVAL) < 0 ? third : AGENT_HEARTBEAT_INTERVAL;
  }

  private static void requirePositive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }

  private static void requireNotNegative(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, got " + d);
    }
  }
}
