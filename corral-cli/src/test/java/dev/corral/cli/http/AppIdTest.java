package dev.corral.cli.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AppIdTest {

  @Test
  void theLeadingSlashIsOptional() {
    assertThat(AppId.parse("sleep")).isEqualTo(AppId.parse("/sleep"));
    assertThat(AppId.parse("group/app").path()).isEqualTo("/group/app");
    assertThat(AppId.parse(" /group/app/ ").path()).isEqualTo("/group/app");
  }

  @Test
  void slashesStayPathSeparatorsInTheApiPath() {
    AppId id = AppId.parse("prod/web/nginx");

    assertThat(id.apiPath()).isEqualTo("/v2/apps/prod/web/nginx");
    assertThat(id.tasksPath()).isEqualTo("/v2/apps/prod/web/nginx/tasks");
    assertThat(id).hasToString("/prod/web/nginx");
  }

  @Test
  void idsThatWouldChangeTheShapeOfTheUrlAreRejected() {
    for (String bad : new String[] {"", "/", "a b", "a?b", "a#b", "a%2Fb", "a//b", "../v2/tasks", "a/./b"}) {
      assertThatThrownBy(() -> AppId.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
