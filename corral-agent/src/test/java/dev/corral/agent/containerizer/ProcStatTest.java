package dev.corral.agent.containerizer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcStatTest {
  @Test
  void parsesNamesWithSpacesAndParentheses() {
    String line = "1234 (my (odd) name) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10";
    ProcStat.Stat s = ProcStat.parse(line);
    assertThat(s.state()).isEqualTo('S');
    assertThat(s.startTime()).isEqualTo(987654);
    assertThat(s.processGroup()).isEqualTo(1234);
    assertThat(s.zombie()).isFalse();
  }

  @Test
  void ourOwnProcessIsAliveWithItsStartTime() {
    long pid = ProcessHandle.current().pid();
    long start = ProcStat.startTime(pid);
    assertThat(start).isPositive();
    assertThat(ProcStat.alive(pid, start)).isTrue();
    assertThat(ProcStat.alive(pid, start + 1)).as("pid reuse: same pid, other start time").isFalse();
    assertThat(ProcStat.alive(pid, 0)).isTrue();
    assertThat(ProcStat.alive(Integer.MAX_VALUE, 0)).isFalse();
    assertThat(ProcStat.alive(0, 0)).isFalse();
  }

  @Test
  void pidsRoundTripAsText() {
    TaskPids p = new TaskPids(10, 20, 30, 40);
    assertThat(TaskPids.fromText(p.toText())).isEqualTo(p);
  }
}
