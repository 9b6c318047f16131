package dev.corral.services.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Checks an app definition against Marathon's rules (its JSON schema plus the checks Marathon's validators
 * add) and reports every problem at once, as JSON pointers. Unknown fields are not errors: they are kept.
 * Fields Corral cannot honour yet are valid here; {@link Unsupported} says why such an app waits.
 */
public final class AppValidator {
  private static final Pattern PORT_NAME = Pattern.compile("^[a-z][a-z0-9-]*$");
  private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "udp,tcp");
  private static final List<String> CHECK_TIMES =
      List.of("gracePeriodSeconds", "intervalSeconds", "timeoutSeconds", "maxConsecutiveFailures", "delaySeconds");

  private final List<Violation> violations = new ArrayList<>();
  private final ObjectNode app;

  private AppValidator(ObjectNode app) {
    this.app = app;
  }

  /** All violations of {@code app}; empty when it is valid. Null-valued fields count as absent. */
  public static List<Violation> validate(ObjectNode app) {
    AppValidator v = new AppValidator(app);
    v.run();
    return List.copyOf(v.violations);
  }

  private void run() {
    checkId();
    checkCommand();
    nonNegativeNumber("cpus");
    nonNegativeNumber("mem");
    nonNegativeNumber("disk");
    nonNegativeInteger("gpus");
    nonNegativeInteger("instances");
    checkEnv();
    checkSecrets();
    stringMap("labels", "/labels");
    checkPorts();
    bool("requirePorts");
    checkConstraints();
    stringArray("acceptedResourceRoles");
    nonNegativeNumber("backoffSeconds");
    if (present("backoffFactor")) {
      JsonNode f = app.get("backoffFactor");
      if (!f.isNumber()) {
        add("/backoffFactor", "must be a number");
      } else if (f.asDouble() < 1) {
        add("/backoffFactor", "must be >= 1");
      }
    }
    nonNegativeNumber("maxLaunchDelaySeconds");
    nonNegativeInteger("taskKillGracePeriodSeconds");
    string("user");
    string("executor");
    if (present("killSelection")) {
      JsonNode k = app.get("killSelection");
      if (!k.isTextual() || !(k.asText().equals("YOUNGEST_FIRST") || k.asText().equals("OLDEST_FIRST"))) {
        add("/killSelection", "must be YOUNGEST_FIRST or OLDEST_FIRST");
      }
    }
    for (String field : List.of("container", "ipAddress", "residency", "secrets")) {
      type(field, JsonNode::isObject, "must be an object");
    }
    checkContainer();
    checkHealthChecks();
    checkReadinessChecks();
    for (String field : List.of("networks", "dependencies")) {
      type(field, JsonNode::isArray, "must be an array");
    }
    violations.addAll(DeprecatedNetworking.clashes(app));
    checkNetworks();
    checkFetch();
    checkUpgradeStrategy();
    checkUnreachableStrategy();
    checkDependencies();
  }

  private void checkId() {
    JsonNode id = app.get("id");
    if (id == null || id.isNull()) {
      add("/id", "is required");
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

  private void checkCommand() {
    boolean hasCmd = present("cmd");
    boolean hasArgs = present("args");
    if (hasCmd) {
      JsonNode cmd = app.get("cmd");
      if (!cmd.isTextual()) {
        add("/cmd", "must be a string");
      } else if (cmd.asText().isEmpty()) {
        add("/cmd", "must not be empty");
      }
    }
    stringArray("args");
    if (hasCmd && hasArgs) {
      add("/cmd", "give either cmd or args, not both");
    }
    if (!hasCmd && !hasArgs && !present("container")) {
      add("/", "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.");
    }
  }

  /** {@code container.type} DOCKER or MESOS; a {@code docker} object needs an image (MESOS may omit it). */
  private void checkContainer() {
    JsonNode container = app.path("container");
    if (!container.isObject()) {
      return;
    }
    checkVolumes(container.get("volumes"));
    String type = container.path("type").asText("DOCKER");
    if (container.has("type") && !type.equals("DOCKER") && !type.equals("MESOS")) {
      add("/container/type", "must be DOCKER or MESOS");
    }
    JsonNode docker = container.get("docker");
    if (docker == null || docker.isNull()) {
      if (type.equals("DOCKER") && container.has("type")) {
        add("/container/docker", "a DOCKER container needs docker.image");
      }
      return;
    }
    if (!docker.isObject()) {
      add("/container/docker", "must be an object");
      return;
    }
    JsonNode image = docker.get("image");
    if (image == null || !image.isTextual() || image.asText().isBlank()) {
      add("/container/docker/image", "must be a non-empty string");
    } else if (image.asText().chars().anyMatch(Character::isWhitespace)) {
      add("/container/docker/image", "must not contain blanks");
    }
    if (docker.has("forcePullImage") && !docker.get("forcePullImage").isBoolean()) {
      add("/container/docker/forcePullImage", "must be a boolean");
    }
    checkDockerParameters(docker.get("parameters"));
    if (docker.has("privileged") && !docker.get("privileged").isBoolean()) {
      add("/container/docker/privileged", "must be a boolean");
    }
    JsonNode pullConfig = docker.get("pullConfig");
    if (pullConfig != null && !pullConfig.isNull()) {
      if (!pullConfig.path("secret").isTextual()) {
        add("/container/docker/pullConfig/secret", "must name a secret the app declares in \"secrets\"");
      } else {
        checkSecretName(pullConfig.get("secret").asText(), "/container/docker/pullConfig/secret");
      }
    }
  }

  /** {@code docker.parameters}: {@code {"key", "value"}} strings; the values of keys Corral applies must parse. */
  private void checkDockerParameters(JsonNode params) {
    if (params == null || params.isNull()) {
      return;
    }
    if (!params.isArray()) {
      add("/container/docker/parameters", "must be an array of {\"key\", \"value\"}");
      return;
    }
    for (int i = 0; i < params.size(); i++) {
      String at = "/container/docker/parameters/" + i;
      JsonNode p = params.get(i);
      if (!p.path("key").isTextual() || p.get("key").asText().isEmpty()) {
        add(at + "/key", "must be a docker run option without its dashes, e.g. cap-add");
        continue;
      }
      if (!p.path("value").isTextual()) {
        add(at + "/value", "must be a string");
        continue;
      }
      String problem = DockerParameters.problem(p.get("key").asText(), p.get("value").asText());
      if (problem != null) {
        add(at + "/value", problem);
      }
    }
  }

  /**
   * {@code container.volumes}: each a host volume ({@code hostPath}), a secret's file ({@code secret}) or one
   * of the kinds Corral stores but cannot mount yet (persistent, external), at a {@code containerPath} that
   * stays inside the sandbox when relative.
   */
  private void checkVolumes(JsonNode volumes) {
    if (volumes == null || volumes.isNull()) {
      return;
    }
    if (!volumes.isArray()) {
      add("/container/volumes", "must be an array");
      return;
    }
    for (int i = 0; i < volumes.size(); i++) {
      String at = "/container/volumes/" + i;
      JsonNode v = volumes.get(i);
      if (!v.isObject()) {
        add(at, "must be an object");
        continue;
      }
      JsonNode path = v.get("containerPath");
      if (path == null || !path.isTextual() || path.asText().isEmpty()) {
        add(at + "/containerPath", "must be a non-empty string");
      } else if (!path.asText().startsWith("/") && List.of(path.asText().split("/")).contains("..")) {
        add(at + "/containerPath", "must not leave the sandbox (no .. in a relative path)");
      }
      JsonNode mode = v.get("mode");
      if (mode != null && !(mode.isTextual() && (mode.asText().equals("RO") || mode.asText().equals("RW")))) {
        add(at + "/mode", "must be RO or RW");
      }
      long kinds = List.of("hostPath", "persistent", "external", "secret").stream().filter(v::hasNonNull).count();
      if (kinds != 1) {
        add(at, "must have exactly one of hostPath, persistent, external or secret");
      }
      if (v.hasNonNull("persistent")) {
        checkPersistent(v, at);
      }
      if (v.hasNonNull("secret")) {
        if (!v.get("secret").isTextual()) {
          add(at + "/secret", "must be the name of a secret the app declares in \"secrets\"");
        } else {
          checkSecretName(v.get("secret").asText(), at + "/secret");
        }
      }
      JsonNode host = v.get("hostPath");
      if (host != null && !host.isNull() && (!host.isTextual() || host.asText().isEmpty())) {
        add(at + "/hostPath", "must be a non-empty string");
      }
    }
  }

  /**
   * A persistent local volume: a size in MB, at a path of one name inside the sandbox (Marathon's rule: the
   * agent links or mounts it there), read-write.
   */
  private void checkPersistent(JsonNode v, String at) {
    JsonNode p = v.get("persistent");
    if (!p.isObject()) {
      add(at + "/persistent", "must be an object with the size in MB");
      return;
    }
    JsonNode size = p.get("size");
    if (size == null || !size.isIntegralNumber() || size.asLong() < 1) {
      add(at + "/persistent/size", "must be a whole number of MB, at least 1");
    }
    JsonNode type = p.get("type");
    if (type != null && !type.isNull() && !(type.isTextual() && List.of("root", "path", "mount").contains(type.asText()))) {
      add(at + "/persistent/type", "must be root, path or mount");
    }
    JsonNode path = v.get("containerPath");
    if (path != null && path.isTextual() && (path.asText().contains("/") || path.asText().equals(".")
        || path.asText().equals(".."))) {
      add(at + "/containerPath", "must be one directory name inside the sandbox (like \"data\"); to see the volume"
          + " at another path, add a host volume whose hostPath is this name");
    }
    if (v.path("mode").asText("RW").equals("RO")) {
      add(at + "/mode", "must be RW: a persistent volume is the task's own storage");
    }
  }

  private void checkEnv() {
    if (!present("env")) {
      return;
    }
    JsonNode env = app.get("env");
    if (!env.isObject()) {
      add("/env", "must be an object");
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = env.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      boolean secretRef = v.isObject() && v.size() == 1 && v.path("secret").isTextual()
          && !v.path("secret").asText().isEmpty();
      if (!v.isTextual() && !secretRef) {
        add("/env/" + pointerEscape(e.getKey()), "must be a string or a secret reference {\"secret\": \"name\"}");
      } else if (secretRef) {
        checkSecretName(v.get("secret").asText(), "/env/" + pointerEscape(e.getKey()) + "/secret");
      }
    }
  }

  /** {@code secrets}: each a name for a secret's {@code source}, a path of the cluster's secret store. */
  private void checkSecrets() {
    if (!present("secrets")) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = app.get("secrets").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String at = "/secrets/" + pointerEscape(e.getKey());
      JsonNode source = e.getValue().get("source");
      if (source == null || !source.isTextual()) {
        add(at + "/source", "must be the secret's path in the store, e.g. \"db/password\"");
        continue;
      }
      String owner = app.path("id").isTextual() ? canonicalId(app.get("id").asText()) : null;
      String problem = dev.corral.state.SecretStore.sourceProblem(owner, source.asText());
      if (problem != null) {
        add(at + "/source", problem);
      }
    }
  }

  /** The app's canonical id, or the id as given when it is not valid (its own violation says why). */
  private static String canonicalId(String id) {
    try {
      return AppIds.canonical(id);
    } catch (IllegalArgumentException e) {
      return id;
    }
  }

  /** A reference to a declared secret (env value, volume, pull config). */
  private void checkSecretName(String name, String at) {
    if (!app.path("secrets").path(name).isObject()) {
      add(at, "references the secret '" + name + "', which \"secrets\" does not declare");
    }
  }

  private void checkPorts() {
    List<Integer> fromPorts = null;
    if (present("ports")) {
      JsonNode ports = app.get("ports");
      if (!ports.isArray()) {
        add("/ports", "must be an array");
      } else {
        fromPorts = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
          JsonNode p = ports.get(i);
          if (!isInteger(p) || p.asInt() < 0 || p.asInt() > 65535) {
            add("/ports/" + i, "must be an integer between 0 and 65535");
          } else {
            fromPorts.add(p.asInt());
          }
        }
      }
    }
    if (!present("portDefinitions")) {
      return;
    }
    JsonNode defs = app.get("portDefinitions");
    if (!defs.isArray()) {
      add("/portDefinitions", "must be an array");
      return;
    }
    Set<String> names = new HashSet<>();
    Set<Integer> fixedPorts = new HashSet<>();
    List<Integer> numbers = new ArrayList<>();
    boolean requirePorts = app.path("requirePorts").asBoolean(false);
    for (int i = 0; i < defs.size(); i++) {
      String at = "/portDefinitions/" + i;
      JsonNode d = defs.get(i);
      if (!d.isObject()) {
        add(at, "must be an object");
        continue;
      }
      JsonNode port = d.get("port");
      if (port != null && !port.isNull()) {
        if (!isInteger(port) || port.asInt() < 0 || port.asInt() > 65535) {
          add(at + "/port", "must be an integer between 0 and 65535");
        } else {
          numbers.add(port.asInt());
          if (requirePorts && port.asInt() != 0 && !fixedPorts.add(port.asInt())) {
            add(at + "/port", "is given twice; with requirePorts every port must be unique");
          }
        }
      } else {
        numbers.add(0);
      }
      JsonNode protocol = d.get("protocol");
      if (protocol != null && !protocol.isNull() && !(protocol.isTextual() && PROTOCOLS.contains(protocol.asText()))) {
        add(at + "/protocol", "must be one of tcp, udp, udp,tcp");
      }
      JsonNode name = d.get("name");
      if (name != null && !name.isNull()) {
        if (!name.isTextual() || !PORT_NAME.matcher(name.asText()).matches()) {
          add(at + "/name", "must match ^[a-z][a-z0-9-]*$");
        } else if (!names.add(name.asText())) {
          add(at + "/name", "must be unique among the port definitions");
        }
      }
      if (d.has("labels")) {
        JsonNode labels = d.get("labels");
        if (!labels.isObject() && !labels.isNull()) {
          add(at + "/labels", "must be an object of strings");
        } else if (labels.isObject()) {
          labels.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
              add(at + "/labels/" + pointerEscape(e.getKey()), "must be a string");
            }
          });
        }
      }
    }
    // GET returns both forms; accept both back when they agree, so that GET → PUT round-trips.
    if (fromPorts != null && !fromPorts.equals(numbers)) {
      add("/ports", "give either ports or portDefinitions, not both");
    }
  }

  /** {@code networks} modes and {@code container.portMappings}, which need a container network. */
  private void checkNetworks() {
    JsonNode networks = app.get("networks");
    if (networks != null && networks.isArray()) {
      for (int i = 0; i < networks.size(); i++) {
        JsonNode n = networks.get(i);
        if (!n.isObject()) {
          add("/networks/" + i, "must be an object");
          continue;
        }
        String mode = n.path("mode").asText(Networking.CONTAINER);
        if (!List.of(Networking.HOST, Networking.CONTAINER, Networking.BRIDGE).contains(mode)) {
          add("/networks/" + i + "/mode", "must be host, container or container/bridge");
        }
        if (n.has("name") && !n.get("name").isTextual()) {
          add("/networks/" + i + "/name", "must be a string");
        }
      }
    }
    JsonNode mappings = app.path("container").get("portMappings");
    if (mappings == null || mappings.isNull()) {
      return;
    }
    if (!mappings.isArray()) {
      add("/container/portMappings", "must be an array");
      return;
    }
    if (mappings.size() > 0 && AppNormalizer.hostNetworking(app)) {
      add("/container/portMappings", "needs a container network, e.g. \"networks\": [{\"mode\": \"container/bridge\"}]");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < mappings.size(); i++) {
      String at = "/container/portMappings/" + i;
      JsonNode m = mappings.get(i);
      if (!m.isObject()) {
        add(at, "must be an object");
        continue;
      }
      JsonNode cp = m.get("containerPort");
      if (cp == null || !isInteger(cp) || cp.asInt() < 1 || cp.asInt() > 65535) {
        add(at + "/containerPort", "must be an integer between 1 and 65535");
      }
      JsonNode hp = m.get("hostPort");
      if (hp != null && !hp.isNull() && (!isInteger(hp) || hp.asInt() < 0 || hp.asInt() > 65535)) {
        add(at + "/hostPort", "must be an integer between 0 and 65535 (0: one from the offer)");
      }
      JsonNode protocol = m.get("protocol");
      if (protocol != null && !protocol.isNull() && !(protocol.isTextual() && PROTOCOLS.contains(protocol.asText()))) {
        add(at + "/protocol", "must be one of tcp, udp, udp,tcp");
      }
      JsonNode name = m.get("name");
      if (name != null && !name.isNull()) {
        if (!name.isTextual() || !PORT_NAME.matcher(name.asText()).matches()) {
          add(at + "/name", "must match ^[a-z][a-z0-9-]*$");
        } else if (!names.add(name.asText())) {
          add(at + "/name", "must be unique among the port mappings");
        }
      }
    }
  }

  private void checkConstraints() {
    if (!present("constraints")) {
      return;
    }
    JsonNode constraints = app.get("constraints");
    if (!constraints.isArray()) {
      add("/constraints", "must be an array of [field, operator, value] arrays");
      return;
    }
    for (int i = 0; i < constraints.size(); i++) {
      JsonNode c = constraints.get(i);
      String at = "/constraints/" + i;
      if (!c.isArray() || c.size() < 2 || c.size() > 3) {
        add(at, "must be an array [field, operator] or [field, operator, value]");
        continue;
      }
      boolean scalars = true;
      for (JsonNode part : c) {
        scalars &= part.isTextual() || part.isNumber() || (part.isNull() && part != c.get(0));
      }
      if (!scalars) {
        add(at, "field, operator and value must be strings");
        continue;
      }
      String value = c.size() > 2 && !c.get(2).isNull() ? c.get(2).asText() : null;
      Constraint constraint;
      try {
        constraint = Constraint.of(c.get(0).asText(), c.get(1).asText(), value);
      } catch (IllegalArgumentException e) {
        add(at, e.getMessage());
        continue;
      }
      // Stricter than what the matcher can run (stored apps keep loading): values Marathon refuses too.
      boolean noValue = value == null || value.isEmpty();
      switch (constraint.operator()) {
        case UNIQUE -> {
          if (!noValue) {
            add(at, "Value specified but not used: UNIQUE takes no value");
          }
        }
        case LIKE, UNLIKE -> {
          if (noValue) {
            add(at, "A regular expression value must be provided: " + constraint.operator()
                + " with an empty value never matches");
          }
        }
        case IS -> {
          if (noValue) {
            add(at, "IS needs the value the field must have");
          }
        }
        default -> { }
      }
    }
  }

  private void checkHealthChecks() {
    if (!present("healthChecks")) {
      return;
    }
    JsonNode checks = app.get("healthChecks");
    if (!checks.isArray()) {
      add("/healthChecks", "must be an array");
      return;
    }
    int ports = portCount();
    for (int i = 0; i < checks.size(); i++) {
      String at = "/healthChecks/" + i;
      JsonNode c = checks.get(i);
      if (!c.isObject()) {
        add(at, "must be an object");
        continue;
      }
      HealthCheck.Protocol protocol = HealthCheck.Protocol.HTTP;
      JsonNode p = c.get("protocol");
      if (p != null && !p.isNull()) {
        try {
          protocol = HealthCheck.Protocol.valueOf(p.isTextual() ? p.asText() : "");
        } catch (IllegalArgumentException e) {
          add(at + "/protocol", "must be one of HTTP, HTTPS, TCP, COMMAND, MESOS_HTTP, MESOS_HTTPS, MESOS_TCP");
          continue;
        }
      }
      if (c.hasNonNull("path") && !c.get("path").isTextual()) {
        add(at + "/path", "must be a string");
      }
      boolean hasIndex = c.hasNonNull("portIndex");
      boolean hasPort = c.hasNonNull("port");
      if (hasIndex && checkNonNegativeInteger(c, "portIndex", at) && c.get("portIndex").asInt() >= ports) {
        add(at + "/portIndex", "must address one of the app's " + ports + " port(s) (portDefinitions, or"
            + " container.portMappings with container networking)");
      }
      if (hasPort && (!isInteger(c.get("port")) || c.get("port").asInt() < 0 || c.get("port").asInt() > 65535)) {
        add(at + "/port", "must be an integer between 0 and 65535");
      }
      if (hasIndex && hasPort) {
        add(at + "/port", "give either port or portIndex, not both");
      }
      if (protocol.usesPort() && !hasIndex && !hasPort && ports == 0) {
        add(at + "/portIndex", "the app has no port for this check (it checks the first one by default);"
            + " give port, or a port definition");
      }
      if (protocol == HealthCheck.Protocol.COMMAND) {
        JsonNode value = c.path("command").path("value");
        if (!value.isTextual() || value.asText().isBlank()) {
          add(at + "/command/value", "is required for a COMMAND check: the shell command to run");
        }
      }
      for (String field : CHECK_TIMES) {
        checkNonNegativeInteger(c, field, at);
      }
      if (c.hasNonNull("ignoreHttp1xx") && !c.get("ignoreHttp1xx").isBoolean()) {
        add(at + "/ignoreHttp1xx", "must be a boolean");
      }
      JsonNode ip = c.get("ipProtocol");
      if (ip != null && !ip.isNull() && !(ip.asText().equals("IPv4") || ip.asText().equals("IPv6"))) {
        add(at + "/ipProtocol", "must be IPv4 or IPv6");
      }
    }
  }

  private void checkReadinessChecks() {
    if (!present("readinessChecks")) {
      return;
    }
    JsonNode checks = app.get("readinessChecks");
    if (!checks.isArray()) {
      add("/readinessChecks", "must be an array");
      return;
    }
    Set<String> portNames = portNames();
    for (int i = 0; i < checks.size(); i++) {
      String at = "/readinessChecks/" + i;
      JsonNode c = checks.get(i);
      if (!c.isObject()) {
        add(at, "must be an object");
        continue;
      }
      for (String field : List.of("name", "path")) {
        if (c.hasNonNull(field) && !c.get(field).isTextual()) {
          add(at + "/" + field, "must be a string");
        }
      }
      JsonNode protocol = c.get("protocol");
      if (protocol != null && !protocol.isNull()
          && !(protocol.asText().equals("HTTP") || protocol.asText().equals("HTTPS"))) {
        add(at + "/protocol", "must be HTTP or HTTPS");
      }
      JsonNode portName = c.get("portName");
      String name = portName == null || portName.isNull() ? ReadinessCheck.DEFAULT_PORT_NAME : portName.asText();
      if (portName != null && !portName.isNull() && (!portName.isTextual() || !PORT_NAME.matcher(name).matches())) {
        add(at + "/portName", "must match ^[a-z][a-z0-9-]*$");
      } else if (!portNames.contains(name)) {
        add(at + "/portName", "must name one of the app's ports" + (portName == null || portName.isNull()
            ? " (the default is " + ReadinessCheck.DEFAULT_PORT_NAME + ")" : "") + "; named ports: " + portNames);
      }
      boolean interval = checkNonNegativeInteger(c, "intervalSeconds", at);
      boolean timeout = checkNonNegativeInteger(c, "timeoutSeconds", at);
      int intervalSeconds = interval && c.hasNonNull("intervalSeconds") ? c.get("intervalSeconds").asInt()
          : ReadinessCheck.DEFAULT_INTERVAL_SECONDS;
      int timeoutSeconds = timeout && c.hasNonNull("timeoutSeconds") ? c.get("timeoutSeconds").asInt()
          : ReadinessCheck.DEFAULT_TIMEOUT_SECONDS;
      if (interval && timeout && timeoutSeconds >= intervalSeconds) {
        add(at + "/timeoutSeconds", "must be smaller than intervalSeconds (" + intervalSeconds + ")");
      }
      JsonNode codes = c.get("httpStatusCodesForReady");
      if (codes != null && !codes.isNull()) {
        if (!codes.isArray()) {
          add(at + "/httpStatusCodesForReady", "must be an array of HTTP status codes");
        } else {
          for (int k = 0; k < codes.size(); k++) {
            JsonNode code = codes.get(k);
            if (!isInteger(code) || code.asInt() < 100 || code.asInt() > 999) {
              add(at + "/httpStatusCodesForReady/" + k, "must be an integer between 100 and 999");
            }
          }
        }
      }
      if (c.hasNonNull("preserveLastResponse") && !c.get("preserveLastResponse").isBoolean()) {
        add(at + "/preserveLastResponse", "must be a boolean");
      }
    }
  }

  /**
   * How many ports a health check's portIndex can address: the port definitions with host networking (one
   * dynamic port when none are given, as Marathon assumes), the container's port mappings otherwise.
   */
  private int portCount() {
    if (AppNormalizer.hostNetworking(app)) {
      for (String field : List.of("portDefinitions", "ports")) {
        if (present(field) && app.get(field).isArray()) {
          return app.get(field).size();
        }
      }
      return 1;
    }
    return portMappings().size();
  }

  /** The names of the app's ports (port definitions, or port mappings with container networking). */
  private Set<String> portNames() {
    Set<String> names = new java.util.TreeSet<>();
    JsonNode ports = AppNormalizer.hostNetworking(app) ? app.path("portDefinitions") : portMappings();
    ports.forEach(p -> {
      if (p.path("name").isTextual()) {
        names.add(p.get("name").asText());
      }
    });
    return names;
  }

  private JsonNode portMappings() {
    JsonNode container = app.path("container");
    JsonNode mappings = container.path("portMappings");
    if (!mappings.isArray()) {
      mappings = container.path("docker").path("portMappings");
    }
    return mappings.isArray() ? mappings : app.arrayNode();
  }

  /** Checks an optional non-negative integer field of a nested object; returns whether it is fine. */
  private boolean checkNonNegativeInteger(JsonNode object, String field, String at) {
    JsonNode v = object.get(field);
    if (v == null || v.isNull()) {
      return true;
    }
    if (!isInteger(v)) {
      add(at + "/" + field, "must be an integer");
      return false;
    }
    if (v.asLong() < 0 || v.asLong() > Integer.MAX_VALUE) {
      add(at + "/" + field, "must be between 0 and " + Integer.MAX_VALUE);
      return false;
    }
    return true;
  }

  /** fetch entries and legacy uris: a URI the agent can fetch, booleans, a destPath inside the sandbox. */
  private void checkFetch() {
    stringArray("uris");
    if (present("uris") && app.get("uris").isArray()) {
      JsonNode uris = app.get("uris");
      for (int i = 0; i < uris.size(); i++) {
        String problem = uris.get(i).isTextual() ? FetchArtifact.uriProblem(uris.get(i).asText()) : null;
        if (problem != null) {
          add("/uris/" + i, problem);
        }
      }
      if (uris.size() > 0 && app.path("fetch").size() > 0) {
        add("/uris", "give either uris or fetch, not both");
      }
    }
    if (!present("fetch")) {
      return;
    }
    JsonNode fetch = app.get("fetch");
    if (!fetch.isArray()) {
      add("/fetch", "must be an array");
      return;
    }
    for (int i = 0; i < fetch.size(); i++) {
      String at = "/fetch/" + i;
      JsonNode f = fetch.get(i);
      if (!f.isObject()) {
        add(at, "must be an object");
        continue;
      }
      JsonNode uri = f.get("uri");
      if (uri == null || uri.isNull() || (uri.isTextual() && uri.asText().isBlank())) {
        add(at + "/uri", "is required");
      } else if (!uri.isTextual()) {
        add(at + "/uri", "must be a string");
      } else {
        String problem = FetchArtifact.uriProblem(uri.asText());
        if (problem != null) {
          add(at + "/uri", problem);
        }
      }
      for (String flag : List.of("extract", "executable", "cache")) {
        if (f.hasNonNull(flag) && !f.get(flag).isBoolean()) {
          add(at + "/" + flag, "must be a boolean");
        }
      }
      JsonNode dest = f.get("destPath");
      if (dest != null && !dest.isNull()) {
        String problem = dest.isTextual() ? FetchArtifact.destPathProblem(dest.asText()) : "must be a string";
        if (problem != null) {
          add(at + "/destPath", problem);
        }
      }
    }
  }

  private void checkUpgradeStrategy() {
    if (!present("upgradeStrategy")) {
      return;
    }
    JsonNode s = app.get("upgradeStrategy");
    if (!s.isObject()) {
      add("/upgradeStrategy", "must be an object");
      return;
    }
    for (String f : List.of("minimumHealthCapacity", "maximumOverCapacity")) {
      JsonNode v = s.get(f);
      if (v != null && !v.isNull() && (!v.isNumber() || v.asDouble() < 0 || v.asDouble() > 1)) {
        add("/upgradeStrategy/" + f, "must be a number between 0 and 1");
      }
    }
    if (!LocalVolume.of(app).isEmpty() && s.path("maximumOverCapacity").asDouble(0) > 0) {
      add("/upgradeStrategy/maximumOverCapacity", "must be 0 for an app with persistent volumes: an instance's"
          + " new task can only start once its old one has let go of the volumes");
    }
  }

  /** "disabled", or {inactiveAfterSeconds, expungeAfterSeconds} with expunge not before inactive. */
  private void checkUnreachableStrategy() {
    if (!present("unreachableStrategy")) {
      return;
    }
    JsonNode s = app.get("unreachableStrategy");
    if (s.isTextual()) {
      if (!s.asText().equals("disabled")) {
        add("/unreachableStrategy", "must be \"disabled\" or an object");
      }
      return;
    }
    if (!s.isObject()) {
      add("/unreachableStrategy", "must be \"disabled\" or an object");
      return;
    }
    if (!LocalVolume.of(app).isEmpty()) {
      add("/unreachableStrategy", "must be \"disabled\" for an app with persistent volumes: its data is on its"
          + " agent, so its instances wait for the agent instead of being replaced elsewhere");
      return;
    }
    for (String f : List.of("inactiveAfterSeconds", "expungeAfterSeconds")) {
      JsonNode v = s.get(f);
      if (v != null && !v.isNull() && (!v.isNumber() || v.asDouble() < 0)) {
        add("/unreachableStrategy/" + f, "must be a number >= 0");
      }
    }
    double inactive = s.path("inactiveAfterSeconds").asDouble(300);
    double expunge = s.path("expungeAfterSeconds").asDouble(600);
    if (expunge < inactive) {
      add("/unreachableStrategy/expungeAfterSeconds", "must be >= inactiveAfterSeconds");
    }
  }

  private void checkDependencies() {
    JsonNode deps = app.get("dependencies");
    if (deps == null || !deps.isArray()) {
      return;
    }
    for (int i = 0; i < deps.size(); i++) {
      JsonNode d = deps.get(i);
      if (!d.isTextual()) {
        add("/dependencies/" + i, "must be a string");
        continue;
      }
      try {
        String resolved = AppIds.resolve(dependencyBase(), d.asText());
        if (resolved.equals(ownIdOrNull())) {
          add("/dependencies/" + i, "an app cannot depend on itself");
        }
      } catch (IllegalArgumentException e) {
        add("/dependencies/" + i, e.getMessage());
      }
    }
  }

  /** Relative dependencies are resolved against the app's group (the root when the id is not valid). */
  private String dependencyBase() {
    String id = ownIdOrNull();
    return id == null ? "/" : AppIds.parent(id);
  }

  private String ownIdOrNull() {
    try {
      return app.hasNonNull("id") ? AppIds.canonical(app.get("id").asText()) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private boolean present(String field) {
    return app.hasNonNull(field);
  }

  private void nonNegativeNumber(String field) {
    if (!present(field)) {
      return;
    }
    JsonNode v = app.get(field);
    if (!v.isNumber()) {
      add("/" + field, "must be a number");
    } else if (v.asDouble() < 0 || Double.isNaN(v.asDouble()) || Double.isInfinite(v.asDouble())) {
      add("/" + field, "must be >= 0");
    }
  }

  private void nonNegativeInteger(String field) {
    if (!present(field)) {
      return;
    }
    JsonNode v = app.get(field);
    if (!isInteger(v)) {
      add("/" + field, "must be an integer");
    } else if (v.asLong() < 0) {
      add("/" + field, "must be >= 0");
    } else if (v.asLong() > Integer.MAX_VALUE) {
      add("/" + field, "must be <= " + Integer.MAX_VALUE);
    }
  }

  private void bool(String field) {
    type(field, JsonNode::isBoolean, "must be a boolean");
  }

  private void string(String field) {
    type(field, JsonNode::isTextual, "must be a string");
  }

  private void type(String field, Predicate<JsonNode> ok, String error) {
    if (present(field) && !ok.test(app.get(field))) {
      add("/" + field, error);
    }
  }

  private void stringArray(String field) {
    if (!present(field)) {
      return;
    }
    JsonNode v = app.get(field);
    if (!v.isArray()) {
      add("/" + field, "must be an array of strings");
      return;
    }
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isTextual()) {
        add("/" + field + "/" + i, "must be a string");
      }
    }
  }

  private void stringMap(String field, String at) {
    if (!present(field)) {
      return;
    }
    JsonNode v = app.get(field);
    if (!v.isObject()) {
      add(at, "must be an object of strings");
      return;
    }
    v.fields().forEachRemaining(e -> {
      if (!e.getValue().isTextual()) {
        add(at + "/" + pointerEscape(e.getKey()), "must be a string");
      }
    });
  }

  private static boolean isInteger(JsonNode v) {
    return v.isIntegralNumber() || (v.isNumber() && v.asDouble() == Math.rint(v.asDouble()));
  }

  private static String pointerEscape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private void add(String path, String error) {
    violations.add(new Violation(path, error));
  }
}
