package dev.corral.packages.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a Universe source tree: {@code packages/NAME/REVISION/} (our layout) or {@code packages/X/NAME/REVISION/}
 * (the Universe repository's, with a first-letter folder), each revision holding {@code package.json} and
 * optionally {@code config.json}, {@code marathon.json.mustache} and {@code resource.json}. The root given may be
 * the repository (with a {@code packages} or {@code repo/packages} folder) or the packages folder itself.
 */
public final class SourceLayout {
  private static final ObjectMapper JSON = Json.mapper();

  private SourceLayout() {}

  public static List<PackageDefinition> read(Path root) throws RepositoryException {
    Path packages = packagesDir(root);
    List<PackageDefinition> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(packages, 4)) {
      for (Path pkg : files.filter(p -> p.getFileName().toString().equals("package.json")).sorted().toList()) {
        out.add(readRevision(pkg.getParent()));
      }
    } catch (IOException e) {
      throw new RepositoryException("cannot read the package tree " + packages + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** One revision folder; its name is the release version. */
  public static PackageDefinition readRevision(Path dir) throws RepositoryException {
    long release;
    try {
      release = Long.parseLong(dir.getFileName().toString());
    } catch (NumberFormatException e) {
      throw new RepositoryException("package folder " + dir + " must be named by its revision number");
    }
    JsonNode metadata = readJson(dir.resolve("package.json"));
    if (!(metadata instanceof ObjectNode object) || !metadata.path("name").isTextual()
        || !metadata.path("version").isTextual()) {
      throw new RepositoryException(dir.resolve("package.json") + ": a package needs string fields name and version");
    }
    Path config = dir.resolve("config.json");
    Path template = dir.resolve("marathon.json.mustache");
    Path resource = dir.resolve("resource.json");
    try {
      return new PackageDefinition(object, release,
          Files.exists(config) ? readJson(config) : null,
          Files.exists(template) ? Files.readString(template, StandardCharsets.UTF_8) : null,
          Files.exists(resource) ? (ObjectNode) readJson(resource) : JsonNodeFactory.instance.objectNode());
    } catch (IOException e) {
      throw new RepositoryException("cannot read " + template + ": " + e.getMessage(), e);
    } catch (ClassCastException e) {
      throw new RepositoryException(resource + " must be a JSON object");
    }
  }

  private static Path packagesDir(Path root) throws RepositoryException {
    for (Path candidate : List.of(root.resolve("repo").resolve("packages"), root.resolve("packages"))) {
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    if (Files.isDirectory(root)) {
      return root;
    }
    throw new RepositoryException("no package tree at " + root);
  }

  private static JsonNode readJson(Path file) throws RepositoryException {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new RepositoryException(file + " is not valid JSON: " + e.getMessage(), e);
    }
  }
}
