package dev.corral.master;

import dev.corral.common.Transitions;

/**
 * What an operator wants of an agent, apart from whether it is connected ({@link AgentState}).
 *
 * <pre>
 *              deactivate                     drain
 *   ACTIVE ───────────────▶ DEACTIVATED ─────────────────┐
 *     ▲  │                     │  ▲                      ▼
 *     │  └────── drain ────────┼──┼───────────────▶ DRAINING ──(no live task left)──▶ DRAINED
 *     │                        │  │                      │                             │
 *     └──── reactivate ────────┴──┴──────────────────────┴─────────────────────────────┘
 * </pre>
 *
 * <p>Only ACTIVE agents are offered. DRAINING tells frameworks to move their work off the agent
 * ({@code AgentDrain}) and kills what is left at the drain's deadline; it becomes DRAINED once the agent
 * holds no live task. DEACTIVATED stops offers and touches no task. Hard state: persisted per agent.
 */
enum MaintenanceMode {
  ACTIVE,
  DRAINING,
  DRAINED,
  DEACTIVATED;

  static final Transitions<MaintenanceMode> TRANSITIONS = Transitions.of(MaintenanceMode.class)
      .from(ACTIVE, DRAINING, DEACTIVATED)
      .from(DRAINING, DRAINED, ACTIVE)
      .from(DRAINED, ACTIVE)
      .from(DEACTIVATED, ACTIVE, DRAINING)
      .build();

  /** Whether the allocator may offer the agent's resources. */
  boolean offered() {
    return this == ACTIVE;
  }
}
