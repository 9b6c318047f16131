package dev.corral.state;

/** One write within a {@link Store#commit}. */
public sealed interface StoreOp {
  String path();

  /** Creates the node (and missing parents) or replaces its data. */
  record Put(String path, byte[] data) implements StoreOp {}

  /** Removes the node and everything below it; a missing node is not an error. */
  record Delete(String path) implements StoreOp {}

  static StoreOp put(String path, byte[] data) {
    return new Put(path, data);
  }

  static StoreOp delete(String path) {
    return new Delete(path);
  }
}
