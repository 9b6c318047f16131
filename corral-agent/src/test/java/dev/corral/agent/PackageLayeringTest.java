package dev.corral.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The agent's packages depend on each other only in the directions written in {@code package-info.java},
 * and never on master or state modules (DESIGN.md §3). Reads the sources, so it needs no extra library.
 */
class PackageLayeringTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/corral/agent");
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.corral\\.([a-z.]+)\\.[A-Z]", Pattern.MULTILINE);
  private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
      Map.entry("agent", Set.of("agent.cgroups", "agent.checkpoint", "agent.containerizer", "agent.exec", "agent.fetch",
          "agent.files", "agent.gpu", "agent.health", "agent.image", "agent.master", "agent.metrics", "agent.net", "agent.oci", "agent.resources",
          "agent.tasks", "api", "api.v1", "common")),
      Map.entry("agent.metrics", Set.of("agent.cgroups", "common")),
      Map.entry("agent.files", Set.of("api", "common")), // api: the cluster secret its HTTP server requires
      Map.entry("agent.exec", Set.of("agent.tasks", "agent.containerizer", "agent.cgroups", "agent.files", "api.v1", "common")),
      Map.entry("agent.resources", Set.of("api", "api.v1")),
      Map.entry("agent.master", Set.of("api.v1", "common")),
      Map.entry("agent.tasks", Set.of("agent.cgroups", "agent.checkpoint", "agent.containerizer", "agent.fetch",
          "agent.gpu", "agent.health", "agent.image", "api", "api.v1", "common")),
      Map.entry("agent.fetch", Set.of("agent.cgroups", "agent.image", "api.v1")),
      Map.entry("agent.image", Set.of("api.v1", "common")),
      Map.entry("agent.health", Set.of("api.v1", "common")),
      Map.entry("agent.checkpoint", Set.of("agent.containerizer", "api.v1")),
      Map.entry("agent.containerizer", Set.of("agent.cgroups", "api.v1")),
      Map.entry("agent.oci", Set.of("agent.cgroups", "agent.containerizer", "agent.gpu", "agent.image", "agent.net",
          "api.v1", "common")),
      Map.entry("agent.net", Set.of("api.v1")),
      Map.entry("agent.gpu", Set.of("api.v1")),
      Map.entry("agent.cgroups", Set.of("api", "api.v1")));

  @Test
  void packagesDependOnlyDownwards() throws Exception {
    Set<String> violations = new TreeSet<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(SOURCES)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      Path rel = SOURCES.relativize(file.getParent());
      String pkg = rel.toString().isEmpty() ? "agent" : "agent." + rel.toString().replace('/', '.');
      Matcher m = IMPORT.matcher(Files.readString(file));
      while (m.find()) {
        String target = m.group(1);
        if (!target.equals(pkg) && !ALLOWED.getOrDefault(pkg, Set.of()).contains(target)) {
          violations.add(file.getFileName() + " (" + pkg + ") imports dev.corral." + target);
        }
      }
    }
    assertThat(violations).isEmpty();
  }
}
