package dev.corral.jobs.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.corral.common.Transitions;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunStateTest {
  private static final Map<RunState, Set<RunState>> LEGAL = Map.of(
      RunState.INITIAL, Set.of(RunState.STARTING, RunState.FAILED),
      RunState.STARTING, Set.of(RunState.ACTIVE, RunState.SUCCESS, RunState.FAILED, RunState.INITIAL),
      RunState.ACTIVE, Set.of(RunState.SUCCESS, RunState.FAILED, RunState.INITIAL),
      RunState.SUCCESS, Set.of(),
      RunState.FAILED, Set.of());

  @Test
  void everyPairIsAllowedExactlyWhenListed() {
    for (RunState from : RunState.values()) {
      for (RunState to : RunState.values()) {
        boolean legal = LEGAL.get(from).contains(to);
        assertThat(RunState.TRANSITIONS.allowed(from, to)).as(from + " -> " + to).isEqualTo(legal);
        JobRun run = new JobRun("r", "j", from, Instant.EPOCH, null, Instant.EPOCH, false, java.util.List.of());
        if (legal) {
          assertThat(run.moveTo(to, Instant.EPOCH).status()).isEqualTo(to);
        } else {
          assertThatThrownBy(() -> run.moveTo(to, Instant.EPOCH))
              .isInstanceOf(Transitions.IllegalTransitionException.class);
        }
      }
    }
  }

  @Test
  void finalStatesSetTheCompletionTime() {
    JobRun run = JobRun.created("r", "j", Instant.EPOCH).moveTo(RunState.FAILED, Instant.ofEpochSecond(5));
    assertThat(run.completedAt()).isEqualTo(Instant.ofEpochSecond(5));
    assertThat(RunState.SUCCESS.isFinal()).isTrue();
    assertThat(RunState.ACTIVE.isFinal()).isFalse();
  }
}
