package dev.corral.services.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.services.app.Constraint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConstraintTrackerTest {

  private static Map<String, String> agent(String host, String rack) {
    return rack == null ? Map.of("hostname", host) : Map.of("hostname", host, "rack", rack);
  }

  private static ConstraintTracker tracker(Constraint c, Map<String, String>... placed) {
    return ConstraintTracker.of(List.of(c), List.of(placed));
  }

  private static boolean ok(ConstraintTracker t, Map<String, String> agent) {
    return t.violated(agent) == null;
  }

  @Test
  void unique() {
    ConstraintTracker t = tracker(Constraint.of("hostname", "UNIQUE", null), agent("a", null));
    assertThat(ok(t, agent("a", null))).isFalse();
    assertThat(ok(t, agent("b", null))).isTrue();
    t.record(agent("b", null));
    assertThat(ok(t, agent("b", null))).isFalse();
  }

  @Test
  void clusterWithAndWithoutValue() {
    assertThat(ok(tracker(Constraint.of("rack", "CLUSTER", "r1")), agent("a", "r1"))).isTrue();
    assertThat(ok(tracker(Constraint.of("rack", "CLUSTER", "r1")), agent("a", "r2"))).isFalse();
    ConstraintTracker pinned = tracker(Constraint.of("rack", "CLUSTER", null));
    assertThat(ok(pinned, agent("a", "r2"))).as("the first instance may go anywhere").isTrue();
    pinned.record(agent("a", "r2"));
    assertThat(ok(pinned, agent("b", "r2"))).isTrue();
    assertThat(ok(pinned, agent("c", "r3"))).isFalse();
  }

  @Test
  void likeAndUnlikeMatchTheWholeValue() {
    assertThat(ok(tracker(Constraint.of("hostname", "LIKE", "srv2.*")), agent("srv2.example", null))).isTrue();
    assertThat(ok(tracker(Constraint.of("hostname", "LIKE", "srv2")), agent("srv2.example", null))).isFalse();
    assertThat(ok(tracker(Constraint.of("hostname", "UNLIKE", "db-.*")), agent("db-1", null))).isFalse();
    assertThat(ok(tracker(Constraint.of("hostname", "UNLIKE", "db-.*")), agent("web-1", null))).isTrue();
  }

  @Test
  void maxPer() {
    ConstraintTracker t = tracker(Constraint.of("rack", "MAX_PER", "2"), agent("a", "r1"));
    assertThat(ok(t, agent("b", "r1"))).isTrue();
    t.record(agent("b", "r1"));
    assertThat(ok(t, agent("c", "r1"))).isFalse();
    assertThat(ok(t, agent("c", "r2"))).isTrue();
  }

  @Test
  void groupByEvensOutOverTheValuesSeen() {
    ConstraintTracker t = tracker(Constraint.of("rack", "GROUP_BY", "2"));
    assertThat(ok(t, agent("a", "r1"))).isTrue();
    t.record(agent("a", "r1"));
    assertThat(ok(t, agent("a", "r1"))).as("fewer groups than asked for: only a new value").isFalse();
    assertThat(ok(t, agent("b", "r2"))).isTrue();
    t.record(agent("b", "r2"));
    assertThat(ok(t, agent("a", "r1"))).as("r1 and r2 have one each").isTrue();
    t.record(agent("a", "r1"));
    assertThat(ok(t, agent("a", "r1"))).as("r1 has more than r2").isFalse();
    assertThat(ok(t, agent("b", "r2"))).isTrue();
  }

  @Test
  void isComparesTheExactValue() {
    assertThat(ok(tracker(Constraint.of("rack", "IS", "r1")), agent("a", "r1"))).isTrue();
    assertThat(ok(tracker(Constraint.of("rack", "IS", "r1")), agent("a", "r10"))).isFalse();
  }

  @Test
  void aMissingAttributeSatisfiesOnlyUnlike() {
    List<String> passing = new ArrayList<>();
    for (String op : List.of("UNIQUE", "CLUSTER", "GROUP_BY", "LIKE", "UNLIKE", "MAX_PER", "IS")) {
      String value = op.equals("MAX_PER") ? "1" : op.equals("GROUP_BY") || op.equals("UNIQUE") ? null : "x";
      if (ok(tracker(Constraint.of("rack", op, value)), agent("a", null))) {
        passing.add(op);
      }
    }
    assertThat(passing).containsExactly("UNLIKE");
  }
}
