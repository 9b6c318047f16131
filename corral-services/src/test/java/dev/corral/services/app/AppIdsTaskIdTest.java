package dev.corral.services.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class AppIdsTaskIdTest {
  private static final String U = UUID.randomUUID().toString();

  @Test
  void theAppOrPodIdIsReadBackFromTheTaskIdsThisSchedulerMakes() {
    assertThat(AppIds.ofTaskId(AppIds.taskPrefix("/prod/web") + "." + U)).contains("/prod/web");
    assertThat(AppIds.ofTaskId("web." + U)).contains("/web");
    // a pod container's task: <instance task id>.<container name>
    assertThat(AppIds.ofTaskId("prod_db." + U + ".sidecar")).contains("/prod/db");
    // dots inside a segment come before the uuid
    assertThat(AppIds.ofTaskId("prod_web.v2." + U)).contains("/prod/web.v2");
    assertThat(AppIds.ofTaskId("prod_web.v2." + U + ".main")).contains("/prod/web.v2");
  }

  @Test
  void idsOfAnotherFormResolveToNothing() {
    assertThat(AppIds.ofTaskId("nightly_20260101120000abcd.1")).as("a job run's task").isEmpty();
    assertThat(AppIds.ofTaskId("kafka-broker-0__" + U)).isEmpty();
    assertThat(AppIds.ofTaskId(U)).isEmpty();
    assertThat(AppIds.ofTaskId("a." + U + ".b.c")).as("the uuid is last or next to last").isEmpty();
    assertThat(AppIds.ofTaskId("prod_.._b." + U)).as("no climbing").isEmpty();
    assertThat(AppIds.ofTaskId("_prod." + U)).isEmpty();
    assertThat(AppIds.ofTaskId("Prod_Web." + U)).isEmpty();
    assertThat(AppIds.ofTaskId(null)).isEmpty();
  }
}
