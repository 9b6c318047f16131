package dev.corral.jobs.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.state.SecretStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads (validating) and writes Metronome's job JSON. Validation follows Metronome's job schema and reports
 * every problem with its field path. Fields for features this cluster cannot run (networks, privileged
 * containers, docker parameters) are refused by path rather than ignored: a job that silently ran without
 * them would do the wrong thing.
 */
public final class JobJson {
  static final Pattern ID = Pattern.compile("^([a-z0-9]+(-+[a-z0-9]+)*)(\\.([a-z0-9]+(-+[a-z0-9]+)*))*$");
  private static final Set<String> ROOT = Set.of("id", "description", "dependencies", "labels", "schedules", "run");
  private static final Set<String> RUN = Set.of("args", "artifacts", "cmd", "cpus", "gpus", "disk", "networks",
      "ucr", "docker", "env", "maxLaunchDelay", "mem", "placement", "user", "taskKillGracePeriodSeconds",
      "restart", "volumes", "secrets");
  /** Known to Metronome, refused here so far. */
  private static final Map<String, String> UNSUPPORTED = Map.of(
      "networks", "networks are not supported yet: tasks use the agent's network");
  private static final Set<String> VOLUME = Set.of("containerPath", "hostPath", "mode", "secret");
  private static final Set<String> ARTIFACT = Set.of("uri", "executable", "extract", "cache");
  private static final Set<String> CONSTRAINT = Set.of("attribute", "operator", "value");
  private static final int DEFAULT_MAX_LAUNCH_DELAY = 3600;

  private JobJson() {}

  /** A job with the schedules its body carries (POST /v1/jobs may embed them). */
  public record Parsed(JobSpec job, List<ScheduleSpec> schedules) {}

  /** Parses and validates a job body; fails with every violation. */
  public static Parsed parse(JsonNode body) {
    Checker c = new Checker();
    if (body == null || !body.isObject()) {
      c.fail("/", "must be an object");
      c.throwIfInvalid();
    }
    c.onlyKnown(body, "", ROOT);
    String id = c.string(body, "id", "", true);
    if (id != null && !ID.matcher(id).matches()) {
      c.fail("/id", "must be dot-separated names of lowercase letters, digits and dashes (not at either end)");
    }
    String description = c.string(body, "description", "", false);
    Map<String, String> labels = stringMap(c, c.object(body, "labels", ""), "/labels");
    List<ScheduleSpec> schedules = new ArrayList<>();
    JsonNode sched = c.array(body, "schedules", "");
    if (sched != null) {
      for (int i = 0; i < sched.size(); i++) {
        ScheduleSpec s = ScheduleJson.read(c, sched.get(i), "/schedules/" + i);
        if (s != null) {
          schedules.add(s);
        }
      }
    }
    JsonNode run = c.object(body, "run", "");
    RunSpec runSpec = null;
    if (run == null && !body.has("run")) {
      c.fail("/run", "is required");
    } else if (run != null) {
      runSpec = readRun(c, run, id != null && ID.matcher(id).matches() ? id : null);
    }
    c.throwIfInvalid();
    return new Parsed(new JobSpec(id, description == null ? "" : description, labels, runSpec), schedules);
  }

  private static RunSpec readRun(Checker c, JsonNode run, String jobId) {
    String p = "/run";
    c.onlyKnown(run, p, RUN);
    UNSUPPORTED.forEach((field, why) -> {
      if (run.has(field) && !run.get(field).isNull() && !(run.get(field).isContainerNode() && run.get(field).isEmpty())) {
        c.fail(p + "/" + field, why);
      }
    });
    String cmd = c.string(run, "cmd", p, false);
    if (cmd != null && cmd.isEmpty()) {
      c.fail(p + "/cmd", "must not be empty");
    }
    List<String> args = new ArrayList<>();
    JsonNode argsNode = c.array(run, "args", p);
    if (argsNode != null) {
      for (int i = 0; i < argsNode.size(); i++) {
        if (argsNode.get(i).isTextual()) {
          args.add(argsNode.get(i).asText());
        } else {
          c.fail(p + "/args/" + i, "must be a string");
        }
      }
    }
    if (cmd != null && !args.isEmpty()) {
      c.fail(p + "/cmd", "give either cmd or args, not both");
    }
    RunSpec.ContainerImage image = readImage(c, run, p);
    if (cmd == null && args.isEmpty() && image == null) {
      c.fail(p + "/cmd", "cmd or args is required (or an image whose own command runs)");
    }
    double cpus = c.number(run, "cpus", p, 1.0, 0.01);
    double mem = c.number(run, "mem", p, 128, 32);
    double disk = c.number(run, "disk", p, 0, 0);
    Integer gpus = c.integer(run, "gpus", p, 0, 0);
    Integer maxLaunchDelay = c.integer(run, "maxLaunchDelay", p, DEFAULT_MAX_LAUNCH_DELAY, 1);
    String user = c.string(run, "user", p, false);
    Double grace = run.has("taskKillGracePeriodSeconds") && !run.get("taskKillGracePeriodSeconds").isNull()
        ? c.number(run, "taskKillGracePeriodSeconds", p, 0, 0) : null;
    Map<String, String> env = new LinkedHashMap<>();
    Map<String, String> secretEnv = new LinkedHashMap<>();
    JsonNode envNode = c.object(run, "env", p);
    if (envNode != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = envNode.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isTextual()) {
          env.put(e.getKey(), e.getValue().asText());
        } else if (e.getValue().isObject() && e.getValue().path("secret").isTextual()) {
          secretEnv.put(e.getKey(), e.getValue().get("secret").asText());
        } else {
          c.fail(p + "/env/" + e.getKey(), "must be a string or a secret reference {\"secret\": \"name\"}");
        }
      }
    }
    List<Artifact> artifacts = new ArrayList<>();
    JsonNode arts = c.array(run, "artifacts", p);
    if (arts != null) {
      for (int i = 0; i < arts.size(); i++) {
        String ap = p + "/artifacts/" + i;
        JsonNode a = arts.get(i);
        if (!a.isObject()) {
          c.fail(ap, "must be an object");
          continue;
        }
        c.onlyKnown(a, ap, ARTIFACT);
        String uri = c.string(a, "uri", ap, true);
        if (uri != null && uri.isBlank()) {
          c.fail(ap + "/uri", "must not be empty");
        }
        artifacts.add(new Artifact(uri, c.bool(a, "extract", ap, true), c.bool(a, "executable", ap, false),
            c.bool(a, "cache", ap, false)));
      }
    }
    List<PlacementConstraint> constraints = new ArrayList<>();
    JsonNode placement = c.object(run, "placement", p);
    if (placement != null) {
      c.onlyKnown(placement, p + "/placement", Set.of("constraints"));
      JsonNode list = c.array(placement, "constraints", p + "/placement");
      for (int i = 0; list != null && i < list.size(); i++) {
        PlacementConstraint pc = readConstraint(c, list.get(i), p + "/placement/constraints/" + i);
        if (pc != null) {
          constraints.add(pc);
        }
      }
    }
    RestartPolicy restart = RestartPolicy.NEVER;
    JsonNode r = c.object(run, "restart", p);
    if (r != null) {
      String rp = p + "/restart";
      c.onlyKnown(r, rp, Set.of("policy", "activeDeadlineSeconds"));
      String policy = c.string(r, "policy", rp, false);
      if (policy == null) {
        policy = "NEVER";
      } else if (!policy.equals("NEVER") && !policy.equals("ON_FAILURE")) {
        c.fail(rp + "/policy", "must be one of NEVER, ON_FAILURE");
      }
      restart = new RestartPolicy(policy, c.integer(r, "activeDeadlineSeconds", rp, null, 0));
    }
    Map<String, String> secrets = readSecrets(c, run, p, jobId);
    secretEnv.forEach((var, name) -> {
      if (!secrets.containsKey(name)) {
        c.fail(p + "/env/" + var + "/secret", "references the secret '" + name + "', which run.secrets does not declare");
      }
    });
    List<RunSpec.Volume> volumes = readVolumes(c, run, p, secrets);
    return new RunSpec(cmd, args, cpus, mem, disk, gpus == null ? 0 : gpus, env, artifacts, constraints,
        maxLaunchDelay == null ? DEFAULT_MAX_LAUNCH_DELAY : maxLaunchDelay, restart, user, grace, image, secrets,
        secretEnv, volumes);
  }

  /**
   * {@code run.secrets}: a name for each secret's {@code source} (a leading {@code /} dropped); a secret under a
   * path serves the jobs under it, the job id's dots read as slashes ({@code team-a.backup} → {@code /team-a/backup}).
   */
  private static Map<String, String> readSecrets(Checker c, JsonNode run, String p, String jobId) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode node = c.object(run, "secrets", p);
    if (node == null) {
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String at = p + "/secrets/" + e.getKey() + "/source";
      JsonNode source = e.getValue().path("source");
      if (!source.isTextual()) {
        c.fail(at, "must be the secret's path in the store, e.g. \"db/password\"");
        continue;
      }
      String problem = SecretStore.sourceProblem(jobId == null ? null : "/" + jobId.replace('.', '/'), source.asText());
      if (problem != null) {
        c.fail(at, problem);
      } else {
        out.put(e.getKey(), SecretStore.pathOf(source.asText()));
      }
    }
    return out;
  }

  /** {@code run.volumes}: host paths ({@code hostPath}, {@code mode} RO/RW) and secret files ({@code secret}). */
  private static List<RunSpec.Volume> readVolumes(Checker c, JsonNode run, String p, Map<String, String> secrets) {
    List<RunSpec.Volume> out = new ArrayList<>();
    JsonNode list = c.array(run, "volumes", p);
    for (int i = 0; list != null && i < list.size(); i++) {
      String vp = p + "/volumes/" + i;
      JsonNode v = list.get(i);
      if (!v.isObject()) {
        c.fail(vp, "must be an object");
        continue;
      }
      c.onlyKnown(v, vp, VOLUME);
      String containerPath = c.string(v, "containerPath", vp, true);
      String hostPath = c.string(v, "hostPath", vp, false);
      String secret = c.string(v, "secret", vp, false);
      String mode = c.string(v, "mode", vp, false);
      if ((hostPath == null) == (secret == null)) {
        c.fail(vp, "must have exactly one of hostPath and secret");
        continue;
      }
      if (mode != null && !mode.equals("RO") && !mode.equals("RW")) {
        c.fail(vp + "/mode", "must be RO or RW");
      }
      if (containerPath == null || containerPath.isEmpty()) {
        continue;
      }
      if (List.of(containerPath.split("/")).contains("..")) {
        c.fail(vp + "/containerPath", "must not contain '..'");
      }
      if (secret != null && !secrets.containsKey(secret)) {
        c.fail(vp + "/secret", "references the secret '" + secret + "', which run.secrets does not declare");
      }
      out.add(new RunSpec.Volume(containerPath, hostPath, "RO".equals(mode), secret));
    }
    return out;
  }

  /** {@code docker: {image, forcePullImage}} or {@code ucr: {image: {id, forcePull}}}; run by the oci containerizer. */
  private static RunSpec.ContainerImage readImage(Checker c, JsonNode run, String p) {
    JsonNode docker = c.object(run, "docker", p);
    JsonNode ucr = c.object(run, "ucr", p);
    if (docker != null && ucr != null) {
      c.fail(p + "/ucr", "give either docker or ucr, not both");
      return null;
    }
    if (docker != null) {
      String dp = p + "/docker";
      c.onlyKnown(docker, dp, Set.of("image", "forcePullImage", "privileged", "parameters"));
      if (docker.path("privileged").asBoolean(false)) {
        c.fail(dp + "/privileged", "privileged containers are not supported");
      }
      if (docker.has("parameters") && docker.get("parameters").size() > 0) {
        c.fail(dp + "/parameters", "docker parameters are not supported: the agent runs images with an OCI runtime");
      }
      String image = c.string(docker, "image", dp, true);
      return image == null ? null : new RunSpec.ContainerImage(image, c.bool(docker, "forcePullImage", dp, false), false);
    }
    if (ucr != null) {
      String up = p + "/ucr";
      c.onlyKnown(ucr, up, Set.of("image", "privileged"));
      JsonNode image = c.object(ucr, "image", up);
      if (image == null) {
        c.fail(up + "/image", "is required");
        return null;
      }
      c.onlyKnown(image, up + "/image", Set.of("id", "kind", "forcePull"));
      String id = c.string(image, "id", up + "/image", true);
      return id == null ? null : new RunSpec.ContainerImage(id, c.bool(image, "forcePull", up + "/image", false), true);
    }
    return null;
  }

  private static PlacementConstraint readConstraint(Checker c, JsonNode n, String path) {
    if (!n.isObject()) {
      c.fail(path, "must be an object");
      return null;
    }
    c.onlyKnown(n, path, CONSTRAINT);
    String attribute = c.string(n, "attribute", path, true);
    String operator = c.string(n, "operator", path, true);
    String value = c.string(n, "value", path, true);
    if (operator != null && !PlacementConstraint.OPERATORS.contains(operator)) {
      c.fail(path + "/operator", "must be one of EQ, IS, LIKE, UNLIKE");
      return null;
    }
    if (value != null && ("LIKE".equals(operator) || "UNLIKE".equals(operator))) {
      try {
        Pattern.compile(value);
      } catch (PatternSyntaxException e) {
        c.fail(path + "/value", "invalid regular expression: " + e.getDescription());
      }
    }
    return attribute == null || operator == null || value == null ? null
        : new PlacementConstraint(attribute, operator, value);
  }

  private static Map<String, String> stringMap(Checker c, JsonNode node, String path) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node == null) {
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().isTextual()) {
        out.put(e.getKey(), e.getValue().asText());
      } else {
        c.fail(path + "/" + e.getKey(), "must be a string");
      }
    }
    return out;
  }

  /** Metronome's job JSON (without embeds). */
  public static ObjectNode render(JobSpec job) {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("id", job.id());
    o.put("description", job.description());
    ObjectNode labels = o.putObject("labels");
    job.labels().forEach(labels::put);
    RunSpec r = job.run();
    ObjectNode run = o.putObject("run");
    if (r.cmd() != null) {
      run.put("cmd", r.cmd());
    } else {
      r.args().forEach(run.putArray("args")::add);
    }
    run.put("cpus", r.cpus()).put("mem", r.mem()).put("disk", r.disk()).put("gpus", r.gpus());
    ObjectNode env = run.putObject("env");
    r.env().forEach(env::put);
    var arts = run.putArray("artifacts");
    for (Artifact a : r.artifacts()) {
      arts.addObject().put("uri", a.uri()).put("extract", a.extract()).put("executable", a.executable())
          .put("cache", a.cache());
    }
    var cons = run.putObject("placement").putArray("constraints");
    for (PlacementConstraint pc : r.constraints()) {
      cons.addObject().put("attribute", pc.attribute()).put("operator", pc.operator()).put("value", pc.value());
    }
    run.put("maxLaunchDelay", r.maxLaunchDelay());
    ObjectNode restart = run.putObject("restart").put("policy", r.restart().policy());
    if (r.restart().activeDeadlineSeconds() != null) {
      restart.put("activeDeadlineSeconds", r.restart().activeDeadlineSeconds());
    }
    if (r.user() != null) {
      run.put("user", r.user());
    }
    if (r.taskKillGracePeriodSeconds() != null) {
      run.put("taskKillGracePeriodSeconds", r.taskKillGracePeriodSeconds());
    }
    if (r.image() != null && r.image().ucr()) {
      run.putObject("ucr").putObject("image").put("id", r.image().image()).put("forcePull", r.image().forcePull());
    } else if (r.image() != null) {
      run.putObject("docker").put("image", r.image().image()).put("forcePullImage", r.image().forcePull());
    }
    var volumes = run.putArray("volumes");
    for (RunSpec.Volume v : r.volumes()) {
      ObjectNode vo = volumes.addObject().put("containerPath", v.containerPath());
      if (v.secret() != null) {
        vo.put("secret", v.secret());
      } else {
        vo.put("hostPath", v.hostPath()).put("mode", v.readOnly() ? "RO" : "RW");
      }
    }
    if (!r.secrets().isEmpty()) {
      ObjectNode secrets = run.putObject("secrets");
      r.secrets().forEach((name, source) -> secrets.putObject(name).put("source", source));
    }
    r.secretEnv().forEach((var, name) -> env.putObject(var).put("secret", name));
    return o;
  }
}
