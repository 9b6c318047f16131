package dev.corral.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocationsTest {
  private static final String P = "/service/flink";
  private static final String T = "10.0.0.5:31000";

  @Test
  void keepsRedirectsUnderThePrefix() {
    assertThat(Locations.rewrite("/login?next=/x", P, T)).isEqualTo("/service/flink/login?next=/x");
    assertThat(Locations.rewrite("http://10.0.0.5:31000/overview#jobs", P, T)).isEqualTo("/service/flink/overview#jobs");
    assertThat(Locations.rewrite("http://10.0.0.5:31000", P, T)).isEqualTo("/service/flink/");
    assertThat(Locations.rewrite("//10.0.0.5:31000/a", P, T)).isEqualTo("/service/flink/a");
  }

  @Test
  void leavesRelativeAlreadyPrefixedAndForeignLocationsAlone() {
    assertThat(Locations.rewrite("login", P, T)).isEqualTo("login");
    assertThat(Locations.rewrite("../up", P, T)).isEqualTo("../up");
    assertThat(Locations.rewrite("/service/flink/x", P, T)).isEqualTo("/service/flink/x");
    assertThat(Locations.rewrite("https://accounts.example.com/", P, T)).isEqualTo("https://accounts.example.com/");
  }
}
