package dev.corral.services.instance;

import static dev.corral.services.instance.InstanceState.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.corral.api.v1.TaskState;
import dev.corral.common.Transitions;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InstanceStateTest {
  private static final Set<InstanceState> ENDS = EnumSet.of(FINISHED, FAILED, KILLED, ERROR, DROPPED, GONE, UNKNOWN);

  /** The legal moves, written out independently of the production table. */
  private static final Map<InstanceState, Set<InstanceState>> EXPECTED = Map.ofEntries(
      Map.entry(SCHEDULED, EnumSet.of(STAGING)),
      Map.entry(STAGING, with(EnumSet.of(STARTING, RUNNING, KILLING, UNREACHABLE, SCHEDULED))),
      Map.entry(STARTING, with(EnumSet.of(RUNNING, KILLING, UNREACHABLE))),
      Map.entry(RUNNING, with(EnumSet.of(KILLING, UNREACHABLE))),
      Map.entry(KILLING, with(EnumSet.of(UNREACHABLE))),
      Map.entry(UNREACHABLE, with(EnumSet.of(STAGING, STARTING, RUNNING, KILLING))),
      Map.entry(FINISHED, EnumSet.of(SCHEDULED)),
      Map.entry(FAILED, EnumSet.of(SCHEDULED)),
      Map.entry(KILLED, EnumSet.of(SCHEDULED)),
      Map.entry(ERROR, EnumSet.of(SCHEDULED)),
      Map.entry(DROPPED, EnumSet.of(SCHEDULED)),
      Map.entry(GONE, EnumSet.of(SCHEDULED)),
      Map.entry(UNKNOWN, EnumSet.of(SCHEDULED)));

  private static Set<InstanceState> with(Set<InstanceState> s) {
    s.addAll(ENDS);
    return s;
  }

  @Test
  void everyPairIsEitherListedOrRejected() {
    assertThat(EXPECTED).containsOnlyKeys(InstanceState.values());
    int checked = 0;
    for (InstanceState from : InstanceState.values()) {
      for (InstanceState to : InstanceState.values()) {
        boolean legal = EXPECTED.get(from).contains(to);
        assertThat(InstanceState.TRANSITIONS.allowed(from, to)).as(from + " -> " + to).isEqualTo(legal);
        if (legal) {
          assertThat(InstanceState.TRANSITIONS.check(from, to)).isEqualTo(to);
        } else {
          assertThatThrownBy(() -> InstanceState.TRANSITIONS.check(from, to))
              .as(from + " -> " + to).isInstanceOf(Transitions.IllegalTransitionException.class);
        }
        checked++;
      }
    }
    assertThat(checked).isEqualTo(13 * 13);
  }

  @Test
  void terminalAndLiveStatesAreDisjointAndCoverEverythingButScheduled() {
    Set<InstanceState> all = EnumSet.copyOf(InstanceState.TERMINAL);
    all.addAll(InstanceState.LIVE);
    assertThat(all).hasSize(InstanceState.values().length - 1).doesNotContain(SCHEDULED);
    assertThat(InstanceState.TERMINAL).isEqualTo(ENDS);
  }

  @Test
  void everyTaskStateMapsToAnInstanceState() {
    for (TaskState s : TaskState.values()) {
      if (s == TaskState.TASK_STATE_UNSPECIFIED || s == TaskState.UNRECOGNIZED) {
        continue;
      }
      InstanceState mapped = InstanceState.of(s);
      assertThat(mapped.isTerminal()).as(s.name()).isEqualTo(dev.corral.api.TaskLifecycle.isTerminal(s));
    }
    assertThat(InstanceState.of(TaskState.TASK_LOST)).isEqualTo(GONE);
  }

  @Test
  void anInstanceRefusesAnIllegalMove() {
    Instance i = Instance.scheduled("a.instance-1", "/a", "v1", Instant.EPOCH);
    assertThatThrownBy(() -> i.moveTo(RUNNING, null)).isInstanceOf(Transitions.IllegalTransitionException.class);
  }
}
