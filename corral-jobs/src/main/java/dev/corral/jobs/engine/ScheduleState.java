package dev.corral.jobs.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.jobs.spec.ScheduleJson;
import dev.corral.jobs.spec.ScheduleSpec;
import java.time.Instant;

/**
 * A schedule and the last occurrence it handled (started or skipped): hard state, so that after an outage
 * the scheduler knows which occurrences it missed.
 */
public record ScheduleState(ScheduleSpec spec, Instant lastScheduledAt) {
  byte[] toBytes() {
    ObjectNode o = ScheduleJson.render(spec);
    o.put("lastScheduledAt", lastScheduledAt.toString());
    return RunCodec.bytes(o);
  }

  static ScheduleState fromBytes(byte[] data) {
    var tree = RunCodec.tree(data);
    return new ScheduleState(ScheduleJson.parse(tree), Instant.parse(tree.get("lastScheduledAt").asText()));
  }
}
