package dev.corral.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/** An in-memory {@link Store}, first-class for unit tests. Commits complete immediately. */
public final class MemoryStore implements Store {
  private final TreeMap<String, byte[]> nodes = new TreeMap<>();
  private int commits;

  @Override
  public synchronized Optional<byte[]> get(String path) {
    return Optional.ofNullable(nodes.get(path)).map(byte[]::clone);
  }

  @Override
  public synchronized List<String> children(String path) {
    String prefix = path.equals("/") ? "/" : path + "/";
    List<String> names = new ArrayList<>();
    for (String p : nodes.tailMap(prefix, false).keySet()) {
      if (!p.startsWith(prefix)) {
        break;
      }
      String rest = p.substring(prefix.length());
      int slash = rest.indexOf('/');
      String name = slash < 0 ? rest : rest.substring(0, slash);
      if (names.isEmpty() || !names.get(names.size() - 1).equals(name)) {
        names.add(name);
      }
    }
    return names;
  }

  @Override
  public synchronized CompletableFuture<Void> commit(List<StoreOp> ops) {
    for (StoreOp op : ops) {
      StorePaths.validate(op.path());
    }
    for (StoreOp op : ops) {
      if (op instanceof StoreOp.Put put) {
        nodes.put(put.path(), put.data().clone());
        for (String p = StorePaths.parent(put.path()); !p.equals("/"); p = StorePaths.parent(p)) {
          nodes.putIfAbsent(p, new byte[0]);
        }
      } else {
        nodes.remove(op.path());
        nodes.subMap(op.path() + "/", op.path() + "/\uffff").clear();
      }
    }
    commits++;
    return CompletableFuture.completedFuture(null);
  }

  /** How many commits were applied; tests use it to prove that rejected requests wrote nothing. */
  public synchronized int commitCount() {
    return commits;
  }

  /** A copy of every node, for assertions. */
  public synchronized Map<String, byte[]> snapshot() {
    return new TreeMap<>(nodes);
  }

  @Override
  public void close() {}
}
