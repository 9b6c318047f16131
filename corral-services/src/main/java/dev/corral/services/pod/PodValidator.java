package dev.corral.services.pod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.services.app.AppIds;
import dev.corral.services.app.AppValidator;
import dev.corral.services.app.LocalVolume;
import dev.corral.services.app.Violation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a pod definition against Marathon's rules (its pod RAML plus the checks of Marathon's pod validator)
 * and reports every problem at once, as JSON pointers into the submitted document. Unknown fields are kept,
 * not refused; fields Corral cannot honour yet are valid here ({@link PodApps#unsupported} says why such a pod
 * waits).
 */
public final class PodValidator {
  /** Marathon's container, endpoint and volume names. */
  private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$");
  private static final Set<String> MODES = Set.of("host", "container", "container/bridge");
  private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "http", "http2", "https", "grpc");
  private static final List<String> CHECK_TIMES =
      List.of("gracePeriodSeconds", "intervalSeconds", "timeoutSeconds", "maxConsecutiveFailures", "delaySeconds");

  private final List<Violation> violations = new ArrayList<>();
  private final JsonNode pod;

  private PodValidator(JsonNode pod) {
    this.pod = pod;
  }

  /** All violations of {@code pod}; empty when it is valid. Null-valued fields count as absent. */
  public static List<Violation> validate(JsonNode pod) {
    PodValidator v = new PodValidator(pod);
    if (!pod.isObject()) {
      return List.of(new Violation("/", "a pod definition must be a JSON object"));
    }
    v.run();
    return List.copyOf(v.violations);
  }

  private void run() {
    checkId();
    textMap(pod.get("labels"), "/labels");
    env(pod.get("environment"), "/environment");
    string(pod.get("user"), "/user");
    Set<String> volumes = checkVolumes();
    String mode = checkNetworks();
    checkScaling();
    checkScheduling();
    JsonNode exec = pod.get("executorResources");
    if (present(exec)) {
      if (!exec.isObject()) {
        add("/executorResources", "must be an object");
      } else {
        for (String f : List.of("cpus", "mem", "disk")) {
          nonNegative(exec.get(f), "/executorResources/" + f);
        }
      }
    }
    checkSecrets();
    checkContainers(volumes, mode);
  }

  private void checkId() {
    JsonNode id = pod.get("id");
    if (!present(id)) {
      add("/id", "must be given");
    } else if (!id.isTextual()) {
      add("/id", "must be a string");
    } else {
      try {
        AppIds.canonical(id.asText());
      } catch (IllegalArgumentException e) {
        add("/id", e.getMessage());
      }
    }
  }

  private Set<String> checkVolumes() {
    Set<String> names = new HashSet<>();
    JsonNode volumes = pod.get("volumes");
    if (!present(volumes)) {
      return names;
    }
    if (!volumes.isArray()) {
      add("/volumes", "must be an array");
      return names;
    }
    for (int i = 0; i < volumes.size(); i++) {
      JsonNode v = volumes.get(i);
      String at = "/volumes/" + i;
      if (!v.isObject()) {
        add(at, "must be an object");
        continue;
      }
      JsonNode name = v.get("name");
      if (!present(name) || !name.isTextual() || !NAME.matcher(name.asText()).matches()) {
        add(at + "/name", "must be a name of letters, digits and '-' (" + NAME.pattern() + ")");
      } else if (!names.add(name.asText())) {
        add(at + "/name", "volume names must be unique: '" + name.asText() + "' is used twice");
      }
      JsonNode host = v.get("host");
      if (present(host) && (!host.isTextual() || !host.asText().startsWith("/"))) {
        add(at + "/host", "must be an absolute path");
      }
      JsonNode persistent = v.get("persistent");
      if (present(persistent)) {
        JsonNode size = persistent.get("size");
        if (!persistent.isObject() || size == null || !size.isIntegralNumber() || size.asLong() < 1) {
          add(at + "/persistent/size", "must be a whole number of MB, at least 1");
        }
      }
      JsonNode secret = v.get("secret");
      if (present(secret)) {
        if (!secret.isTextual()) {
          add(at + "/secret", "must be the name of a secret the pod declares in \"secrets\"");
        } else {
          checkSecretName(secret.asText(), at + "/secret");
        }
      }
    }
    return names;
  }

  /** {@code secrets}: each a name for a secret's {@code source}, a path of the cluster's secret store. */
  private void checkSecrets() {
    JsonNode secrets = pod.get("secrets");
    if (!present(secrets)) {
      return;
    }
    if (!secrets.isObject()) {
      add("/secrets", "must be an object");
      return;
    }
    secrets.fields().forEachRemaining(e -> {
      JsonNode source = e.getValue().get("source");
      String at = "/secrets/" + e.getKey() + "/source";
      if (source == null || !source.isTextual()) {
        add(at, "must be the secret's path in the store, e.g. \"db/password\"");
        return;
      }
      String id = pod.path("id").asText(null);
      String owner = id == null ? null : id.startsWith("/") ? id : "/" + id;
      String problem = dev.corral.state.SecretStore.sourceProblem(owner, source.asText());
      if (problem != null) {
        add(at, problem);
      }
    });
  }

  private void checkSecretName(String name, String at) {
    if (!pod.path("secrets").path(name).isObject()) {
      add(at, "references the secret '" + name + "', which \"secrets\" does not declare");
    }
  }

  private String checkNetworks() {
    JsonNode networks = pod.get("networks");
    if (!present(networks)) {
      return "host";
    }
    if (!networks.isArray()) {
      add("/networks", "must be an array");
      return "host";
    }
    String first = "host";
    for (int i = 0; i < networks.size(); i++) {
      JsonNode n = networks.get(i);
      String at = "/networks/" + i;
      if (!n.isObject()) {
        add(at, "must be an object");
        continue;
      }
      String mode = n.path("mode").asText("container");
      if (!MODES.contains(mode)) {
        add(at + "/mode", "must be host, container or container/bridge");
      }
      if (i == 0) {
        first = mode;
      } else if (mode.equals("host") || first.equals("host")) {
        add(at + "/mode", "host networking cannot be combined with other networks");
      }
      JsonNode name = n.get("name");
      if (present(name) && !name.isTextual()) {
        add(at + "/name", "must be a string");
      }
      textMap(n.get("labels"), at + "/labels");
    }
    return first;
  }

  private void checkScaling() {
    JsonNode scaling = pod.get("scaling");
    if (!present(scaling)) {
      return;
    }
    if (!scaling.isObject()) {
      add("/scaling", "must be an object");
      return;
    }
    JsonNode kind = scaling.get("kind");
    if (present(kind) && !kind.asText().equals("fixed")) {
      add("/scaling/kind", "must be fixed");
    }
    nonNegativeInteger(scaling.get("instances"), "/scaling/instances");
    nonNegativeInteger(scaling.get("maxInstances"), "/scaling/maxInstances");
    JsonNode instances = scaling.get("instances");
    JsonNode max = scaling.get("maxInstances");
    if (present(instances) && present(max) && instances.isNumber() && max.isNumber() && instances.asInt() > max.asInt()) {
      add("/scaling/instances", "must be <= maxInstances (" + max.asInt() + ")");
    }
  }

  private void checkScheduling() {
    JsonNode s = pod.get("scheduling");
    if (!present(s)) {
      return;
    }
    if (!s.isObject()) {
      add("/scheduling", "must be an object");
      return;
    }
    JsonNode backoff = s.get("backoff");
    if (present(backoff)) {
      nonNegative(backoff.get("backoff"), "/scheduling/backoff/backoff");
      JsonNode factor = backoff.get("backoffFactor");
      if (present(factor) && (!factor.isNumber() || factor.asDouble() < 1)) {
        add("/scheduling/backoff/backoffFactor", "must be a number >= 1");
      }
      nonNegative(backoff.get("maxLaunchDelay"), "/scheduling/backoff/maxLaunchDelay");
    }
    JsonNode upgrade = s.get("upgrade");
    boolean resident = !LocalVolume.ofPod(pod).isEmpty();
    if (present(upgrade)) {
      for (String f : List.of("minimumHealthCapacity", "maximumOverCapacity")) {
        JsonNode v = upgrade.get(f);
        if (present(v) && (!v.isNumber() || v.asDouble() < 0 || v.asDouble() > 1)) {
          add("/scheduling/upgrade/" + f, "must be a number between 0 and 1");
        }
      }
      if (resident && upgrade.path("maximumOverCapacity").asDouble(0) > 0) {
        add("/scheduling/upgrade/maximumOverCapacity", "must be 0 for a pod with persistent volumes: an instance's"
            + " new tasks can only start once its old ones have let go of the volumes");
      }
    }
    JsonNode kill = s.get("killSelection");
    if (present(kill) && !(kill.asText().equals("YOUNGEST_FIRST") || kill.asText().equals("OLDEST_FIRST"))) {
      add("/scheduling/killSelection", "must be YOUNGEST_FIRST or OLDEST_FIRST");
    }
    JsonNode unreachable = s.get("unreachableStrategy");
    if (present(unreachable) && !(unreachable.isObject()
        || (unreachable.isTextual() && unreachable.asText().equals("disabled")))) {
      add("/scheduling/unreachableStrategy", "must be an object or \"disabled\"");
    } else if (present(unreachable) && unreachable.isObject() && resident) {
      add("/scheduling/unreachableStrategy", "must be \"disabled\" for a pod with persistent volumes: its data is on"
          + " its agent, so its instances wait for the agent instead of being replaced elsewhere");
    } else if (present(unreachable) && unreachable.isObject()) {
      nonNegative(unreachable.get("inactiveAfterSeconds"), "/scheduling/unreachableStrategy/inactiveAfterSeconds");
      nonNegative(unreachable.get("expungeAfterSeconds"), "/scheduling/unreachableStrategy/expungeAfterSeconds");
    }
    JsonNode placement = s.get("placement");
    if (present(placement)) {
      JsonNode roles = placement.get("acceptedResourceRoles");
      if (present(roles) && !roles.isArray()) {
        add("/scheduling/placement/acceptedResourceRoles", "must be an array of role names");
      }
      JsonNode constraints = placement.get("constraints");
      if (present(constraints)) {
        if (!constraints.isArray()) {
          add("/scheduling/placement/constraints", "must be an array");
        } else {
          // The app validator knows the operators; constraints are checked in its array form.
          ObjectNode probe = Json.mapper().createObjectNode();
          probe.put("id", "/probe").put("cmd", "true");
          probe.set("constraints", PodApps.constraints(constraints));
          for (Violation v : AppValidator.validate(probe)) {
            if (v.path().startsWith("/constraints")) {
              add("/scheduling/placement" + v.path(), v.error());
            }
          }
        }
      }
    }
  }

  private void checkContainers(Set<String> volumes, String mode) {
    JsonNode containers = pod.get("containers");
    if (!present(containers) || !containers.isArray() || containers.isEmpty()) {
      add("/containers", "must be a non-empty array: a pod has at least one container");
      return;
    }
    Set<String> names = new HashSet<>();
    Set<String> endpointNames = new HashSet<>();
    Set<Integer> hostPorts = new HashSet<>();
    Set<Integer> containerPorts = new HashSet<>();
    for (int i = 0; i < containers.size(); i++) {
      JsonNode c = containers.get(i);
      String at = "/containers/" + i;
      if (!c.isObject()) {
        add(at, "must be an object");
        continue;
      }
      JsonNode name = c.get("name");
      if (!present(name) || !name.isTextual() || !NAME.matcher(name.asText()).matches()) {
        add(at + "/name", "must be a name of letters, digits and '-' (" + NAME.pattern() + ")");
      } else if (!names.add(name.asText())) {
        add(at + "/name", "container names must be unique: '" + name.asText() + "' is used twice");
      }
      JsonNode resources = c.get("resources");
      if (present(resources)) {
        if (!resources.isObject()) {
          add(at + "/resources", "must be an object");
        } else {
          for (String f : List.of("cpus", "mem", "disk")) {
            nonNegative(resources.get(f), at + "/resources/" + f);
          }
          nonNegativeInteger(resources.get("gpus"), at + "/resources/gpus");
        }
      }
      checkExec(c.get("exec"), at + "/exec");
      checkImage(c.get("image"), at + "/image");
      Set<String> own = checkEndpoints(c.get("endpoints"), at + "/endpoints", mode, endpointNames, hostPorts,
          containerPorts);
      checkHealth(c.get("healthCheck"), at + "/healthCheck", own);
      env(c.get("environment"), at + "/environment");
      textMap(c.get("labels"), at + "/labels");
      string(c.get("user"), at + "/user");
      checkMounts(c.get("volumeMounts"), at + "/volumeMounts", volumes);
      checkArtifacts(c.get("artifacts"), at + "/artifacts");
      JsonNode lifecycle = c.get("lifecycle");
      if (present(lifecycle)) {
        nonNegative(lifecycle.get("killGracePeriodSeconds"), at + "/lifecycle/killGracePeriodSeconds");
      }
    }
  }

  private void checkExec(JsonNode exec, String at) {
    if (!present(exec)) {
      return;
    }
    if (!exec.isObject()) {
      add(at, "must be an object");
      return;
    }
    JsonNode command = exec.get("command");
    if (!present(command) || !command.isObject()) {
      add(at + "/command", "must be an object with shell or argv");
      return;
    }
    boolean shell = present(command.get("shell"));
    boolean argv = present(command.get("argv"));
    if (shell == argv) {
      add(at + "/command", "must give exactly one of shell and argv");
    } else if (shell && !command.get("shell").isTextual()) {
      add(at + "/command/shell", "must be a string");
    } else if (argv && (!command.get("argv").isArray() || command.get("argv").isEmpty())) {
      add(at + "/command/argv", "must be a non-empty array of strings");
    }
  }

  private void checkImage(JsonNode image, String at) {
    if (!present(image)) {
      return;
    }
    if (!image.isObject()) {
      add(at, "must be an object");
      return;
    }
    JsonNode kind = image.get("kind");
    if (present(kind) && !Set.of("DOCKER", "APPC").contains(kind.asText().toUpperCase(Locale.ROOT))) {
      add(at + "/kind", "must be DOCKER or APPC");
    }
    JsonNode id = image.get("id");
    if (!present(id) || !id.isTextual() || id.asText().isBlank()) {
      add(at + "/id", "must be given: the image to run");
    }
    JsonNode pullConfig = image.get("pullConfig");
    if (present(pullConfig)) {
      if (!pullConfig.path("secret").isTextual()) {
        add(at + "/pullConfig/secret", "must name a secret the pod declares in \"secrets\"");
      } else {
        checkSecretName(pullConfig.get("secret").asText(), at + "/pullConfig/secret");
      }
    }
  }

  private Set<String> checkEndpoints(JsonNode endpoints, String at, String mode, Set<String> names,
      Set<Integer> hostPorts, Set<Integer> containerPorts) {
    Set<String> own = new HashSet<>();
    if (!present(endpoints)) {
      return own;
    }
    if (!endpoints.isArray()) {
      add(at, "must be an array");
      return own;
    }
    for (int i = 0; i < endpoints.size(); i++) {
      JsonNode e = endpoints.get(i);
      String here = at + "/" + i;
      if (!e.isObject()) {
        add(here, "must be an object");
        continue;
      }
      JsonNode name = e.get("name");
      if (!present(name) || !name.isTextual() || !NAME.matcher(name.asText()).matches()) {
        add(here + "/name", "must be a name of letters, digits and '-' (" + NAME.pattern() + ")");
      } else if (!names.add(name.asText())) {
        add(here + "/name", "endpoint names must be unique in a pod: '" + name.asText() + "' is used twice");
      } else {
        own.add(name.asText());
      }
      JsonNode hostPort = e.get("hostPort");
      if (present(hostPort)) {
        if (!hostPort.isInt() || hostPort.asInt() < 0 || hostPort.asInt() > 65535) {
          add(here + "/hostPort", "must be a port number between 0 and 65535 (0: any)");
        } else if (hostPort.asInt() > 0 && !hostPorts.add(hostPort.asInt())) {
          add(here + "/hostPort", "host port " + hostPort.asInt() + " is used twice in the pod");
        }
      }
      JsonNode containerPort = e.get("containerPort");
      if (present(containerPort)) {
        if (!containerPort.isInt() || containerPort.asInt() < 1 || containerPort.asInt() > 65535) {
          add(here + "/containerPort", "must be a port number between 1 and 65535");
        } else if (!containerPorts.add(containerPort.asInt())) {
          // one network namespace for the whole pod: two containers cannot listen on the same port
          add(here + "/containerPort", "container port " + containerPort.asInt() + " is used twice in the pod");
        }
      } else if (mode.startsWith("container")) {
        add(here + "/containerPort", "must be given with container networking");
      }
      JsonNode protocol = e.get("protocol");
      if (present(protocol)) {
        if (!protocol.isArray()) {
          add(here + "/protocol", "must be an array, e.g. [\"tcp\"]");
        } else {
          for (int p = 0; p < protocol.size(); p++) {
            if (!PROTOCOLS.contains(protocol.get(p).asText())) {
              add(here + "/protocol/" + p, "must be one of " + new java.util.TreeSet<>(PROTOCOLS));
            }
          }
        }
      }
      textMap(e.get("labels"), here + "/labels");
    }
    return own;
  }

  private void checkHealth(JsonNode h, String at, Set<String> endpoints) {
    if (!present(h)) {
      return;
    }
    if (!h.isObject()) {
      add(at, "must be an object");
      return;
    }
    int kinds = 0;
    for (String kind : List.of("http", "tcp", "exec")) {
      if (present(h.get(kind))) {
        kinds++;
      }
    }
    if (kinds != 1) {
      add(at, "must give exactly one of http, tcp and exec");
    }
    for (String kind : List.of("http", "tcp")) {
      JsonNode probe = h.get(kind);
      if (present(probe)) {
        JsonNode endpoint = probe.get("endpoint");
        if (!present(endpoint) || !endpoints.contains(endpoint.asText())) {
          add(at + "/" + kind + "/endpoint", "must name an endpoint of this container");
        }
        JsonNode path = probe.get("path");
        if (present(path) && !path.asText().startsWith("/")) {
          add(at + "/" + kind + "/path", "must start with /");
        }
        JsonNode scheme = probe.get("scheme");
        if (present(scheme) && !Set.of("HTTP", "HTTPS").contains(scheme.asText().toUpperCase(Locale.ROOT))) {
          add(at + "/" + kind + "/scheme", "must be HTTP or HTTPS");
        }
      }
    }
    if (present(h.get("exec"))) {
      checkExec(h.get("exec"), at + "/exec");
    }
    for (String f : CHECK_TIMES) {
      nonNegativeInteger(h.get(f), at + "/" + f);
    }
  }

  private void checkMounts(JsonNode mounts, String at, Set<String> volumes) {
    if (!present(mounts)) {
      return;
    }
    if (!mounts.isArray()) {
      add(at, "must be an array");
      return;
    }
    Set<String> paths = new HashSet<>();
    for (int i = 0; i < mounts.size(); i++) {
      JsonNode m = mounts.get(i);
      String here = at + "/" + i;
      JsonNode name = m.get("name");
      if (!present(name) || !volumes.contains(name.asText())) {
        add(here + "/name", "must name one of the pod's volumes");
      }
      JsonNode path = m.get("mountPath");
      if (!present(path) || !path.isTextual() || path.asText().isBlank()) {
        add(here + "/mountPath", "must be given");
      } else if (List.of(path.asText().split("/")).contains("..")) {
        add(here + "/mountPath", "must not contain '..'");
      } else if (!paths.add(path.asText())) {
        add(here + "/mountPath", "two volumes are mounted at " + path.asText());
      }
    }
  }

  private void checkArtifacts(JsonNode artifacts, String at) {
    if (!present(artifacts)) {
      return;
    }
    if (!artifacts.isArray()) {
      add(at, "must be an array");
      return;
    }
    for (int i = 0; i < artifacts.size(); i++) {
      JsonNode uri = artifacts.get(i).get("uri");
      if (!present(uri) || !uri.isTextual() || uri.asText().isBlank()) {
        add(at + "/" + i + "/uri", "must be given");
      }
      JsonNode dest = artifacts.get(i).get("destPath");
      if (present(dest) && (dest.asText().startsWith("/") || List.of(dest.asText().split("/")).contains(".."))) {
        add(at + "/" + i + "/destPath", "must be relative to the sandbox, without '..'");
      }
    }
  }

  private void env(JsonNode env, String at) {
    if (!present(env)) {
      return;
    }
    if (!env.isObject()) {
      add(at, "must be an object of names to values");
      return;
    }
    env.fields().forEachRemaining(e -> {
      JsonNode v = e.getValue();
      boolean secret = v.isObject() && v.path("secret").isTextual();
      if (!(v.isTextual() || v.isNumber() || v.isBoolean() || secret)) {
        add(at + "/" + e.getKey(), "must be a string or {\"secret\": name}");
      } else if (secret) {
        checkSecretName(v.get("secret").asText(), at + "/" + e.getKey() + "/secret");
      }
    });
  }

  private void textMap(JsonNode map, String at) {
    if (!present(map)) {
      return;
    }
    if (!map.isObject()) {
      add(at, "must be an object of strings");
      return;
    }
    map.fields().forEachRemaining(e -> {
      if (!e.getValue().isTextual()) {
        add(at + "/" + e.getKey(), "must be a string");
      }
    });
  }

  private void string(JsonNode v, String at) {
    if (present(v) && !v.isTextual()) {
      add(at, "must be a string");
    }
  }

  private void nonNegative(JsonNode v, String at) {
    if (present(v) && (!v.isNumber() || v.asDouble() < 0)) {
      add(at, "must be a number >= 0");
    }
  }

  private void nonNegativeInteger(JsonNode v, String at) {
    if (present(v) && (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0)) {
      add(at, "must be an integer >= 0");
    }
  }

  private static boolean present(JsonNode v) {
    return v != null && !v.isNull();
  }

  private void add(String path, String error) {
    violations.add(new Violation(path, error));
  }
}
