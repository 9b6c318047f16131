package dev.corral.services;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.TaskInfo;
import org.junit.jupiter.api.Test;

/** Constraints through the whole scheduler; each operator's rules are covered by ConstraintTrackerTest. */
class ConstraintsTest {

  @Test
  void uniqueHostnameSpreadsOverTwoHostsAndLeavesTheRestWaiting() {
    Harness h = Harness.running();
    h.create("""
        {"id": "/spread", "cmd": "x", "cpus": 0.1, "mem": 16, "instances": 3,
         "constraints": [["hostname", "UNIQUE"]]}""");
    h.offers(Offers.big("o1", "host-a"), Offers.big("o2", "host-b"));

    assertThat(h.driver.launches()).hasSize(2).allSatisfy(l -> assertThat(l.tasks()).hasSize(1));
    assertThat(h.driver.launchedTasks()).extracting(t -> t.getCommand().getEnvironmentMap().get("HOST"))
        .containsExactlyInAnyOrder("host-a", "host-b");
    assertThat(h.view().waiting("/spread")).hasSize(1);
    assertThat(h.view().waitingReason("/spread")).contains("[hostname, UNIQUE]");

    h.offers(Offers.big("o3", "host-a"));
    assertThat(h.driver.launches()).hasSize(2);
    h.offers(Offers.big("o4", "host-c"));
    assertThat(h.driver.launches()).hasSize(3);
  }

  @Test
  void attributesConstrainPlacement() {
    Harness h = Harness.running();
    h.create("""
        {"id": "/rack1", "cmd": "x", "cpus": 0.1, "mem": 16, "instances": 2,
         "constraints": [["rack", "IS", "r1"], ["hostname", "MAX_PER", "1"]]}""");
    h.create("""
        {"id": "/notdb", "cmd": "x", "cpus": 0.1, "mem": 16, "instances": 1,
         "constraints": [["hostname", "UNLIKE", "db-.*"], ["zone", "LIKE", "eu-.*"]]}""");
    h.offers(Offers.offer("o1", "db-1").cpus(4).mem(1024).ports(31000, 31100).attribute("rack", "r1")
            .attribute("zone", "eu-1").build(),
        Offers.offer("o2", "web-1").cpus(4).mem(1024).ports(31000, 31100).attribute("rack", "r2")
            .attribute("zone", "eu-1").build());

    assertThat(h.driver.launchedTasks()).extracting(TaskInfo::getName, t -> t.getCommand().getEnvironmentMap().get("HOST"))
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("/rack1", "db-1"),
            org.assertj.core.groups.Tuple.tuple("/notdb", "web-1"));
    assertThat(h.view().waiting("/rack1")).hasSize(1);
  }
}
