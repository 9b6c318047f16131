package dev.corral.services.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.api.ContainerOptions;
import dev.corral.api.v1.ContainerInfo;
import dev.corral.api.v1.Rlimit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Marathon's {@code container.docker.parameters}: {@code docker run} options as {@code {"key", "value"}} pairs
 * (key without the dashes, repeatable). There is no Docker daemon here; the options the oci containerizer can
 * honour are applied: {@code env}, {@code label}, {@code user}, {@code hostname}, {@code workdir},
 * {@code cap-add}, {@code cap-drop}, {@code ulimit} and {@code shm-size}. Any other key makes the app wait
 * ({@link Unsupported}): running without an option the user asked for could run something else. Immutable.
 *
 * @param env {@code --env K=V}; the app's own {@code env} wins on a clash
 * @param labels {@code --label k=v}; the app's own {@code labels} win
 * @param user {@code --user}; the app's own {@code user} wins; null when not given
 * @param unsupported keys given that are not applied, in order
 */
public record DockerParameters(Map<String, String> env, Map<String, String> labels, String user, String hostname,
    String workdir, List<String> capAdd, List<String> capDrop, List<Rlimit> rlimits, long shmSizeBytes,
    List<String> unsupported) {
  public static final List<String> KEYS = List.of("env", "label", "user", "hostname", "workdir", "cap-add", "cap-drop",
      "ulimit", "shm-size");
  private static final Pattern ULIMIT = Pattern.compile("([a-z]+)=(-?\\d+)(?::(-?\\d+))?");
  private static final Pattern SIZE = Pattern.compile("(\\d+)([bkmg]?)", Pattern.CASE_INSENSITIVE);

  static final DockerParameters NONE = new DockerParameters(Map.of(), Map.of(), null, "", "", List.of(), List.of(),
      List.of(), 0, List.of());

  /** The app's parameters; values that do not parse are left out (the validator reports them). */
  public static DockerParameters of(JsonNode app) {
    JsonNode params = app.path("container").path("docker").path("parameters");
    if (!params.isArray() || params.isEmpty()) {
      return NONE;
    }
    Map<String, String> env = new LinkedHashMap<>();
    Map<String, String> labels = new LinkedHashMap<>();
    String user = null;
    String hostname = "";
    String workdir = "";
    List<String> capAdd = new ArrayList<>();
    List<String> capDrop = new ArrayList<>();
    List<Rlimit> rlimits = new ArrayList<>();
    long shm = 0;
    List<String> unsupported = new ArrayList<>();
    for (JsonNode p : params) {
      String key = p.path("key").asText("");
      String value = p.path("value").asText("");
      switch (key) {
        case "env" -> put(env, value);
        case "label" -> put(labels, value);
        case "user" -> user = value;
        case "hostname" -> hostname = value;
        case "workdir" -> workdir = value;
        case "cap-add" -> addCapability(capAdd, value);
        case "cap-drop" -> addCapability(capDrop, value);
        case "ulimit" -> {
          Rlimit r = rlimit(value);
          if (r != null) {
            rlimits.add(r);
          }
        }
        case "shm-size" -> shm = Math.max(0, size(value));
        default -> unsupported.add(key);
      }
    }
    return new DockerParameters(Map.copyOf(env), Map.copyOf(labels), user, hostname, workdir, List.copyOf(capAdd),
        List.copyOf(capDrop), List.copyOf(rlimits), shm, List.copyOf(unsupported));
  }

  /** What is wrong with one parameter's value, or null when it is fine (an unsupported key is fine here). */
  static String problem(String key, String value) {
    return switch (key) {
      case "env", "label" -> value.indexOf('=') > 0 ? null : "must be NAME=VALUE";
      case "cap-add", "cap-drop" -> ContainerOptions.capability(value) != null ? null
          : "unknown capability " + value + " (e.g. NET_ADMIN, SYS_PTRACE, ALL)";
      case "ulimit" -> rlimit(value) != null ? null
          : "must be NAME=SOFT[:HARD] with NAME one of " + String.join(", ", ContainerOptions.RLIMITS.keySet().stream()
              .sorted().toList()) + " (e.g. nofile=1024:2048)";
      case "shm-size" -> size(value) > 0 ? null : "must be a size such as 256m or 1g";
      case "workdir" -> value.startsWith("/") ? null : "must be an absolute path";
      case "user", "hostname" -> value.isBlank() ? "must not be empty" : null;
      default -> null;
    };
  }

  /** Adds what the oci containerizer applies to the task's image. */
  public ContainerInfo.Builder applyTo(ContainerInfo.Builder container) {
    return container.addAllCapAdd(capAdd).addAllCapDrop(capDrop).addAllRlimits(rlimits).setHostname(hostname)
        .setWorkingDir(workdir).setShmSizeBytes(shmSizeBytes);
  }

  private static void put(Map<String, String> into, String assignment) {
    int eq = assignment.indexOf('=');
    if (eq > 0) {
      into.put(assignment.substring(0, eq), assignment.substring(eq + 1));
    }
  }

  private static void addCapability(List<String> into, String name) {
    String cap = ContainerOptions.capability(name);
    if (cap != null && !into.contains(cap)) {
      into.add(cap);
    }
  }

  /** {@code nofile=1024:2048} (soft:hard; one number sets both; -1 is unlimited); null when it does not parse. */
  static Rlimit rlimit(String value) {
    Matcher m = ULIMIT.matcher(value.trim());
    if (!m.matches() || !ContainerOptions.RLIMITS.containsKey(m.group(1))) {
      return null;
    }
    long soft = Long.parseLong(m.group(2));
    long hard = m.group(3) == null ? soft : Long.parseLong(m.group(3));
    if (soft != -1 && hard != -1 && soft > hard || soft < -1 || hard < -1) {
      return null;
    }
    return Rlimit.newBuilder().setType(ContainerOptions.RLIMITS.get(m.group(1))).setSoft(soft).setHard(hard).build();
  }

  /** {@code 256m}, {@code 1g}, {@code 65536} (bytes); -1 when it does not parse. */
  static long size(String value) {
    Matcher m = SIZE.matcher(value.trim());
    if (!m.matches()) {
      return -1;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k" -> n << 10;
      case "m" -> n << 20;
      case "g" -> n << 30;
      default -> n;
    };
  }
}
