package dev.corral.packages.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.packages.repo.PackageDefinition;
import dev.corral.packages.repo.SourceLayout;
import dev.corral.services.app.AppValidator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The catalog bundled in the distribution (packages/ at the repository root): every package has the metadata
 * users see, options that all have a description and a default, and renders with its defaults to apps the
 * service scheduler accepts, fetching binaries only with maven://.
 */
class BundledCatalogTest {
  private static final Path CATALOG = Path.of("..", "packages").toAbsolutePath().normalize();

  @Test
  void everyBundledPackageIsCompleteAndRenders() throws Exception {
    List<PackageDefinition> packages = SourceLayout.read(CATALOG);
    assertThat(packages).extracting(PackageDefinition::name).contains("kafka", "flink", "zookeeper", "spark");
    for (PackageDefinition p : packages) {
      assertThat(p.description()).as(p.name() + " description").isNotBlank();
      assertThat(p.preInstallNotes()).as(p.name() + " preInstallNotes").isNotBlank();
      assertThat(p.postInstallNotes()).as(p.name() + " postInstallNotes").isNotBlank();
      assertThat(p.images()).as(p.name() + " icon").isNotNull();
      everyOptionDescribedWithDefault(p.name(), "", p.config());
      ObjectNode rendered = TemplateRenderer.render(p.name(), p.marathonTemplate(), Options.resolve(p.config(), null),
          p.resource());
      List<ObjectNode> apps = new ArrayList<>();
      if (rendered.has("apps")) {
        rendered.path("apps").forEach(a -> apps.add((ObjectNode) a));
      } else {
        apps.add(rendered);
      }
      assertThat(apps).as(p.name() + " apps").isNotEmpty();
      for (ObjectNode app : apps) {
        assertThat(AppValidator.validate(app)).as(p.name() + " " + app.path("id")).isEmpty();
        for (JsonNode fetch : app.path("fetch")) {
          assertThat(fetch.path("uri").asText()).as(p.name() + " fetch").startsWith("maven://");
        }
      }
    }
  }

  private static void everyOptionDescribedWithDefault(String pkg, String prefix, JsonNode schema) {
    schema.path("properties").fields().forEachRemaining(e -> {
      String path = prefix + e.getKey();
      JsonNode def = e.getValue();
      if (def.has("properties")) {
        everyOptionDescribedWithDefault(pkg, path + ".", def);
      } else {
        assertThat(def.path("description").asText()).as(pkg + " option " + path + " description").isNotBlank();
        assertThat(def.has("default")).as(pkg + " option " + path + " default").isTrue();
      }
    });
  }
}
