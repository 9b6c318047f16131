package dev.corral.packages.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One revision of a package, as a Universe repository describes it: the metadata of {@code package.json},
 * the options schema ({@code config.json}), the Marathon template and {@code resource.json}.
 *
 * @param metadata {@code package.json} as written (name, version, description, tags, notes, …)
 * @param releaseVersion the revision: higher is newer; orders versions of one package
 * @param config the options' JSON Schema (draft-04), or null when the package takes no options
 * @param marathonTemplate the Mustache text of {@code marathon.json.mustache}, or null (metadata-only packages)
 * @param resource {@code resource.json} (assets, images, cli), or an empty object
 */
public record PackageDefinition(ObjectNode metadata, long releaseVersion, JsonNode config, String marathonTemplate,
    ObjectNode resource) {

  public String name() {
    return metadata.path("name").asText();
  }

  public String version() {
    return metadata.path("version").asText();
  }

  public String packagingVersion() {
    return metadata.path("packagingVersion").asText("2.0");
  }

  public String description() {
    return metadata.path("description").asText("");
  }

  public boolean framework() {
    return metadata.path("framework").asBoolean(false);
  }

  public boolean selected() {
    return metadata.path("selected").asBoolean(false);
  }

  public String preInstallNotes() {
    return metadata.path("preInstallNotes").asText(null);
  }

  public String postInstallNotes() {
    return metadata.path("postInstallNotes").asText(null);
  }

  public String postUninstallNotes() {
    return metadata.path("postUninstallNotes").asText(null);
  }

  public List<String> tags() {
    List<String> tags = new ArrayList<>();
    metadata.path("tags").forEach(t -> tags.add(t.asText()));
    return tags;
  }

  /** The package's images ({@code icon-small}, …) from resource.json, or null. */
  public JsonNode images() {
    JsonNode images = resource.get("images");
    return images != null ? images : metadata.get("images");
  }
}
