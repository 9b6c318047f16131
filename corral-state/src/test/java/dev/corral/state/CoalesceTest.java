package dev.corral.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CoalesceTest {

  private static StoreOp put(String path, String value) {
    return StoreOp.put(path, value.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> render(List<StoreOp> ops) {
    return ops.stream().map(op -> op instanceof StoreOp.Put p
        ? "put " + p.path() + "=" + new String(p.data(), StandardCharsets.UTF_8) : "delete " + op.path()).toList();
  }

  @Test
  void onlyTheLastPutOfANodeIsWrittenInItsPlace() {
    List<StoreOp> ops = List.of(put("/i/a", "staging"), put("/i/b", "staging"), put("/i/a", "starting"),
        put("/apps/x", "v1"), put("/i/a", "running"));

    assertThat(render(Coalesce.lastPutWins(ops)))
        .containsExactly("put /i/b=staging", "put /apps/x=v1", "put /i/a=running");
  }

  @Test
  void aDeleteKeepsThePutsBeforeIt() {
    // the put before the delete may create the node that the delete then removes with its children
    List<StoreOp> ops = List.of(put("/i/a", "one"), StoreOp.delete("/i"), put("/i/a", "two"), put("/i/a", "three"));

    assertThat(render(Coalesce.lastPutWins(ops)))
        .containsExactly("put /i/a=one", "delete /i", "put /i/a=three");
  }

  @Test
  void opsWithoutRepeatsAreReturnedAsTheyAre() {
    List<StoreOp> ops = List.of(put("/a", "1"), StoreOp.delete("/b"), put("/c", "2"));

    assertThat(Coalesce.lastPutWins(ops)).isSameAs(ops);
  }

  @Test
  void whatAnAppliedLaterWriteOverwroteIsLeftOutOfAnEarlierOne() {
    List<StoreOp> earlier = List.of(put("/i/a", "staging"), put("/i/b", "staging"), put("/apps/x/v", "1"),
        StoreOp.delete("/groups/g"), put("/tasks/t", "1"));
    List<StoreOp> later = List.of(put("/i/a", "running"), StoreOp.delete("/apps/x"), put("/groups/g/h", "2"));

    assertThat(render(Coalesce.notOverwritten(earlier, later)))
        .as("/i/a set again, /apps/x/v under a deleted node, /groups/g written inside after its delete")
        .containsExactly("put /i/b=staging", "put /tasks/t=1");
    assertThat(Coalesce.notOverwritten(earlier, List.of())).isSameAs(earlier);
  }
}
