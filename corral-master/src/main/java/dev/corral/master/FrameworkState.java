package dev.corral.master;

import dev.corral.common.Transitions;

/**
 * The master's view of a framework's subscription.
 *
 * <pre>
 *   (store at start) RECOVERED ──┐
 *                                ▼
 *   new subscription ───▶ SUBSCRIBING ──(persisted)──▶ CONNECTED ──(stream ended)──▶ DISCONNECTED
 *                           │   ▲  │                      │                              │
 *                           │   │  └─(write failed, never admitted)─▶ REMOVED            │
 *                           │   └──────── a newer subscription ◀──────┴──────────────────┘
 *                           └─(stream ended or write failed)─▶ DISCONNECTED
 * </pre>
 * Tasks of a disconnected framework keep running; it gets no offers and its status updates are dropped
 * (agents resend them until acknowledged).
 */
enum FrameworkState {
  /** Admitted in the store, not subscribed since this master started. */
  RECOVERED,
  /** A subscription is being persisted; it is answered with SUBSCRIBED once durable. */
  SUBSCRIBING,
  /** Subscribed on a live stream. */
  CONNECTED,
  /** Its stream ended; it may subscribe again with its id. */
  DISCONNECTED,
  /** Never admitted (its first write failed); forgotten. Terminal. */
  REMOVED;

  static final Transitions<FrameworkState> TRANSITIONS = Transitions.of(FrameworkState.class)
      .from(RECOVERED, SUBSCRIBING)
      .from(SUBSCRIBING, CONNECTED, DISCONNECTED, REMOVED)
      .from(CONNECTED, SUBSCRIBING, DISCONNECTED)
      .from(DISCONNECTED, SUBSCRIBING)
      .build();
}
