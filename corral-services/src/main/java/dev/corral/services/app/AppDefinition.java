package dev.corral.services.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.services.pod.PodApps;
import dev.corral.services.pod.PodSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * An app definition, kept as the JSON the user submitted (after normalization) so that fields Corral does not
 * know or does not honour yet are stored and returned unchanged. Typed accessors read the honoured fields with
 * Marathon's defaults applied; they are parsed once, at construction.
 *
 * <p>Immutable and thread-safe: the JSON tree is private and never modified; {@link #toJson()} hands out a
 * copy. Build instances only from validated JSON ({@link AppValidator}); accessors fall back to defaults
 * rather than fail on odd values read back from an old store.
 */
public final class AppDefinition {
  public static final double DEFAULT_CPUS = 1;
  public static final double DEFAULT_MEM = 128;
  public static final double DEFAULT_DISK = 0;
  public static final List<String> DEFAULT_ACCEPTED_RESOURCE_ROLES = List.of("*");
  public static final int DEFAULT_GPUS = 0;
  public static final int DEFAULT_INSTANCES = 1;
  public static final double DEFAULT_BACKOFF_SECONDS = 1;
  public static final double DEFAULT_BACKOFF_FACTOR = 1.15;
  /** Marathon 1.5's default (one hour); later Marathon versions lowered it to 300 s. */
  public static final double DEFAULT_MAX_LAUNCH_DELAY_SECONDS = 3600;

  /** Fields that only describe a version, not what runs: a change of these alone restarts nothing. */
  private static final Set<String> NOT_CONFIG = Set.of("instances", "version", "versionInfo");

  private final ObjectNode node;
  private final String id;
  private final String cmd;
  private final List<String> args;
  private final double cpus;
  private final double mem;
  private final double disk;
  private final int gpus;
  private final int instances;
  private final Map<String, String> env;
  private final Map<String, String> labels;
  private final List<PortDefinition> portDefinitions;
  private final boolean requirePorts;
  private final Networking networking;
  private final List<HostVolume> hostVolumes;
  private final List<LocalVolume> localVolumes;
  private final List<AppSecrets> secrets;
  private final DockerParameters dockerParameters;
  private final List<Constraint> constraints;
  private final List<String> acceptedResourceRoles;
  private final double backoffSeconds;
  private final double backoffFactor;
  private final double maxLaunchDelaySeconds;
  private final OptionalInt taskKillGracePeriodSeconds;
  private final String user;
  private final KillSelection killSelection;
  private final UpgradeStrategy upgradeStrategy;
  private final UnreachableStrategy unreachableStrategy;
  private final List<String> dependencies;
  private final List<HealthCheck> healthChecks;
  private final List<ReadinessCheck> readinessChecks;
  private final List<FetchArtifact> fetch;
  private final List<String> unsupported;
  /** The pod's typed view when this definition is a pod's (see {@link PodApps}); null for an app. */
  private final PodSpec pod;
  /** A pod's secrets, per container in order; empty for an app. */
  private final List<List<AppSecrets>> podSecrets;
  /** The names of a pod's secret volumes (files the agent writes, not directories to mount). */
  private final Set<String> podSecretVolumes;
  // Read on every instance the planner, the offer round and the API look at: parsed once, not per call.
  private final String version;
  private final String configVersion;
  private final String lastScalingAt;

  private AppDefinition(ObjectNode node) {
    this.node = node;
    this.id = node.path("id").asText();
    this.cmd = node.hasNonNull("cmd") ? node.get("cmd").asText() : null;
    this.args = strings(node.get("args"));
    this.cpus = number(node, "cpus", DEFAULT_CPUS);
    this.mem = number(node, "mem", DEFAULT_MEM);
    this.disk = number(node, "disk", DEFAULT_DISK);
    this.gpus = (int) number(node, "gpus", DEFAULT_GPUS);
    this.instances = (int) number(node, "instances", DEFAULT_INSTANCES);
    this.env = textValues(node.get("env"));
    this.labels = textValues(node.get("labels"));
    this.portDefinitions = portDefinitions(node.get("portDefinitions"));
    this.requirePorts = node.path("requirePorts").asBoolean(false);
    this.networking = Networking.of(node);
    this.hostVolumes = HostVolume.of(node);
    JsonNode podNode = node.get(PodApps.POD);
    this.localVolumes = podNode != null && podNode.isObject() ? LocalVolume.ofPod(podNode) : LocalVolume.of(node);
    this.secrets = AppSecrets.of(node);
    this.dockerParameters = DockerParameters.of(node);
    this.constraints = constraints(node.get("constraints"));
    List<String> roles = strings(node.get("acceptedResourceRoles"));
    this.acceptedResourceRoles = roles.isEmpty() ? DEFAULT_ACCEPTED_RESOURCE_ROLES : roles;
    this.backoffSeconds = number(node, "backoffSeconds", DEFAULT_BACKOFF_SECONDS);
    this.backoffFactor = number(node, "backoffFactor", DEFAULT_BACKOFF_FACTOR);
    this.maxLaunchDelaySeconds = number(node, "maxLaunchDelaySeconds", DEFAULT_MAX_LAUNCH_DELAY_SECONDS);
    this.taskKillGracePeriodSeconds = node.path("taskKillGracePeriodSeconds").isNumber()
        ? OptionalInt.of(node.get("taskKillGracePeriodSeconds").asInt()) : OptionalInt.empty();
    this.user = node.hasNonNull("user") && !node.get("user").asText().isEmpty() ? node.get("user").asText() : null;
    KillSelection ks = KillSelection.YOUNGEST_FIRST;
    if (node.hasNonNull("killSelection")) {
      try {
        ks = KillSelection.valueOf(node.get("killSelection").asText());
      } catch (IllegalArgumentException e) {
        // validated on the way in; an odd stored value falls back to the default
      }
    }
    this.killSelection = ks;
    JsonNode us = node.path("upgradeStrategy");
    boolean resident = !localVolumes.isEmpty();
    // a resident instance cannot start a second task beside the one that holds its volumes
    this.upgradeStrategy = new UpgradeStrategy(us.path("minimumHealthCapacity").asDouble(resident ? 0.5 : 1.0),
        us.path("maximumOverCapacity").asDouble(resident ? 0 : 1.0));
    this.dependencies = dependencies(id, node.get("dependencies"));
    JsonNode ur = node.get("unreachableStrategy");
    this.unreachableStrategy = ur != null && ur.isTextual() && ur.asText().equals("disabled")
        ? UnreachableStrategy.DISABLED
        : ur != null && ur.isObject()
            ? new UnreachableStrategy(ur.path("inactiveAfterSeconds").asDouble(300),
                ur.path("expungeAfterSeconds").asDouble(600), true)
            : resident ? UnreachableStrategy.DISABLED : UnreachableStrategy.DEFAULT;
    this.healthChecks = objects(node.get("healthChecks")).stream().map(HealthCheck::fromJson).toList();
    this.readinessChecks = objects(node.get("readinessChecks")).stream().map(ReadinessCheck::fromJson).toList();
    this.fetch = FetchArtifact.of(node.get("fetch"), node.get("uris"));
    this.version = node.path("version").asText("");
    this.configVersion = node.path("versionInfo").path("lastConfigChangeAt").asText(version);
    this.lastScalingAt = node.path("versionInfo").path("lastScalingAt").asText(version);
    this.pod = podNode != null && podNode.isObject() ? PodSpec.of(podNode) : null;
    List<List<AppSecrets>> perContainer = new ArrayList<>();
    Set<String> secretVolumes = new java.util.HashSet<>();
    if (pod != null) {
      podNode.path("containers").forEach(c -> perContainer.add(AppSecrets.ofPodContainer(podNode, c)));
      podNode.path("volumes").forEach(v -> {
        if (v.path("secret").isTextual()) {
          secretVolumes.add(v.path("name").asText());
        }
      });
    }
    this.podSecrets = List.copyOf(perContainer);
    this.podSecretVolumes = Set.copyOf(secretVolumes);
    this.unsupported = pod != null ? PodApps.unsupported(podNode) : Unsupported.reasons(this);
  }

  /** Wraps a validated, normalized definition; the node is copied. */
  public static AppDefinition of(ObjectNode json) {
    return new AppDefinition(json.deepCopy());
  }

  public static AppDefinition fromBytes(byte[] data) {
    try {
      JsonNode tree = Json.mapper().readTree(data);
      if (!(tree instanceof ObjectNode object)) {
        throw new IllegalArgumentException("stored app definition is not a JSON object");
      }
      return new AppDefinition(object);
    } catch (IOException e) {
      throw new UncheckedIOException("stored app definition is not valid JSON", e);
    }
  }

  public byte[] toBytes() {
    try {
      return Json.mapper().writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The secrets of the pod's container {@code index}: its environment secrets and secret volume mounts. */
  public List<AppSecrets> podSecrets(int index) {
    return index < podSecrets.size() ? podSecrets.get(index) : List.of();
  }

  /** Whether the pod's volume {@code name} is a secret (a file the agent writes, not a directory). */
  public boolean podSecretVolume(String name) {
    return podSecretVolumes.contains(name);
  }

  /** A copy of the stored JSON (no defaults filled in). */
  public ObjectNode toJson() {
    return node.deepCopy();
  }

  /** The stored JSON itself, for read-only inspection within this package. */
  ObjectNode node() {
    return node;
  }

  /** Whether a field is present (and not null) in the stored definition. */
  public boolean has(String field) {
    return node.hasNonNull(field);
  }

  /**
   * Whether this and {@code other} run the same thing: with defaults filled in, they differ at most in
   * instances and version.
   */
  public boolean sameConfig(AppDefinition other) {
    ObjectNode a = AppDefaults.fill(node.deepCopy());
    ObjectNode b = AppDefaults.fill(other.node.deepCopy());
    a.remove(NOT_CONFIG);
    b.remove(NOT_CONFIG);
    // Numbers compare by value: "cpus": 1 and "cpus": 1.0 ask for the same.
    return a.equals((x, y) -> x.isNumber() && y.isNumber()
        ? Double.compare(x.asDouble(), y.asDouble()) : (x.equals(y) ? 0 : 1), b);
  }

  public String id() {
    return id;
  }

  /** The shell command, or null when the app gives {@code args} (or only a container). */
  public String cmd() {
    return cmd;
  }

  public List<String> args() {
    return args;
  }

  public double cpus() {
    return cpus;
  }

  public double mem() {
    return mem;
  }

  public double disk() {
    return disk;
  }

  public int gpus() {
    return gpus;
  }

  public int instances() {
    return instances;
  }

  /** Plain environment variables; secret references are not included (see {@link #secrets}). */
  public Map<String, String> env() {
    return env;
  }

  public Map<String, String> labels() {
    return labels;
  }

  public List<PortDefinition> portDefinitions() {
    return portDefinitions;
  }

  public boolean requirePorts() {
    return requirePorts;
  }

  /** {@code container.docker.parameters}, read. */
  public DockerParameters dockerParameters() {
    return dockerParameters;
  }

  /** The secrets the app's tasks get, as environment variables or files. */
  public List<AppSecrets> secrets() {
    return secrets;
  }

  /** {@code container.volumes} with a {@code hostPath}. */
  public List<HostVolume> hostVolumes() {
    return hostVolumes;
  }

  /** {@code container.volumes} with {@code persistent}: the app is resident when there is one. */
  public List<LocalVolume> localVolumes() {
    return localVolumes;
  }

  /**
   * Whether the app has persistent volumes: each instance then reserves what it needs on its agent and its
   * tasks always launch there (Marathon's resident apps).
   */
  public boolean isResident() {
    return !localVolumes.isEmpty();
  }

  /** The host's network, or a container network with port mappings. */
  public Networking networking() {
    return networking;
  }

  /** The host ports each task needs (PORT0…): port definitions, or mapped ports with a container network. */
  public List<Integer> hostPortRequests() {
    return pod != null ? pod.hostPortRequests() : networking.hostPortRequests(portDefinitions, requirePorts);
  }

  /** Whether this is a pod's definition (Marathon's {@code /v2/pods}) rather than an app's. */
  public boolean isPod() {
    return pod != null;
  }

  /** The pod's typed view; null for an app. */
  public PodSpec pod() {
    return pod;
  }

  /** Whether the instances have health checks (an app's, or any of a pod's containers'). */
  public boolean hasHealthChecks() {
    return pod != null ? pod.hasHealthChecks() : !healthChecks.isEmpty();
  }

  public List<Constraint> constraints() {
    return constraints;
  }

  /**
   * Roles whose resources the app may use; unreserved ones only ({@code *}) unless the definition names others,
   * as DC/OS configures Marathon ({@code --default_accepted_resource_roles=*}).
   */
  public List<String> acceptedResourceRoles() {
    return acceptedResourceRoles;
  }

  public double backoffSeconds() {
    return backoffSeconds;
  }

  public double backoffFactor() {
    return backoffFactor;
  }

  public double maxLaunchDelaySeconds() {
    return maxLaunchDelaySeconds;
  }

  public OptionalInt taskKillGracePeriodSeconds() {
    return taskKillGracePeriodSeconds;
  }

  /** The user to run as, or null for the scheduler's default. */
  public String user() {
    return user;
  }

  public KillSelection killSelection() {
    return killSelection;
  }

  /** The health checks, run on the agent; the scheduler kills a task that fails too many times in a row. */
  public List<HealthCheck> healthChecks() {
    return healthChecks;
  }

  /** The readiness checks, run on the agent until they pass once. */
  public List<ReadinessCheck> readinessChecks() {
    return readinessChecks;
  }

  /** What the agent fetches into each task's sandbox: the {@code fetch} entries, then the legacy {@code uris}. */
  public List<FetchArtifact> fetch() {
    return fetch;
  }

  public UpgradeStrategy upgradeStrategy() {
    return upgradeStrategy;
  }

  public UnreachableStrategy unreachableStrategy() {
    return unreachableStrategy;
  }

  /** Ids of the apps or groups this app depends on, absolute (resolved against the app's group). */
  public List<String> dependencies() {
    return dependencies;
  }

  /** Why Corral cannot launch this app yet ({@link Unsupported}); empty when it can. */
  public List<String> unsupportedReasons() {
    return unsupported;
  }

  /** The timestamp of the last change of any kind. */
  public String version() {
    return version;
  }

  /** The timestamp of the last change that was not just scaling; instances of older configs are replaced. */
  public String configVersion() {
    return configVersion;
  }

  public String lastScalingAt() {
    return lastScalingAt;
  }

  private static double number(ObjectNode node, String field, double fallback) {
    JsonNode v = node.get(field);
    return v != null && v.isNumber() ? v.asDouble() : fallback;
  }

  private static List<String> strings(JsonNode array) {
    if (array == null || !array.isArray()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(array.size());
    array.forEach(v -> out.add(v.asText()));
    return List.copyOf(out);
  }

  private static Map<String, String> textValues(JsonNode object) {
    if (object == null || !object.isObject()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    object.fields().forEachRemaining(e -> {
      if (e.getValue().isTextual()) {
        out.put(e.getKey(), e.getValue().asText());
      }
    });
    return Collections.unmodifiableMap(out);
  }

  private static List<String> dependencies(String id, JsonNode array) {
    if (array == null || !array.isArray() || id.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(array.size());
    for (JsonNode d : array) {
      try {
        out.add(AppIds.resolve(AppIds.parent(id), d.asText()));
      } catch (IllegalArgumentException e) {
        // validated on the way in
      }
    }
    return List.copyOf(out);
  }

  private static List<JsonNode> objects(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    if (array != null && array.isArray()) {
      array.forEach(e -> {
        if (e.isObject()) {
          out.add(e);
        }
      });
    }
    return out;
  }

  private static List<PortDefinition> portDefinitions(JsonNode array) {
    if (array == null || !array.isArray()) {
      return List.of();
    }
    List<PortDefinition> out = new ArrayList<>(array.size());
    for (JsonNode p : array) {
      out.add(new PortDefinition(p.path("port").asInt(0), p.path("protocol").asText("tcp"),
          p.hasNonNull("name") ? p.get("name").asText() : null, textValues(p.get("labels"))));
    }
    return List.copyOf(out);
  }

  private static List<Constraint> constraints(JsonNode array) {
    if (array == null || !array.isArray()) {
      return List.of();
    }
    List<Constraint> out = new ArrayList<>(array.size());
    for (JsonNode c : array) {
      try {
        out.add(Constraint.of(c.path(0).asText(), c.path(1).asText(),
            c.size() > 2 && !c.get(2).isNull() ? c.get(2).asText() : null));
      } catch (IllegalArgumentException e) {
        // validated on the way in
      }
    }
    return List.copyOf(out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AppDefinition other && node.equals(other.node);
  }

  @Override
  public int hashCode() {
    return node.hashCode();
  }

  @Override
  public String toString() {
    return node.toString();
  }
}
