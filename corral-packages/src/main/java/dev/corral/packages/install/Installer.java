package dev.corral.packages.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.packages.Catalog;
import dev.corral.packages.CosmosException;
import dev.corral.packages.render.Options;
import dev.corral.packages.render.TemplateRenderer;
import dev.corral.packages.repo.PackageDefinition;
import dev.corral.packages.repo.Repositories.Sourced;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Render, install, list and uninstall. An install is one write to the service scheduler (an app, or a group
 * holding all the package's apps), made only after options, template and definition are checked, so a
 * refused install leaves nothing behind; the scheduler then deploys it like any other app.
 */
public final class Installer {
  private final Catalog catalog;
  private final ServicesClient services;

  public Installer(Catalog catalog, ServicesClient services) {
    this.catalog = catalog;
    this.services = services;
  }

  /** What an install creates. */
  public record Rendered(Sourced source, ObjectNode definition, String rootId, boolean group) {}

  /** One installed package: the app or group it created and the package's metadata. */
  public record Installed(String appId, String name, String version, JsonNode metadata, boolean group) {}

  /** The result of an install. */
  public record Result(Rendered rendered, String deploymentId) {}

  public Rendered render(String name, String version, JsonNode options, String appId) {
    Sourced source = catalog.select(name, version);
    PackageDefinition p = source.definition();
    ObjectNode resolved = Options.resolve(p.config(), options);
    ObjectNode rendered = TemplateRenderer.render(p.name(), p.marathonTemplate(), resolved, p.resource());
    if (appId != null && !appId.isBlank()) {
      rendered.put("id", appId);
    }
    String root = absolute(rendered.path("id").asText(""));
    if (root.equals("/")) {
      throw new CosmosException(400, "InvalidRenderedTemplate",
          "the rendered definition of package [" + name + "] has no id; pass appId");
    }
    rendered.put("id", root);
    boolean group = rendered.has("apps") || rendered.has("groups");
    PackageLabels.apply(rendered, source.repository(), p, options, root);
    return new Rendered(source, rendered, root, group);
  }

  public Result install(String name, String version, JsonNode options, String appId) {
    Rendered rendered = render(name, version, options, appId);
    if (services.exists(rendered.rootId())) {
      ObjectNode data = JsonNodeFactory.instance.objectNode().put("packageName", name).put("appId", rendered.rootId());
      throw new CosmosException(409, "PackageAlreadyInstalled", "A service named [" + rendered.rootId()
          + "] already exists: uninstall it first, or install under another name (appId or the service.name option)",
          data);
    }
    String deployment = rendered.group() ? services.createGroup(rendered.definition())
        : services.createApp(rendered.definition());
    return new Result(rendered, deployment);
  }

  /** Installed packages, optionally only of one name and/or one app id. */
  public List<Installed> list(String name, String appId) {
    Map<String, Installed> byRoot = new LinkedHashMap<>();
    for (JsonNode app : services.appsLabelled(PackageLabels.NAME)) {
      JsonNode labels = app.path("labels");
      String root = labels.path(PackageLabels.ROOT).asText(app.path("id").asText());
      String pkg = labels.path(PackageLabels.NAME).asText();
      if ((name != null && !name.equals(pkg)) || (appId != null && !absolute(appId).equals(root))) {
        continue;
      }
      byRoot.putIfAbsent(root, new Installed(root, pkg, labels.path(PackageLabels.VERSION).asText(),
          PackageLabels.metadata(labels), !root.equals(app.path("id").asText())));
    }
    return new ArrayList<>(byRoot.values());
  }

  /** Removes the installs of a package: the one named by appId, the only one, or all when {@code all}. */
  public List<Installed> uninstall(String name, String appId, boolean all) {
    if (name == null || name.isBlank()) {
      throw CosmosException.badRequest("packageName is required");
    }
    List<Installed> installs = list(name, appId);
    if (installs.isEmpty()) {
      ObjectNode data = JsonNodeFactory.instance.objectNode().put("packageName", name);
      if (appId != null) {
        data.put("appId", absolute(appId));
      }
      throw new CosmosException(400, "UninstallNonExistentAppForPackage", "Package [" + name + "]"
          + (appId != null ? " with id [" + absolute(appId) + "]" : "") + " is not installed", data);
    }
    if (installs.size() > 1 && appId == null && !all) {
      ObjectNode data = JsonNodeFactory.instance.objectNode().put("packageName", name);
      installs.forEach(i -> data.withArray("appIds").add(i.appId()));
      throw new CosmosException(400, "AmbiguousAppId", "Multiple apps named [" + name + "] are installed: pass appId ("
          + String.join(", ", installs.stream().map(Installed::appId).toList()) + ") or all", data);
    }
    for (Installed install : installs) {
      services.remove(install.appId(), install.group());
    }
    return installs;
  }

  static String absolute(String id) {
    String trimmed = id.trim();
    while (trimmed.endsWith("/") && trimmed.length() > 1) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.startsWith("/") ? trimmed : "/" + trimmed;
  }
}
