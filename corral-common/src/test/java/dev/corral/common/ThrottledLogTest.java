package dev.corral.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThrottledLogTest {
  @Test
  void logsAFewPerMinuteAndSaysHowManyItLeftOut() {
    AtomicLong now = new AtomicLong();
    ThrottledLog throttled = new ThrottledLog(2, now::get);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int n = i;
      throttled.log(suffix -> lines.add("m" + n + suffix));
    }
    assertThat(lines).containsExactly("m0", "m1");
    now.addAndGet(61_000_000_000L);
    throttled.log(suffix -> lines.add("m5" + suffix));
    throttled.log(suffix -> lines.add("m6" + suffix));
    assertThat(lines).containsExactly("m0", "m1", "m5 (3 similar messages left out before this one)", "m6");
  }
}
