package dev.corral.jobs.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.jobs.cron.CronExpression;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads (validating) and writes Metronome's schedule JSON. */
public final class ScheduleJson {
  static final Pattern ID = Pattern.compile("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$");
  private static final Set<String> POLICIES = Set.of("ALLOW", "FORBID");

  private ScheduleJson() {}

  /** Parses a schedule body; fails with every violation. */
  public static ScheduleSpec parse(JsonNode body) {
    Checker c = new Checker();
    ScheduleSpec s = read(c, body, "");
    c.throwIfInvalid();
    return s;
  }

  static ScheduleSpec read(Checker c, JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      c.fail(path.isEmpty() ? "/" : path, "must be an object");
      return null;
    }
    String id = c.string(node, "id", path, true);
    if (id != null && !ID.matcher(id).matches()) {
      c.fail(path + "/id", "must be lowercase letters, digits and dashes, not beginning or ending with a dash");
    }
    String cronText = c.string(node, "cron", path, true);
    CronExpression cron = null;
    if (cronText != null) {
      try {
        cron = CronExpression.parse(cronText);
      } catch (IllegalArgumentException e) {
        c.fail(path + "/cron", "invalid cron expression: " + e.getMessage());
      }
    }
    String tz = c.string(node, "timezone", path, false);
    ZoneId zone = ZoneId.of("UTC");
    if (tz != null) {
      try {
        zone = ZoneId.of(tz);
      } catch (DateTimeException e) {
        c.fail(path + "/timezone", "unknown time zone '" + tz + "'");
      }
    }
    Integer deadline = c.integer(node, "startingDeadlineSeconds", path, ScheduleSpec.DEFAULT_STARTING_DEADLINE, 1);
    String policy = c.string(node, "concurrencyPolicy", path, false);
    if (policy == null) {
      policy = "ALLOW";
    } else if (!POLICIES.contains(policy)) {
      c.fail(path + "/concurrencyPolicy", "must be one of ALLOW, FORBID");
    }
    boolean enabled = c.bool(node, "enabled", path, true);
    if (id == null || cron == null) {
      return null;
    }
    return new ScheduleSpec(id, cron, zone, deadline, policy, enabled);
  }

  public static ObjectNode render(ScheduleSpec s) {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("id", s.id());
    o.put("cron", s.cron().text());
    o.put("timezone", s.timezone().getId());
    o.put("startingDeadlineSeconds", s.startingDeadlineSeconds());
    o.put("concurrencyPolicy", s.concurrencyPolicy());
    o.put("enabled", s.enabled());
    return o;
  }
}
