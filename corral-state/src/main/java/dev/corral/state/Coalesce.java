package dev.corral.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Drops the puts that a later put of the same node overwrites within one atomic write. When the writer falls
 * behind, the commits it merges often set the same node several times (a task's STARTING, then its RUNNING,
 * moments apart); only the last value can ever be read, since the merged write is applied all at once.
 * A delete ends the reach of later puts: a put before it is kept, so that what the delete removes (the node
 * and its children) stays the same.
 */
final class Coalesce {
  private Coalesce() {}

  static List<StoreOp> lastPutWins(List<StoreOp> ops) {
    Set<String> putLater = new HashSet<>();
    List<StoreOp> kept = new ArrayList<>(ops.size());
    boolean dropped = false;
    for (int i = ops.size() - 1; i >= 0; i--) {
      StoreOp op = ops.get(i);
      if (op instanceof StoreOp.Delete) {
        putLater.clear();
        kept.add(op);
      } else if (putLater.add(op.path())) {
        kept.add(op);
      } else {
        dropped = true;
      }
    }
    if (!dropped) {
      return ops;
    }
    Collections.reverse(kept);
    return kept;
  }
}
