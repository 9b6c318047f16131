package dev.corral.services.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.services.Harness;
import java.util.List;
import org.junit.jupiter.api.Test;

/** healthChecks and readinessChecks: validation, typed accessors with Marathon's defaults, GET's shape. */
class HealthCheckDefinitionTest {

  private static List<Violation> validate(String json) {
    return AppValidator.validate(AppNormalizer.clean(Harness.object(json)));
  }

  private static AppDefinition app(String json) {
    ObjectNode valid = AppNormalizer.clean(Harness.object(json));
    assertThat(AppValidator.validate(valid)).isEmpty();
    return AppDefinition.of(AppNormalizer.normalize(valid, valid.get("id").asText()));
  }

  @Test
  void marathonsDefaultsApplyToWhatIsLeftOut() {
    AppDefinition app = app("""
        {"id": "/a", "cmd": "x", "healthChecks": [{}, {"protocol": "COMMAND", "command": {"value": "true"}},
         {"protocol": "TCP", "port": 8080, "intervalSeconds": 5}]}""");
    assertThat(app.healthChecks()).hasSize(3);
    HealthCheck http = app.healthChecks().get(0);
    assertThat(http).isEqualTo(new HealthCheck(HealthCheck.Protocol.HTTP, "/", 0, null, null, 300, 60, 20, 3, 15,
        false, "IPv4"));
    HealthCheck command = app.healthChecks().get(1);
    assertThat(command.command()).isEqualTo("true");
    assertThat(command.portIndex()).as("a command checks no port").isNull();
    HealthCheck tcp = app.healthChecks().get(2);
    assertThat(tcp.port()).isEqualTo(8080);
    assertThat(tcp.portIndex()).isNull();
    assertThat(tcp.intervalSeconds()).isEqualTo(5);
    assertThat(app.unsupportedReasons()).as("health checks run").isEmpty();
  }

  @Test
  void readinessDefaults() {
    AppDefinition app = app("""
        {"id": "/a", "cmd": "x", "portDefinitions": [{"port": 0, "name": "http-api"}], "readinessChecks": [{}]}""");
    assertThat(app.readinessChecks()).containsExactly(
        new ReadinessCheck("readinessCheck", "HTTP", "/", "http-api", 30, 10, List.of(200), false));
    assertThat(app.unsupportedReasons()).isEmpty();
  }

  @Test
  void everyProblemIsReportedAtItsPath() {
    assertThat(validate("""
        {"id": "/a", "cmd": "x", "portDefinitions": [{"port": 0}], "healthChecks": [
          {"protocol": "GOPHER"},
          {"portIndex": 1},
          {"portIndex": 0, "port": 80},
          {"protocol": "COMMAND"},
          {"protocol": "COMMAND", "command": {"value": ""}},
          {"intervalSeconds": -1, "timeoutSeconds": 1.5, "gracePeriodSeconds": "x", "maxConsecutiveFailures": -3,
           "delaySeconds": -1, "ignoreHttp1xx": "no", "path": 3, "port": 70000, "ipProtocol": "IPv5"},
          "nope"]}"""))
        .containsExactlyInAnyOrder(
            new Violation("/healthChecks/0/protocol",
                "must be one of HTTP, HTTPS, TCP, COMMAND, MESOS_HTTP, MESOS_HTTPS, MESOS_TCP"),
            new Violation("/healthChecks/1/portIndex", "must address one of the app's 1 port(s) (portDefinitions,"
                + " or container.portMappings with container networking)"),
            new Violation("/healthChecks/2/port", "give either port or portIndex, not both"),
            new Violation("/healthChecks/3/command/value", "is required for a COMMAND check: the shell command to run"),
            new Violation("/healthChecks/4/command/value", "is required for a COMMAND check: the shell command to run"),
            new Violation("/healthChecks/5/intervalSeconds", "must be between 0 and 2147483647"),
            new Violation("/healthChecks/5/timeoutSeconds", "must be an integer"),
            new Violation("/healthChecks/5/gracePeriodSeconds", "must be an integer"),
            new Violation("/healthChecks/5/maxConsecutiveFailures", "must be between 0 and 2147483647"),
            new Violation("/healthChecks/5/delaySeconds", "must be between 0 and 2147483647"),
            new Violation("/healthChecks/5/ignoreHttp1xx", "must be a boolean"),
            new Violation("/healthChecks/5/path", "must be a string"),
            new Violation("/healthChecks/5/port", "must be an integer between 0 and 65535"),
            new Violation("/healthChecks/5/ipProtocol", "must be IPv4 or IPv6"),
            new Violation("/healthChecks/6", "must be an object"));
    assertThat(validate("{\"id\": \"/a\", \"cmd\": \"x\", \"healthChecks\": {}}"))
        .containsExactly(new Violation("/healthChecks", "must be an array"));
  }

  @Test
  void portIndexCountsTheDefaultPortTheLegacyPortsAndContainerPortMappings() {
    assertThat(validate("{\"id\": \"/a\", \"cmd\": \"x\", \"healthChecks\": [{\"portIndex\": 0}]}"))
        .as("one dynamic port by default").isEmpty();
    assertThat(validate("{\"id\": \"/a\", \"cmd\": \"x\", \"ports\": [0, 0], \"healthChecks\": [{\"portIndex\": 1}]}"))
        .isEmpty();
    assertThat(validate("{\"id\": \"/a\", \"cmd\": \"x\", \"portDefinitions\": [], \"healthChecks\": [{}]}"))
        .extracting(Violation::path).containsExactly("/healthChecks/0/portIndex");
    assertThat(validate("{\"id\": \"/a\", \"cmd\": \"x\", \"portDefinitions\": [],"
        + " \"healthChecks\": [{\"protocol\": \"COMMAND\", \"command\": {\"value\": \"true\"}}]}")).isEmpty();
    assertThat(validate("""
        {"id": "/a", "cmd": "x", "container": {"type": "DOCKER", "docker": {"image": "i", "network": "BRIDGE",
          "portMappings": [{"containerPort": 80}, {"containerPort": 81}]}},
         "healthChecks": [{"portIndex": 1}, {"portIndex": 2}]}"""))
        .extracting(Violation::path).containsExactly("/healthChecks/1/portIndex");
  }

  @Test
  void readinessChecksNameAnExistingPortAndTimeOutBeforeTheirInterval() {
    assertThat(validate("""
        {"id": "/a", "cmd": "x", "portDefinitions": [{"port": 0, "name": "web"}], "readinessChecks": [
          {"portName": "web"},
          {"portName": "api"},
          {"portName": "web", "intervalSeconds": 5, "timeoutSeconds": 5},
          {"portName": "web", "protocol": "TCP", "httpStatusCodesForReady": [200, 42], "preserveLastResponse": 1},
          {}]}"""))
        .containsExactlyInAnyOrder(
            new Violation("/readinessChecks/1/portName", "must name one of the app's ports; named ports: [web]"),
            new Violation("/readinessChecks/2/timeoutSeconds", "must be smaller than intervalSeconds (5)"),
            new Violation("/readinessChecks/3/protocol", "must be HTTP or HTTPS"),
            new Violation("/readinessChecks/3/httpStatusCodesForReady/1", "must be an integer between 100 and 999"),
            new Violation("/readinessChecks/3/preserveLastResponse", "must be a boolean"),
            new Violation("/readinessChecks/4/portName",
                "must name one of the app's ports (the default is http-api); named ports: [web]"));
  }

  @Test
  void getShowsEveryFieldOfTheChecks() {
    ObjectNode shown = AppDefaults.fill(app("""
        {"id": "/a", "cmd": "x", "portDefinitions": [{"port": 0, "name": "http-api"}],
         "healthChecks": [{"protocol": "TCP"}, {"protocol": "COMMAND", "command": {"value": "true"}}],
         "readinessChecks": [{}]}""").toJson());
    assertThat(shown.get("healthChecks").get(0).toString()).isEqualTo("{\"protocol\":\"TCP\","
        + "\"gracePeriodSeconds\":300,\"intervalSeconds\":60,\"timeoutSeconds\":20,\"maxConsecutiveFailures\":3,"
        + "\"delaySeconds\":15,\"portIndex\":0}");
    assertThat(shown.get("healthChecks").get(1).has("portIndex")).isFalse();
    assertThat(shown.get("readinessChecks").get(0).toString()).isEqualTo("{\"name\":\"readinessCheck\","
        + "\"protocol\":\"HTTP\",\"path\":\"/\",\"portName\":\"http-api\",\"intervalSeconds\":30,"
        + "\"timeoutSeconds\":10,\"httpStatusCodesForReady\":[200],\"preserveLastResponse\":false}");
  }
}
