package dev.corral.agent.master;

import dev.corral.common.Transitions;

/**
 * The agent's connection to the master.
 *
 * <pre>
 *  DISCONNECTED ──connect──▶ CONNECTING ──registered──▶ REGISTERED
 *       ▲                      │  (rejected, error, end)    │ (error, end)
 *       └──────────────────────┴────────────────────────────┘
 *  any ──close──▶ CLOSED (final)
 * </pre>
 * CONNECTING: the stream is open and RegisterAgent sent, no answer yet. Only REGISTERED sends status
 * updates and heartbeats; from DISCONNECTED a reconnect is scheduled with backoff.
 */
public enum LinkState {
  DISCONNECTED,
  CONNECTING,
  REGISTERED,
  CLOSED;

  public static final Transitions<LinkState> TRANSITIONS = Transitions.of(LinkState.class)
      .from(DISCONNECTED, CONNECTING, CLOSED)
      .from(CONNECTING, REGISTERED, DISCONNECTED, CLOSED)
      .from(REGISTERED, DISCONNECTED, CLOSED)
      .build();
}
