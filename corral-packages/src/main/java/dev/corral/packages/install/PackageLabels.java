package dev.corral.packages.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.packages.repo.PackageDefinition;
import dev.corral.packages.repo.Repositories;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The labels that make an app a tracked package install, Cosmos's names first so that DC/OS tools read them:
 * name, version, release, source repository, framework flag, the metadata and the user's options (both base64
 * JSON). {@value #ROOT} names the app or group the install created, so that list and uninstall treat the apps
 * of one grouped package (Flink's jobmanager and taskmanager) as one install.
 */
public final class PackageLabels {
  public static final String NAME = "DCOS_PACKAGE_NAME";
  public static final String VERSION = "DCOS_PACKAGE_VERSION";
  public static final String RELEASE = "DCOS_PACKAGE_RELEASE";
  public static final String SOURCE = "DCOS_PACKAGE_SOURCE";
  public static final String FRAMEWORK = "DCOS_PACKAGE_IS_FRAMEWORK";
  public static final String METADATA = "DCOS_PACKAGE_METADATA";
  public static final String OPTIONS = "DCOS_PACKAGE_OPTIONS";
  public static final String ROOT = "CORRAL_PACKAGE_ROOT";
  private static final ObjectMapper JSON = Json.mapper();

  private PackageLabels() {}

  /** Labels every app of {@code rendered} (an app, or a group with nested apps and groups). */
  static void apply(ObjectNode rendered, Repositories.Entry source, PackageDefinition p, JsonNode userOptions,
      String root) {
    if (rendered.has("apps") || rendered.has("groups")) {
      rendered.path("apps").forEach(app -> label((ObjectNode) app, source, p, userOptions, root));
      rendered.path("groups").forEach(group -> apply((ObjectNode) group, source, p, userOptions, root));
    } else {
      label(rendered, source, p, userOptions, root);
    }
  }

  private static void label(ObjectNode app, Repositories.Entry source, PackageDefinition p, JsonNode userOptions,
      String root) {
    ObjectNode labels = app.get("labels") instanceof ObjectNode l ? l : app.putObject("labels");
    labels.put(NAME, p.name());
    labels.put(VERSION, p.version());
    labels.put(RELEASE, String.valueOf(p.releaseVersion()));
    labels.put(SOURCE, source.uri());
    labels.put(FRAMEWORK, String.valueOf(p.framework()));
    labels.put(METADATA, base64(p.metadata()));
    labels.put(OPTIONS, base64(userOptions == null ? JSON.createObjectNode() : userOptions));
    labels.put(ROOT, root);
  }

  /** The package metadata stored on an installed app, or null when the label is missing or unreadable. */
  public static JsonNode metadata(JsonNode labels) {
    String encoded = labels.path(METADATA).asText(null);
    if (encoded == null) {
      return null;
    }
    try {
      return JSON.readTree(Base64.getDecoder().decode(encoded));
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  private static String base64(JsonNode node) {
    try {
      return Base64.getEncoder().encodeToString(JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
