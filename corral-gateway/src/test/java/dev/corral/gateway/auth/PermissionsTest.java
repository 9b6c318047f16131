package dev.corral.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PermissionsTest {
  @Test
  void aTrailingStarCoversEverythingBelowAndTheGroupItself() {
    String p = "corral:service:marathon:/prod/*";
    assertThat(Permissions.covers(p, "corral:service:marathon:/prod/web")).isTrue();
    assertThat(Permissions.covers(p, "corral:service:marathon:/prod/a/b/c")).isTrue();
    assertThat(Permissions.covers(p, "corral:service:marathon:/prod")).isTrue();
    assertThat(Permissions.covers(p, "corral:service:marathon:/production")).isFalse();
    assertThat(Permissions.covers(p, "corral:service:marathon:/dev/web")).isFalse();
    assertThat(Permissions.covers(p, "corral:service:marathon:/")).isFalse();
  }

  @Test
  void aPlainPrefixCoversOnlyAtABoundary() {
    assertThat(Permissions.covers("corral:service:marathon:/prod", "corral:service:marathon:/prod/web")).isTrue();
    assertThat(Permissions.covers("corral:service:marathon:/prod", "corral:service:marathon:/prodx")).isFalse();
    assertThat(Permissions.covers("corral:service:marathon", "corral:service:marathon:/any/app")).isTrue();
    assertThat(Permissions.covers("corral:jobs", "corral:jobsx:a")).isFalse();
    assertThat(Permissions.covers("corral:task:exec", "corral:task:exec")).isTrue();
  }

  @Test
  void starsMatchInTheMiddleToo() {
    assertThat(Permissions.covers("corral:service:marathon:/*/web", "corral:service:marathon:/prod/web")).isTrue();
    assertThat(Permissions.covers("corral:service:marathon:/*/web", "corral:service:marathon:/prod/db")).isFalse();
    assertThat(Permissions.covers("corral:*", "corral:task:exec")).isTrue();
    assertThat(Permissions.covers("corral:jobs:nightly-*", "corral:jobs:nightly-report")).isTrue();
    assertThat(Permissions.covers("corral:jobs:nightly-*", "corral:jobs:daily")).isFalse();
  }

  @Test
  void somethingUnderAPrefixIsFoundForListings() {
    assertThat(Permissions.coversSomethingUnder("corral:service:marathon:/dev/*", Permissions.MARATHON)).isTrue();
    assertThat(Permissions.coversSomethingUnder("corral:*", Permissions.MARATHON)).isTrue();
    assertThat(Permissions.coversSomethingUnder("corral:task:exec", Permissions.MARATHON)).isFalse();
  }

  @Test
  void fullGrantsEveryAction() {
    assertThat(Permissions.allowsAction(Set.of("full"), "delete")).isTrue();
    assertThat(Permissions.allowsAction(Set.of("read"), "read")).isTrue();
    assertThat(Permissions.allowsAction(Set.of("read"), "create")).isFalse();
  }

  @Test
  void resourcesAndActionsAreValidated() {
    assertThat(Permissions.validateAction("READ")).isEqualTo("read");
    assertThatThrownBy(() -> Permissions.validateAction("write")).hasMessageContaining("read, create");
    assertThatThrownBy(() -> Permissions.validateResource("dcos:x")).hasMessageContaining("corral:");
    assertThatThrownBy(() -> Permissions.validateResource("corral:a b")).hasMessageContaining("whitespace");
  }

  @Test
  void marathonIdsBecomeResources() {
    assertThat(Permissions.marathon("/prod/web")).isEqualTo("corral:service:marathon:/prod/web");
    assertThat(Permissions.marathon("prod")).isEqualTo("corral:service:marathon:/prod");
    assertThat(Permissions.marathon("")).isEqualTo("corral:service:marathon:/");
  }
}
