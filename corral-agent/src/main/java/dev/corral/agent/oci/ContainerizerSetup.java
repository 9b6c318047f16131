package dev.corral.agent.oci;

import dev.corral.agent.cgroups.Cgroups;
import dev.corral.agent.containerizer.Containerizer;
import dev.corral.agent.containerizer.Containerizers;
import dev.corral.agent.containerizer.HostTools;
import dev.corral.agent.containerizer.ProcessContainerizer;
import dev.corral.agent.net.ContainerNetworks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns {@code --containerizers} and {@code --oci-runtime} into the agent's {@link Containerizers}.
 *
 * <p>Default (no list given): {@code oci,process} where the OCI runtime is installed and the agent runs as
 * root with cgroups, else {@code process}. An explicit {@code oci} that cannot work here fails the agent's
 * start with the reason, rather than quietly running tasks without containers.
 */
public final class ContainerizerSetup {
  public static final List<String> KNOWN = List.of(OciContainerizer.NAME, ProcessContainerizer.NAME);

  private ContainerizerSetup() {}

  /** Splits and checks a {@code oci,process} list; throws on an unknown or repeated name, or an empty list. */
  public static List<String> parse(String list) {
    Set<String> out = new LinkedHashSet<>();
    for (String part : list.split(",")) {
      String name = part.trim();
      if (name.isEmpty()) {
        continue;
      }
      if (!KNOWN.contains(name)) {
        throw new IllegalArgumentException("unknown containerizer '" + name + "' (known: oci, process)");
      }
      if (!out.add(name)) {
        throw new IllegalArgumentException("containerizer '" + name + "' is listed twice");
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("the containerizer list is empty");
    }
    return List.copyOf(out);
  }

  /**
   * @param requested the operator's list, or null for the default
   * @param runtimeName {@code runc} or {@code crun}
   * @param workDir the agent's work dir; the runtime keeps its state under {@code WORK/oci}
   * @param networks container networking for the oci containerizer; null leaves tasks that ask for it unrun
   * @param resolvConf bound over OCI containers' {@code /etc/resolv.conf}; null for the host's
   */
  public static Containerizers build(List<String> requested, String runtimeName, boolean root, Cgroups cgroups,
      HostTools tools, Path monitorScript, String hostname, Map<String, String> agentEnv, Path workDir,
      ProcessContainerizer process, Function<String, Path> metaDirs, ContainerNetworks networks, Path resolvConf,
      boolean allowPrivileged) {
    OciRuntime runtime = OciRuntime.find(runtimeName, workDir.resolve("oci"));
    String ociProblem = runtime == null ? runtimeName + " is not installed"
        : !root ? "the agent does not run as root"
        : !cgroups.enabled() ? "no cgroups: " + cgroups.describe()
        : null;
    List<String> names = requested != null ? requested
        : ociProblem == null ? List.of(OciContainerizer.NAME, ProcessContainerizer.NAME)
        : List.of(ProcessContainerizer.NAME);
    List<Containerizer> ordered = new ArrayList<>();
    for (String name : names) {
      if (name.equals(ProcessContainerizer.NAME)) {
        ordered.add(process);
      } else {
        if (ociProblem != null) {
          throw new IllegalStateException("the oci containerizer cannot run here: " + ociProblem);
        }
        ordered.add(new OciContainerizer(runtime, cgroups, tools, monitorScript, hostname, agentEnv,
            networks, resolvConf).allowPrivileged(allowPrivileged));
      }
    }
    return new Containerizers(ordered, process, metaDirs);
  }
}
