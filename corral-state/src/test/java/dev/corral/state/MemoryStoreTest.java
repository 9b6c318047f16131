package dev.corral.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryStoreTest {
  @Test
  void childrenAreDirectOnlyAndDeleteIsRecursive() {
    MemoryStore store = new MemoryStore();
    store.commitAndWait(List.of(StoreOp.put("/a/b/c", new byte[] {1}), StoreOp.put("/a/d", new byte[] {2})));
    assertThat(store.children("/a")).containsExactly("b", "d");
    assertThat(store.children("/")).containsExactly("a");
    store.commitAndWait(List.of(StoreOp.delete("/a/b")));
    assertThat(store.children("/a")).containsExactly("d");
    assertThat(store.get("/a/b/c")).isEmpty();
    assertThat(store.commitCount()).isEqualTo(2);
  }
}
