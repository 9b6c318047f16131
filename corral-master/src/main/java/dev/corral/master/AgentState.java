package dev.corral.master;

import dev.corral.common.Transitions;

/**
 * The master's view of an agent's connection.
 *
 * <pre>
 *   RECOVERED ──(re-register timeout)──▶ UNREACHABLE        (RECOVERED: admitted in the store at start)
 *       │                                     │
 *       └──────────────┐   ┌──────────────────┘
 *                      ▼   ▼
 *   new agent ──▶  REGISTERING ──(persisted)──▶ CONNECTED ──(stream ended / silent)──▶ DISCONNECTED
 *                   │  ▲   ▲                       │                                   │
 *                   │  │   └──── new stream ───────┘                                   │
 *                   │  └──────────────────────── new stream ───────────────────────────┘
 *                   └─(write failed)─▶ RECOVERED / UNREACHABLE / DISCONNECTED, or REMOVED if never admitted
 * </pre>
 *
 * <p>REGISTERING covers the store write of a (re-)registration: the agent is answered only once it is
 * durable. A registration whose write fails returns the agent to where it came from (RECOVERED and
 * UNREACHABLE agents keep their status; others become DISCONNECTED); a brand-new agent that was never
 * admitted is REMOVED, i.e. forgotten.
 */
enum AgentState {
  /** Admitted in the store, not re-registered since this master started; its tasks are unknown. */
  RECOVERED,
  /** A (re-)registration is being persisted. */
  REGISTERING,
  /** Registered on a live stream; offered. */
  CONNECTED,
  /** Its stream ended or it stopped heartbeating; its tasks are TASK_UNREACHABLE until it comes back. */
  DISCONNECTED,
  /** Recovered but not re-registered within the re-register timeout. */
  UNREACHABLE,
  /** Forgotten; terminal. */
  REMOVED;

  static final Transitions<AgentState> TRANSITIONS = Transitions.of(AgentState.class)
      .from(RECOVERED, REGISTERING, UNREACHABLE)
      .from(REGISTERING, CONNECTED, DISCONNECTED, RECOVERED, UNREACHABLE, REMOVED)
      .from(CONNECTED, REGISTERING, DISCONNECTED)
      .from(DISCONNECTED, REGISTERING)
      .from(UNREACHABLE, REGISTERING)
      .build();

  boolean isConnected() {
    return this == CONNECTED;
  }
}
