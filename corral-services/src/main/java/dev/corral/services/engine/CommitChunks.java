package dev.corral.services.engine;

import dev.corral.state.StoreOp;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a large batch of store operations into commits ZooKeeper accepts. ZooKeeper refuses any request over
 * 1 MB (jute.maxbuffer), and creating an app of 10,000 instances is a batch of about 3 MB.
 *
 * <p>The chunks are committed in order but not atomically together, which the scheduler can afford: after a
 * crash between two of them, recovery re-plans every app, so instances missing for an app are created again
 * and instances left without their app are decommissioned; a placement recorded but never launched times out
 * (see {@code OfferRound.LAUNCH_TIMEOUT}). Pure.
 */
final class CommitChunks {
  /** A quarter of ZooKeeper's limit, leaving room for the store's own grouping of concurrent commits. */
  static final int MAX_BYTES = 256 * 1024;
  static final int MAX_OPS = 1_000;
  /** Per-operation overhead on the wire beyond path and data (header, ACL, version), generously. */
  private static final int OP_OVERHEAD = 64;

  private CommitChunks() {}

  /** The operations in order, cut before any operation that would take a chunk past either limit. */
  static List<List<StoreOp>> split(List<StoreOp> ops, int maxBytes, int maxOps) {
    List<List<StoreOp>> chunks = new ArrayList<>();
    List<StoreOp> chunk = new ArrayList<>();
    int bytes = 0;
    for (StoreOp op : ops) {
      int size = sizeOf(op);
      if (!chunk.isEmpty() && (bytes + size > maxBytes || chunk.size() >= maxOps)) {
        chunks.add(List.copyOf(chunk));
        chunk = new ArrayList<>();
        bytes = 0;
      }
      chunk.add(op);
      bytes += size;
    }
    if (!chunk.isEmpty()) {
      chunks.add(List.copyOf(chunk));
    }
    return chunks;
  }

  private static int sizeOf(StoreOp op) {
    return op.path().length() + OP_OVERHEAD + (op instanceof StoreOp.Put put ? put.data().length : 0);
  }
}
