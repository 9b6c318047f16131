package dev.corral.agent.health;

import java.util.concurrent.CompletableFuture;

/**
 * Runs probes without blocking the caller. The returned future completes, on some other thread, once the
 * probe passed, failed or timed out; it does not complete exceptionally (trouble is a failed result).
 * Implementations are thread-safe.
 */
public interface Prober {
  CompletableFuture<ProbeResult> probe(Probe probe);
}
