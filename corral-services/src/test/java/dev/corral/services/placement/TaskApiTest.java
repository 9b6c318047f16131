package dev.corral.services.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.FetchUri;
import dev.corral.api.v1.TaskInfo;
import dev.corral.services.Harness;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.AppNormalizer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskApiTest {
  private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  private static final Placement PLACEMENT = new Placement("i1", "o1", "ag1", "node1", List.of(), List.of(),
      Map.of());

  private static AppDefinition app(String json) {
    return AppDefinition.of(AppNormalizer.normalize(AppNormalizer.clean(Harness.object(json)), "/web"));
  }

  @Test
  void plainHttpGivesTheUrlOnly() {
    TaskInfo t = TaskInfoBuilder.build(app("{\"id\": \"/web\", \"cmd\": \"true\"}"), "web.1", PLACEMENT, "", "fw",
        "node1:7070");
    assertThat(t.getCommand().getEnvironmentMap()).containsEntry("CORRAL_URL", "http://node1:7070")
        .doesNotContainKey("CORRAL_CA_FILE");
    assertThat(t.getFetchList()).isEmpty();
  }

  @Test
  void httpsGivesTheUrlAndTheCaAsAFileInTheSandbox() {
    TaskInfo t = TaskInfoBuilder.build(app("{\"id\": \"/web\", \"cmd\": \"true\"}"), "web.1", PLACEMENT, "", "fw",
        TaskApi.https("node1:7070", CA));
    assertThat(t.getCommand().getEnvironmentMap()).containsEntry("CORRAL_URL", "https://node1:7070")
        .containsEntry("CORRAL_CA_FILE", ".corral/ca.crt");
    FetchUri ca = t.getFetchList().get(t.getFetchCount() - 1);
    assertThat(ca.getDestPath()).isEqualTo(".corral/ca.crt");
    assertThat(ca.getUri()).startsWith("data:application/x-pem-file;base64,");
    assertThat(new String(Base64.getDecoder().decode(ca.getUri().substring(ca.getUri().indexOf(',') + 1)),
        StandardCharsets.UTF_8)).isEqualTo(CA);
  }

  @Test
  void anAppsOwnCorralUrlWinsAndThenGetsNoCa() {
    TaskInfo t = TaskInfoBuilder.build(app("{\"id\": \"/web\", \"cmd\": \"true\", \"env\": {\"CORRAL_URL\": "
        + "\"http://elsewhere:80\"}}"), "web.1", PLACEMENT, "", "fw", TaskApi.https("node1:7070", CA));
    assertThat(t.getCommand().getEnvironmentMap()).containsEntry("CORRAL_URL", "http://elsewhere:80")
        .doesNotContainKey("CORRAL_CA_FILE");
    assertThat(t.getFetchList()).isEmpty();
  }
}
