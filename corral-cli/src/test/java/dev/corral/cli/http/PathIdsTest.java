package dev.corral.cli.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Pod, group and deployment ids: what they accept and the paths they make. */
class PathIdsTest {

  @Test
  void podIdsAreAddressedUnderPodsWithTheStatusSuffix() {
    PodId id = PodId.parse("prod/cache/");

    assertThat(id.apiPath()).isEqualTo("/v2/pods/prod/cache");
    assertThat(id.statusPath()).isEqualTo("/v2/pods/prod/cache::status");
    assertThat(id).hasToString("/prod/cache");
  }

  @Test
  void groupIdsIncludeTheRoot() {
    assertThat(GroupId.parse("/").isRoot()).isTrue();
    assertThat(GroupId.parse(" / ").apiPath()).isEqualTo("/v2/groups");
    assertThat(GroupId.parse("tools/docker").apiPath()).isEqualTo("/v2/groups/tools/docker");
  }

  @Test
  void deploymentIdsAreOneSegment() {
    assertThat(DeploymentId.parse("97c136bf-5a28-4821-9d94-480d9fbb01c8").apiPath())
        .isEqualTo("/v2/deployments/97c136bf-5a28-4821-9d94-480d9fbb01c8");
  }

  @Test
  void idsThatWouldChangeTheShapeOfTheUrlAreRejected() {
    for (String bad : new String[] {"", "a b", "a?b", "a//b", "../v2/apps", "a/./b"}) {
      assertThatThrownBy(() -> PodId.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> GroupId.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    for (String bad : new String[] {"", "a/b", "..", "a?force=true", "a b"}) {
      assertThatThrownBy(() -> DeploymentId.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
