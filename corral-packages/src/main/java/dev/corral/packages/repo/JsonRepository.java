package dev.corral.packages.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Parses a Universe JSON repository (the v3, v4 and v5 formats served by the Universe server):
 * {@code {"packages": [ {package.json fields…, "releaseVersion", "config", "marathon": {"v2AppMustacheTemplate":
 * base64}, "resource"} ]}}.
 */
public final class JsonRepository {
  private JsonRepository() {}

  public static List<PackageDefinition> parse(JsonNode repo, String where) throws RepositoryException {
    JsonNode packages = repo.get("packages");
    if (packages == null || !packages.isArray()) {
      throw new RepositoryException(where + " is not a Universe repository: it has no \"packages\" array");
    }
    List<PackageDefinition> out = new ArrayList<>();
    for (int i = 0; i < packages.size(); i++) {
      out.add(parseEntry(packages.get(i), where + " packages[" + i + "]"));
    }
    return out;
  }

  private static PackageDefinition parseEntry(JsonNode entry, String where) throws RepositoryException {
    if (!(entry instanceof ObjectNode object) || !entry.path("name").isTextual() || !entry.path("version").isTextual()) {
      throw new RepositoryException(where + ": a package needs string fields name and version");
    }
    ObjectNode metadata = object.deepCopy();
    JsonNode config = metadata.remove("config");
    JsonNode marathon = metadata.remove("marathon");
    JsonNode resource = metadata.remove("resource");
    JsonNode release = metadata.remove("releaseVersion");
    if (release == null || !release.canConvertToLong()) {
      throw new RepositoryException(where + " (" + entry.get("name").asText() + "): releaseVersion must be a number");
    }
    String template = null;
    if (marathon != null && marathon.path("v2AppMustacheTemplate").isTextual()) {
      try {
        template = new String(Base64.getDecoder().decode(marathon.get("v2AppMustacheTemplate").asText()),
            StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new RepositoryException(where + ": marathon.v2AppMustacheTemplate is not base64");
      }
    }
    ObjectNode resourceObject = resource instanceof ObjectNode r ? r : JsonNodeFactory.instance.objectNode();
    return new PackageDefinition(metadata, release.asLong(), config, template, resourceObject);
  }
}
