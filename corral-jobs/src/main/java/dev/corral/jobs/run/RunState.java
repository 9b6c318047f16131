package dev.corral.jobs.run;

import dev.corral.common.Transitions;

/**
 * The life of a job run (Metronome's run statuses).
 * <pre>
 *   INITIAL ──launch──▶ STARTING ──TASK_RUNNING──▶ ACTIVE
 *      │  ▲                │  │                     │  │
 *      │  └──retry (ON_FAILURE, before the deadline)─┘  │
 *      │                   │  └──finished──▶ SUCCESS ◀──┘
 *      └──deadline/stop────┴──failed/killed──▶ FAILED ◀─┘
 * </pre>
 * SUCCESS and FAILED are final: the run moves to the job's history.
 */
public enum RunState {
  INITIAL, STARTING, ACTIVE, SUCCESS, FAILED;

  public static final Transitions<RunState> TRANSITIONS = Transitions.of(RunState.class)
      .from(INITIAL, STARTING, FAILED)
      .from(STARTING, ACTIVE, SUCCESS, FAILED, INITIAL)
      .from(ACTIVE, SUCCESS, FAILED, INITIAL)
      .build();

  public boolean isFinal() {
    return this == SUCCESS || this == FAILED;
  }
}
