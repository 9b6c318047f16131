package dev.corral.packages.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.packages.Catalog;
import dev.corral.packages.CosmosException;
import dev.corral.packages.install.Installer;
import dev.corral.packages.repo.PackageDefinition;
import dev.corral.packages.repo.Repositories;
import dev.corral.packages.repo.Repositories.Sourced;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Cosmos package API ({@code POST /package/*}): JSON requests, answers with Cosmos's versioned media types,
 * errors as {@code {"type", "message", "data"}}. Handlers block on repository reads and on the service
 * scheduler's API; they run on the HTTP server's worker threads, never on an event loop.
 */
public final class CosmosApi {
  private static final Logger log = LoggerFactory.getLogger(CosmosApi.class);
  private static final ObjectMapper JSON = Json.mapper();
  private static final String ERROR_TYPE = "application/vnd.dcos.package.error+json;charset=utf-8;version=v1";

  private final Catalog catalog;
  private final Installer installer;
  private final Repositories repositories;

  public CosmosApi(Catalog catalog, Installer installer, Repositories repositories) {
    this.catalog = catalog;
    this.installer = installer;
    this.repositories = repositories;
  }

  public void install(JavalinConfig config) {
    var routes = config.routes;
    routes.post("/package/search", ctx -> handle(ctx, "search-response", "v1", this::search));
    routes.post("/package/describe", ctx -> handle(ctx, "describe-response", "v3", this::describe));
    routes.post("/package/list-versions", ctx -> handle(ctx, "list-versions-response", "v1", this::listVersions));
    routes.post("/package/render", ctx -> handle(ctx, "render-response", "v1", this::render));
    routes.post("/package/install", ctx -> handle(ctx, "install-response", "v2", this::installPackage));
    routes.post("/package/uninstall", ctx -> handle(ctx, "uninstall-response", "v1", this::uninstall));
    routes.post("/package/list", ctx -> handle(ctx, "list-response", "v1", this::list));
    routes.post("/package/repository/list", ctx -> handle(ctx, "repository.list-response", "v1", r -> repos(repositories.list())));
    routes.post("/package/repository/add", ctx -> handle(ctx, "repository.add-response", "v1",
        r -> repos(repositories.add(text(r, "name"), text(r, "uri"), r.has("index") ? r.get("index").asInt() : null))));
    routes.post("/package/repository/delete", ctx -> handle(ctx, "repository.delete-response", "v1",
        r -> repos(repositories.delete(text(r, "name"), text(r, "uri")))));
  }

  private ObjectNode search(JsonNode request) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode packages = out.putArray("packages");
    for (List<Sourced> revisions : catalog.search(text(request, "query"))) {
      PackageDefinition newest = revisions.get(0).definition();
      ObjectNode p = packages.addObject();
      p.put("name", newest.name());
      p.put("currentVersion", newest.version());
      ObjectNode versions = p.putObject("versions");
      revisions.forEach(s -> versions.put(s.definition().version(), String.valueOf(s.definition().releaseVersion())));
      p.put("description", newest.description());
      p.put("framework", newest.framework());
      p.set("tags", JSON.valueToTree(newest.tags()));
      p.put("selected", newest.selected());
      if (newest.images() != null) {
        p.set("images", newest.images());
      }
    }
    return out;
  }

  private ObjectNode describe(JsonNode request) {
    Sourced s = catalog.select(text(request, "packageName"), text(request, "packageVersion"));
    ObjectNode pkg = s.definition().metadata().deepCopy();
    pkg.put("releaseVersion", s.definition().releaseVersion());
    if (s.definition().config() != null) {
      pkg.set("config", s.definition().config());
    }
    if (s.definition().marathonTemplate() != null) {
      pkg.putObject("marathon").put("v2AppMustacheTemplate",
          Base64.getEncoder().encodeToString(s.definition().marathonTemplate().getBytes(StandardCharsets.UTF_8)));
    }
    pkg.set("resource", s.definition().resource());
    ObjectNode out = JSON.createObjectNode();
    out.set("package", pkg);
    return out;
  }

  private ObjectNode listVersions(JsonNode request) {
    ObjectNode out = JSON.createObjectNode();
    ObjectNode results = out.putObject("results");
    catalog.revisions(text(request, "packageName"))
        .forEach(s -> results.put(s.definition().version(), String.valueOf(s.definition().releaseVersion())));
    return out;
  }

  private ObjectNode render(JsonNode request) {
    Installer.Rendered rendered = installer.render(text(request, "packageName"), text(request, "packageVersion"),
        request.get("options"), text(request, "appId"));
    ObjectNode out = JSON.createObjectNode();
    out.set("marathonJson", rendered.definition());
    return out;
  }

  private ObjectNode installPackage(JsonNode request) {
    Installer.Result result = installer.install(text(request, "packageName"), text(request, "packageVersion"),
        request.get("options"), text(request, "appId"));
    PackageDefinition p = result.rendered().source().definition();
    ObjectNode out = JSON.createObjectNode();
    out.put("packageName", p.name());
    out.put("packageVersion", p.version());
    out.put("appId", result.rendered().rootId());
    if (p.postInstallNotes() != null) {
      out.put("postInstallNotes", p.postInstallNotes());
    }
    if (result.deploymentId() != null) {
      out.put("deploymentId", result.deploymentId());
    }
    return out;
  }

  private ObjectNode uninstall(JsonNode request) {
    List<Installer.Installed> removed = installer.uninstall(text(request, "packageName"), text(request, "appId"),
        request.path("all").asBoolean(false));
    ObjectNode out = JSON.createObjectNode();
    ArrayNode results = out.putArray("results");
    for (Installer.Installed i : removed) {
      ObjectNode r = results.addObject().put("packageName", i.name()).put("appId", i.appId())
          .put("packageVersion", i.version());
      if (i.metadata() != null && i.metadata().hasNonNull("postUninstallNotes")) {
        r.put("postUninstallNotes", i.metadata().get("postUninstallNotes").asText());
      }
    }
    return out;
  }

  private ObjectNode list(JsonNode request) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode packages = out.putArray("packages");
    for (Installer.Installed i : installer.list(text(request, "packageName"), text(request, "appId"))) {
      ObjectNode entry = packages.addObject().put("appId", i.appId());
      ObjectNode definition = entry.putObject("packageInformation").putObject("packageDefinition");
      if (i.metadata() != null) {
        definition.setAll((ObjectNode) i.metadata());
      }
      definition.put("name", i.name()).put("version", i.version());
    }
    return out;
  }

  private static ObjectNode repos(List<Repositories.Entry> entries) {
    ObjectNode out = JSON.createObjectNode();
    out.set("repositories", JSON.valueToTree(entries));
    return out;
  }

  private static String text(JsonNode request, String field) {
    JsonNode value = request.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw CosmosException.badRequest(field + " must be a string");
    }
    return value.asText();
  }

  private static void handle(Context ctx, String responseType, String version, Function<JsonNode, ObjectNode> action) {
    try {
      JsonNode request = parse(ctx);
      ObjectNode body = action.apply(request);
      ctx.status(200).contentType("application/vnd.dcos.package." + responseType + "+json;charset=utf-8;version="
          + version).result(JSON.writeValueAsString(body));
    } catch (CosmosException e) {
      fail(ctx, e);
    } catch (RuntimeException | IOException e) {
      log.error("package API {} failed", ctx.path(), e);
      fail(ctx, new CosmosException(500, "InternalError", "internal error: " + e));
    }
  }

  private static JsonNode parse(Context ctx) {
    String body = ctx.body();
    if (body.isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode request = JSON.readTree(body);
      if (!request.isObject()) {
        throw CosmosException.badRequest("the request body must be a JSON object");
      }
      return request;
    } catch (IOException e) {
      throw CosmosException.badRequest("the request body is not valid JSON: " + e.getMessage());
    }
  }

  private static void fail(Context ctx, CosmosException e) {
    try {
      ctx.status(e.status()).contentType(ERROR_TYPE).result(JSON.writeValueAsString(e.toJson()));
    } catch (IOException io) {
      ctx.status(500).result(e.getMessage());
    }
  }
}
