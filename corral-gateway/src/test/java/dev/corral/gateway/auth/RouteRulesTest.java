package dev.corral.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RouteRulesTest {
  private static Requirement.Needed needed(String method, String path, String body) {
    Requirement r = RouteRules.of(method, path, body);
    assertThat(r).isInstanceOf(Requirement.Permission.class);
    List<Requirement.Needed> all = ((Requirement.Permission) r).needed();
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  @Test
  void marathonAppsAreCheckedByTheirId() {
    assertThat(needed("POST", "/v2/apps", "{\"id\": \"/prod/x\"}"))
        .isEqualTo(new Requirement.Needed("corral:service:marathon:/prod/x", "create"));
    assertThat(needed("GET", "/v2/apps/dev/web", "")).isEqualTo(new Requirement.Needed("corral:service:marathon:/dev/web", "read"));
    assertThat(RouteRules.of("GET", "/v2/apps/dev/web/tasks", "")).as("discovery").isInstanceOf(Requirement.Public.class);
    assertThat(needed("GET", "/v2/apps/dev/web/versions", "")).isEqualTo(new Requirement.Needed("corral:service:marathon:/dev/web", "read"));
    assertThat(needed("PUT", "/v2/apps/dev/web", "{}")).isEqualTo(new Requirement.Needed("corral:service:marathon:/dev/web", "update"));
    assertThat(needed("DELETE", "/v2/apps/dev/web", "")).isEqualTo(new Requirement.Needed("corral:service:marathon:/dev/web", "delete"));
    assertThat(needed("DELETE", "/v2/apps/dev/web/tasks/t1", "")).isEqualTo(new Requirement.Needed("corral:service:marathon:/dev/web", "update"));
    assertThat(needed("POST", "/v2/apps/dev/web/restart", "")).isEqualTo(new Requirement.Needed("corral:service:marathon:/dev/web", "update"));
    assertThat(RouteRules.of("GET", "/v2/apps", "")).isEqualTo(new Requirement.Listing("corral:service:marathon", "read"));
  }

  @Test
  void groupsAndPodsToo() {
    assertThat(needed("POST", "/v2/groups", "{\"id\": \"/prod\"}")).isEqualTo(new Requirement.Needed("corral:service:marathon:/prod", "create"));
    assertThat(needed("DELETE", "/v2/groups/prod", "")).isEqualTo(new Requirement.Needed("corral:service:marathon:/prod", "delete"));
    assertThat(needed("GET", "/v2/groups", "")).isEqualTo(new Requirement.Needed("corral:service:marathon:/", "read"));
    assertThat(needed("DELETE", "/v2/pods/prod/db::instances/i1", "")).isEqualTo(new Requirement.Needed("corral:service:marathon:/prod/db", "update"));
  }

  @Test
  void otherApisHaveTheirPermissions() {
    assertThat(needed("POST", "/package/install", "{}")).isEqualTo(new Requirement.Needed("corral:package:install", "create"));
    assertThat(needed("POST", "/package/search", "{}")).isEqualTo(new Requirement.Needed("corral:package", "read"));
    assertThat(needed("GET", "/metrics", "")).isEqualTo(new Requirement.Needed("corral:metrics", "read"));
    assertThat(needed("POST", "/v1/jobs/nightly/runs", "")).isEqualTo(new Requirement.Needed("corral:jobs:nightly", "update"));
    assertThat(needed("GET", "/master/slaves", "")).isEqualTo(new Requirement.Needed("corral:operator", "read"));
    assertThat(needed("POST", "/service/flink/jars/upload", "")).isEqualTo(new Requirement.Needed("corral:service:proxy:flink", "update"));
  }

  @Test
  void eachSecretIsItsOwnResourceAndAListingReadsItsPrefix() {
    assertThat(needed("GET", "/secrets/v1/secret/default/db/password", "")).isEqualTo(new Requirement.Needed("corral:secrets:db/password", "read"));
    assertThat(needed("PUT", "/secrets/v1/secret/default/db/password", "{}")).isEqualTo(new Requirement.Needed("corral:secrets:db/password", "create"));
    assertThat(needed("PATCH", "/secrets/v1/secret/default/db/password", "{}")).isEqualTo(new Requirement.Needed("corral:secrets:db/password", "update"));
    assertThat(needed("DELETE", "/secrets/v1/secret/default/db/password", "")).isEqualTo(new Requirement.Needed("corral:secrets:db/password", "delete"));
    assertThat(needed("GET", "/secrets/v1/secret/default/db/", "")).isEqualTo(new Requirement.Needed("corral:secrets:db", "read"));
    assertThat(needed("GET", "/secrets/v1/secret/default/", "")).isEqualTo(new Requirement.Needed("corral:secrets", "read"));
  }

  @Test
  void aTasksExecLogsAndFilesAreClusterWideOrPerAppAndANodesLogsClusterWide() {
    assertThat(RouteRules.of("GET", "/system/v1/exec/tasks/prod_web.1", "")).isEqualTo(new Requirement.PerTask(
        new Requirement.Needed("corral:task:exec", "create"), "corral:task:exec"));
    Requirement logs = new Requirement.PerTask(new Requirement.Needed("corral:logs", "read"), "corral:task:logs");
    assertThat(RouteRules.of("GET", "/system/v1/logs/tasks/prod_web.1/stdout", "")).isEqualTo(logs);
    assertThat(RouteRules.of("GET", "/system/v1/files/tasks/prod_web.1/browse", "")).isEqualTo(logs);
    assertThat(RouteRules.of("HEAD", "/system/v1/files/tasks/prod_web.1/download", "")).isEqualTo(logs);
    assertThat(needed("POST", "/system/v1/logs/tasks/prod_web.1/stdout", "")).isEqualTo(
        new Requirement.Needed("corral:superuser", "full"));
    assertThat(needed("GET", "/system/v1/logs/v1/range/", "")).isEqualTo(new Requirement.Needed("corral:logs", "read"));
    assertThat(needed("GET", "/logs/v1/agent", "")).isEqualTo(new Requirement.Needed("corral:logs", "read"));
    assertThat(needed("GET", "/system/v1/exec/something", "")).isEqualTo(new Requirement.Needed("corral:task:exec", "create"));
  }

  @Test
  void theLoginAndTheUiArePublicAndUnknownRoutesNeedASuperuser() {
    assertThat(RouteRules.of("POST", "/acs/api/v1/auth/login", "")).isInstanceOf(Requirement.Public.class);
    assertThat(RouteRules.of("GET", "/ui/js/main.js", "")).isInstanceOf(Requirement.Public.class);
    assertThat(RouteRules.of("GET", "/v2/info", "")).isInstanceOf(Requirement.Authenticated.class);
    assertThat(needed("GET", "/v3/something-new", "")).isEqualTo(new Requirement.Needed("corral:superuser", "full"));
    assertThat(needed("DELETE", "/v2/leader", "")).isEqualTo(new Requirement.Needed("corral:superuser", "full"));
  }
}
