package dev.corral.master;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.master.DrfPlanner.Candidate;
import dev.corral.master.DrfPlanner.Contender;
import dev.corral.master.DrfPlanner.Grant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The allocator's role policy: limits are never passed, weights skew shares, guarantees go first. */
class QuotaPropertyTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static Contender fw(String name, String role) {
    return new Contender(name + "-id", name, role, false, Scalars.ZERO, Map.of());
  }

  private static List<Candidate> agents(int n, int cpus, int mem) {
    List<Candidate> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Candidate(String.format("a%03d", i), TestResources.parse("cpus:" + cpus + ";mem:" + mem), false));
    }
    return out;
  }

  @Property(tries = 200)
  void aRoleNeverGetsPastItsLimit(@ForAll @IntRange(min = 1, max = 40) int agentCount,
      @ForAll @IntRange(min = 1, max = 16) int cpusPerAgent, @ForAll @IntRange(min = 0, max = 60) int cpuLimit,
      @ForAll @IntRange(min = 0, max = 10) int alreadyHeld, @ForAll @IntRange(min = 1, max = 4) int frameworksInRole) {
    List<Contender> frameworks = new ArrayList<>();
    for (int f = 0; f < frameworksInRole; f++) {
      frameworks.add(fw("capped-" + f, "capped"));
    }
    frameworks.add(fw("free", "free"));
    Scalars held = new Scalars(Math.min(alreadyHeld, cpuLimit), 0, 0, 0);
    RolePolicy roles = new RolePolicy(Map.of(), Map.of(), Map.of("capped", new Scalars(cpuLimit, Double.NaN,
        Double.NaN, Double.NaN)), Map.of("capped", held));
    List<Candidate> agents = agents(agentCount, cpusPerAgent, 1024);
    Scalars total = new Scalars(agentCount * cpusPerAgent, agentCount * 1024, 0, 0);
    List<Grant> grants = DrfPlanner.plan(agents, frameworks, total, NOW, roles);

    double capped = held.cpus();
    double offeredCpus = 0;
    for (Grant g : grants) {
      offeredCpus += g.resources().scalar("cpus");
      if (g.frameworkId().startsWith("capped")) {
        capped += g.resources().scalar("cpus");
      }
    }
    assertThat(capped).isLessThanOrEqualTo(cpuLimit + 1e-9);
    // Nothing is held back for nobody: the uncapped role takes what the capped one may not.
    assertThat(offeredCpus).isEqualTo((double) agentCount * cpusPerAgent);
  }

  @Property(tries = 100)
  void weightsSkewTheSplitOfIdenticalAgents(@ForAll @IntRange(min = 1, max = 4) int weight,
      @ForAll @IntRange(min = 10, max = 60) int agentCount) {
    RolePolicy roles = new RolePolicy(Map.of("heavy", (double) weight), Map.of(), Map.of(), Map.of());
    List<Grant> grants = DrfPlanner.plan(agents(agentCount, 4, 4096), List.of(fw("heavy", "heavy"),
        fw("light", "light")), new Scalars(agentCount * 4, agentCount * 4096, 0, 0), NOW, roles);
    Map<String, Integer> count = new HashMap<>();
    grants.forEach(g -> count.merge(g.frameworkId(), 1, Integer::sum));
    int heavy = count.getOrDefault("heavy-id", 0);
    int light = count.getOrDefault("light-id", 0);
    assertThat(heavy + light).isEqualTo(agentCount);
    // heavy's share / weight tracks light's share: heavy ≈ weight × light, within one agent.
    assertThat(Math.abs(heavy - weight * light)).isLessThanOrEqualTo(weight + 1);
  }

  @Test
  void aRoleBelowItsGuaranteeGoesFirstEvenWithTheLargerShare() {
    Contender rich = new Contender("rich-id", "rich", "ads", false, new Scalars(50, 0, 0, 0), Map.of());
    Contender poor = fw("poor", "web");
    RolePolicy roles = new RolePolicy(Map.of(), Map.of("ads", new Scalars(60, 0, 0, 0)), Map.of(),
        Map.of("ads", new Scalars(50, 0, 0, 0)));
    List<Grant> grants = DrfPlanner.plan(agents(4, 4, 1024), List.of(poor, rich), new Scalars(100, 4096, 0, 0), NOW,
        roles);
    // ads needs 10 more cpus: the first three agents (12 cpus) go to it, then DRF gives web the last one.
    assertThat(grants).extracting(Grant::frameworkId).containsExactly("rich-id", "rich-id", "rich-id", "poor-id");
  }

  @Test
  void reservedResourcesStillReachTheirRole() {
    Candidate agent = new Candidate("a1", TestResources.parse("cpus:4;cpus(ads):2;mem:1024"), false);
    // alpha comes first (by name) and takes the unreserved part; what is reserved for ads goes on to it.
    List<Grant> grants = DrfPlanner.plan(List.of(agent), List.of(fw("zeta", "ads"), fw("alpha", "*")),
        new Scalars(6, 1024, 0, 0), NOW);
    assertThat(grants).extracting(Grant::frameworkId).containsExactly("alpha-id", "zeta-id");
    assertThat(grants.get(0).resources().scalar("cpus", "ads")).isZero();
    assertThat(grants.get(1).resources().scalar("cpus", "ads")).isEqualTo(2);
  }
}
