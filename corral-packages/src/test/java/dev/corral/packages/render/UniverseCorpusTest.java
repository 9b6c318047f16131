package dev.corral.packages.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.packages.repo.PackageDefinition;
import dev.corral.packages.repo.SourceLayout;
import dev.corral.services.app.AppValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every Universe package of the real-world corpus (../shared/compat/universe) parses, its default options
 * validate against its config.json, and its template renders to an app the service scheduler accepts.
 */
class UniverseCorpusTest {
  private static final Path CORPUS = Path.of("..", "..", "shared", "compat", "universe").toAbsolutePath().normalize();

  @Test
  void everyCorpusPackageParsesValidatesAndRenders() throws Exception {
    assumeTrue(Files.isDirectory(CORPUS), "the Universe corpus is not at " + CORPUS + " (only CI has it)");
    List<PackageDefinition> packages = SourceLayout.read(CORPUS);
    assertThat(packages).hasSizeGreaterThanOrEqualTo(10);
    for (PackageDefinition p : packages) {
      String what = p.name() + " " + p.version() + " (revision " + p.releaseVersion() + ")";
      ObjectNode options = Options.resolve(p.config(), null);
      ObjectNode app = TemplateRenderer.render(p.name(), p.marathonTemplate(), options, p.resource());
      assertThat(app.path("id").asText()).as(what + " id").isNotEmpty();
      assertThat(AppValidator.validate(app)).as(what + " rendered app").isEmpty();
    }
  }

  @Test
  void userOptionsOverrideDefaultsAndFlowIntoTheApp() throws Exception {
    assumeTrue(Files.isDirectory(CORPUS), "the Universe corpus is not at " + CORPUS + " (only CI has it)");
    PackageDefinition marathonLb = SourceLayout.readRevision(CORPUS.resolve("packages/marathon-lb/45"));
    JsonNode user = dev.corral.common.Json.mapper().readTree("{\"marathon-lb\": {\"name\": \"edge-lb\", \"instances\": 3}}");
    ObjectNode options = Options.resolve(marathonLb.config(), user);
    ObjectNode app = TemplateRenderer.render(marathonLb.name(), marathonLb.marathonTemplate(), options,
        marathonLb.resource());
    assertThat(app.path("id").asText()).isEqualTo("edge-lb");
    assertThat(app.path("instances").asInt()).isEqualTo(3);
  }
}
