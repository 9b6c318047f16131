package dev.corral.sim;

import dev.corral.common.Transitions;

/**
 * A simulated agent's connection to the master, like the real agent's link plus OFFLINE, the state a test
 * puts an agent in to simulate a crash or a partition.
 *
 * <pre>
 *  DISCONNECTED ──connect──▶ CONNECTING ──registered──▶ REGISTERED
 *       ▲                      │ (rejected, error, end)     │ (error, end)
 *       └──────────────────────┴────────────────────────────┘
 *  DISCONNECTED, CONNECTING, REGISTERED ──goOffline──▶ OFFLINE ──connect──▶ CONNECTING
 *  any ──close / ShutdownAgent──▶ STOPPED (final)
 * </pre>
 * From DISCONNECTED a reconnect is scheduled with backoff; OFFLINE waits for an explicit connect.
 */
enum SimLinkState {
  DISCONNECTED,
  CONNECTING,
  REGISTERED,
  OFFLINE,
  STOPPED;

  static final Transitions<SimLinkState> TRANSITIONS = Transitions.of(SimLinkState.class)
      .from(DISCONNECTED, CONNECTING, OFFLINE, STOPPED)
      .from(CONNECTING, REGISTERED, DISCONNECTED, OFFLINE, STOPPED)
      .from(REGISTERED, DISCONNECTED, OFFLINE, STOPPED)
      .from(OFFLINE, CONNECTING, STOPPED)
      .build();
}
