package dev.corral.services;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which apps a GET under /v2/apps/ reads, so that a narrow view can serve it. */
class AppsConcernedTest {
  @Test
  void anAppItsTasksItsVersionsAndOneVersion() {
    assertThat(MarathonApi.appsConcerned("prod/web")).containsExactly("/prod/web");
    assertThat(MarathonApi.appsConcerned("prod/web/tasks")).containsExactly("/prod/web/tasks", "/prod/web");
    assertThat(MarathonApi.appsConcerned("prod/web/versions")).containsExactly("/prod/web/versions", "/prod/web");
    // a version's colons make no app id
    assertThat(MarathonApi.appsConcerned("prod/web/versions/2026-11-25T00:00:00.000Z")).containsExactly("/prod/web");
  }

  @Test
  void listingsNeedEveryAppAndBadIdsNone() {
    assertThat(MarathonApi.appsConcerned("*")).isNull();
    assertThat(MarathonApi.appsConcerned("prod/*")).isNull();
    assertThat(MarathonApi.appsConcerned("a//b")).isEmpty();
  }
}
