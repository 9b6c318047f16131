package dev.corral.services.pod;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The typed view of a stored pod definition (Marathon's {@code PodDefinition}) with Marathon's defaults
 * applied: what the scheduler needs to place and launch an instance. Built from validated JSON
 * ({@link PodValidator}); odd values read back from an old store fall back to the defaults. Immutable.
 *
 * @param network how the pod's containers are networked: {@link Network#HOST} (the agent's network) or
 *     {@link Network#CONTAINER} (one network namespace for the whole instance)
 * @param networkName {@code networks[0].name}, "" when none
 * @param executorResources what the instance takes beyond its containers (Marathon's default executor)
 */
public record PodSpec(List<Container> containers, List<Volume> volumes, Network network, String networkName,
    Map<String, String> env, String user, Resources executorResources) {

  /** Marathon's default {@code executorResources}. */
  public static final Resources DEFAULT_EXECUTOR = new Resources(0.1, 32, 10, 0);
  public static final double DEFAULT_CPUS = 1;
  public static final double DEFAULT_MEM = 128;

  public enum Network { HOST, CONTAINER }

  public record Resources(double cpus, double mem, double disk, int gpus) {}

  /**
   * One endpoint of a container.
   *
   * @param containerPort the port inside the container's network; null when not given
   * @param hostPort the host port asked for (0: any from the offer); null when the endpoint needs none
   */
  public record Endpoint(String name, Integer containerPort, Integer hostPort, List<String> protocols,
      Map<String, String> labels) {}

  /** A mount of one of the pod's volumes into a container, at a path relative to the container's sandbox or absolute. */
  public record VolumeMount(String name, String mountPath, boolean readOnly) {}

  /** An ephemeral volume ({@code host} null: a directory in the instance's sandbox) or a host path. */
  public record Volume(String name, String hostPath) {}

  /**
   * A container's health check (one of HTTP, TCP, COMMAND) with Marathon's pod defaults applied.
   *
   * @param endpoint the endpoint an HTTP or TCP check probes; null for COMMAND
   */
  public record Check(String kind, String endpoint, String path, boolean https, String command,
      int gracePeriodSeconds, int intervalSeconds, int timeoutSeconds, int maxConsecutiveFailures,
      int delaySeconds) {}

  /** A fetch artifact of a container. */
  public record Artifact(String uri, boolean extract, boolean executable, boolean cache, String destPath) {}

  /**
   * One container of the pod.
   *
   * @param shell the shell command ({@code exec.command.shell}); null when argv is given or nothing is
   * @param argv {@code exec.command.argv}; empty when not given
   * @param image the image reference ({@code image.id}); null when the container runs on the host's filesystem
   * @param killGracePeriodSeconds null when not given
   */
  public record Container(String name, Resources resources, String shell, List<String> argv, String image,
      boolean forcePull, List<Endpoint> endpoints, Check healthCheck, Map<String, String> env, String user,
      List<VolumeMount> volumeMounts, List<Artifact> artifacts, Map<String, String> labels,
      Double killGracePeriodSeconds) {}

  public PodSpec {
    containers = List.copyOf(containers);
    volumes = List.copyOf(volumes);
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
  }

  /** Reads a validated pod definition (the pod's own JSON, as Marathon shows it). */
  public static PodSpec of(JsonNode pod) {
    List<Container> containers = new ArrayList<>();
    for (JsonNode c : pod.path("containers")) {
      containers.add(container(c));
    }
    List<Volume> volumes = new ArrayList<>();
    for (JsonNode v : pod.path("volumes")) {
      volumes.add(new Volume(v.path("name").asText(""), v.hasNonNull("host") ? v.get("host").asText() : null));
    }
    JsonNode net = pod.path("networks").path(0);
    String mode = net.path("mode").asText("host");
    Network network = mode.equals("host") || !net.isObject() ? Network.HOST : Network.CONTAINER;
    JsonNode exec = pod.path("executorResources");
    Resources executor = new Resources(number(exec, "cpus", DEFAULT_EXECUTOR.cpus()),
        number(exec, "mem", DEFAULT_EXECUTOR.mem()), number(exec, "disk", DEFAULT_EXECUTOR.disk()), 0);
    return new PodSpec(containers, volumes, network, net.path("name").asText(""), texts(pod.get("environment")),
        pod.hasNonNull("user") ? pod.get("user").asText() : null, executor);
  }

  private static Container container(JsonNode c) {
    JsonNode r = c.path("resources");
    Resources resources = new Resources(number(r, "cpus", DEFAULT_CPUS), number(r, "mem", DEFAULT_MEM),
        number(r, "disk", 0), (int) number(r, "gpus", 0));
    JsonNode command = c.path("exec").path("command");
    String shell = command.hasNonNull("shell") ? command.get("shell").asText() : null;
    List<String> argv = new ArrayList<>();
    command.path("argv").forEach(a -> argv.add(a.asText()));
    JsonNode image = c.path("image");
    String imageId = image.hasNonNull("id") ? image.get("id").asText() : null;
    boolean forcePull = image.path("forcePull").asBoolean(false) || image.path("force").asBoolean(false);
    List<Endpoint> endpoints = new ArrayList<>();
    for (JsonNode e : c.path("endpoints")) {
      List<String> protocols = new ArrayList<>();
      e.path("protocol").forEach(p -> protocols.add(p.asText()));
      endpoints.add(new Endpoint(e.path("name").asText(""),
          e.path("containerPort").isNumber() ? e.get("containerPort").asInt() : null,
          e.path("hostPort").isNumber() ? e.get("hostPort").asInt() : null, List.copyOf(protocols),
          texts(e.get("labels"))));
    }
    List<VolumeMount> mounts = new ArrayList<>();
    for (JsonNode m : c.path("volumeMounts")) {
      mounts.add(new VolumeMount(m.path("name").asText(""), m.path("mountPath").asText(""),
          m.path("readOnly").asBoolean(false)));
    }
    List<Artifact> artifacts = new ArrayList<>();
    for (JsonNode a : c.path("artifacts")) {
      artifacts.add(new Artifact(a.path("uri").asText(""), a.path("extract").asBoolean(true),
          a.path("executable").asBoolean(false), a.path("cache").asBoolean(false), a.path("destPath").asText("")));
    }
    JsonNode grace = c.path("lifecycle").path("killGracePeriodSeconds");
    return new Container(c.path("name").asText(""), resources, shell, List.copyOf(argv), imageId, forcePull,
        List.copyOf(endpoints), check(c.get("healthCheck")), texts(c.get("environment")),
        c.hasNonNull("user") ? c.get("user").asText() : null, List.copyOf(mounts), List.copyOf(artifacts),
        texts(c.get("labels")), grace.isNumber() ? grace.asDouble() : null);
  }

  private static Check check(JsonNode h) {
    if (h == null || !h.isObject()) {
      return null;
    }
    String kind;
    String endpoint = null;
    String path = "/";
    boolean https = false;
    String command = null;
    if (h.hasNonNull("http")) {
      kind = "HTTP";
      endpoint = h.get("http").path("endpoint").asText("");
      path = h.get("http").path("path").asText("/");
      https = h.get("http").path("scheme").asText("HTTP").toUpperCase(Locale.ROOT).equals("HTTPS");
    } else if (h.hasNonNull("tcp")) {
      kind = "TCP";
      endpoint = h.get("tcp").path("endpoint").asText("");
    } else if (h.hasNonNull("exec")) {
      kind = "COMMAND";
      JsonNode cmd = h.get("exec").path("command");
      if (cmd.hasNonNull("shell")) {
        command = cmd.get("shell").asText();
      } else {
        List<String> words = new ArrayList<>();
        cmd.path("argv").forEach(a -> words.add(a.asText()));
        command = String.join(" ", words);
      }
    } else {
      return null;
    }
    // Marathon's pod health check defaults (MesosHealthCheck in the RAML): not the app ones.
    return new Check(kind, endpoint, path, https, command, integer(h, "gracePeriodSeconds", 300),
        integer(h, "intervalSeconds", 60), integer(h, "timeoutSeconds", 20), integer(h, "maxConsecutiveFailures", 3),
        integer(h, "delaySeconds", 15));
  }

  /** The instance's resources: its containers' plus the executor's. */
  public Resources total() {
    double cpus = executorResources.cpus();
    double mem = executorResources.mem();
    double disk = executorResources.disk();
    int gpus = 0;
    for (Container c : containers) {
      cpus += c.resources().cpus();
      mem += c.resources().mem();
      disk += c.resources().disk();
      gpus += c.resources().gpus();
    }
    return new Resources(round(cpus), round(mem), round(disk), gpus);
  }

  /**
   * The host ports an instance needs, in container and endpoint order: on the host network every endpoint
   * takes one (its hostPort, 0 = any); on a container network only those that give a hostPort.
   */
  public List<Integer> hostPortRequests() {
    List<Integer> out = new ArrayList<>();
    for (Container c : containers) {
      for (Endpoint e : c.endpoints()) {
        if (network == Network.HOST) {
          out.add(e.hostPort() == null ? 0 : e.hostPort());
        } else if (e.hostPort() != null) {
          out.add(e.hostPort());
        }
      }
    }
    return out;
  }

  /** Whether any container has a health check. */
  public boolean hasHealthChecks() {
    return containers.stream().anyMatch(c -> c.healthCheck() != null);
  }

  public Container container(String name) {
    for (Container c : containers) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    return null;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static double number(JsonNode n, String field, double fallback) {
    JsonNode v = n.get(field);
    return v != null && v.isNumber() ? v.asDouble() : fallback;
  }

  private static int integer(JsonNode n, String field, int fallback) {
    JsonNode v = n.get(field);
    return v != null && v.isNumber() && v.asInt() >= 0 ? v.asInt() : fallback;
  }

  private static Map<String, String> texts(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    if (object != null && object.isObject()) {
      object.fields().forEachRemaining(e -> {
        if (e.getValue().isTextual()) {
          out.put(e.getKey(), e.getValue().asText());
        } else if (e.getValue().isNumber() || e.getValue().isBoolean()) {
          out.put(e.getKey(), e.getValue().asText());
        }
      });
    }
    return Collections.unmodifiableMap(out);
  }
}
