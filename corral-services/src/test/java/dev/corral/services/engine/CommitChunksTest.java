package dev.corral.services.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.state.StoreOp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommitChunksTest {
  private static List<StoreOp> puts(int n, int bytes) {
    List<StoreOp> ops = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ops.add(StoreOp.put("/services/instances/i" + i, new byte[bytes]));
    }
    return ops;
  }

  @Test
  void aSmallBatchStaysWhole() {
    List<StoreOp> ops = puts(10, 100);

    assertThat(CommitChunks.split(ops, CommitChunks.MAX_BYTES, CommitChunks.MAX_OPS)).containsExactly(ops);
  }

  @Test
  void aLargeBatchIsCutInOrderUnderBothLimits() {
    List<StoreOp> ops = puts(10_000, 300);

    List<List<StoreOp>> chunks = CommitChunks.split(ops, 64 * 1024, 150);

    assertThat(chunks.stream().flatMap(List::stream).toList()).isEqualTo(ops);
    assertThat(chunks).allSatisfy(c -> {
      assertThat(c).hasSizeLessThanOrEqualTo(150);
      assertThat(c.stream().mapToInt(op -> op.path().length() + 64 + ((StoreOp.Put) op).data().length).sum())
          .isLessThanOrEqualTo(64 * 1024);
    });
  }

  @Test
  void anOperationLargerThanTheLimitGoesAlone() {
    List<StoreOp> ops = List.of(StoreOp.put("/a", new byte[10]), StoreOp.put("/big", new byte[100_000]),
        StoreOp.delete("/c"));

    assertThat(CommitChunks.split(ops, 1_000, 100)).hasSize(3);
  }
}
