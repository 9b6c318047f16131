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

  /**
   * The ops of {@code earlier} that the already applied {@code later} ops have not overwritten: those on a node
   * a later op set or deleted, under a node a later op deleted, and deletes of a node a later op wrote inside
   * (it exists again) are dropped. Applying what is left after {@code later} gives the store the state it
   * would have had with both applied in order.
   */
  static List<StoreOp> notOverwritten(List<StoreOp> earlier, List<StoreOp> later) {
    if (later.isEmpty()) {
      return earlier;
    }
    Set<String> written = new HashSet<>();
    Set<String> deleted = new HashSet<>();
    for (StoreOp op : later) {
      written.add(op.path());
      if (op instanceof StoreOp.Delete) {
        deleted.add(op.path());
      }
    }
    List<StoreOp> kept = new ArrayList<>(earlier.size());
    for (StoreOp op : earlier) {
      if (!written.contains(op.path()) && !underAny(op.path(), deleted)
          && !(op instanceof StoreOp.Delete && anyUnder(op.path(), written))) {
        kept.add(op);
      }
    }
    return kept;
  }

  private static boolean underAny(String path, Set<String> nodes) {
    for (String p = StorePaths.parent(path); !p.equals("/"); p = StorePaths.parent(p)) {
      if (nodes.contains(p)) {
        return true;
      }
    }
    return false;
  }

  private static boolean anyUnder(String node, Set<String> paths) {
    String prefix = node + "/";
    for (String p : paths) {
      if (p.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
