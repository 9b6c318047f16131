package dev.corral.master;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.master.DrfPlanner.Candidate;
import dev.corral.master.DrfPlanner.Contender;
import dev.corral.master.DrfPlanner.Grant;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The allocation policy as a pure function. */
class DrfPlannerTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final Scalars TOTAL = new Scalars(100, 100_000, 0, 0);

  private static Contender fw(String name, String role, Scalars allocation) {
    return new Contender(name + "-id", name, role, false, allocation, Map.of());
  }

  @Test
  void theDominantShareDecidesNotTheRawAmount() {
    // alpha: 10% of cpus; beta: 30% of mem (dominant) but no cpus at all.
    Contender alpha = fw("alpha", "*", new Scalars(10, 0, 0, 0));
    Contender beta = fw("beta", "*", new Scalars(0, 30_000, 0, 0));
    List<Grant> grants = DrfPlanner.plan(
        List.of(new Candidate("a1", TestResources.parse("cpus:4;mem:4096"), false)), List.of(beta, alpha), TOTAL, NOW);
    assertThat(grants).extracting(Grant::frameworkId).containsExactly("alpha-id");
  }

  @Test
  void sharesGrowWithinAPass() {
    Contender alpha = fw("alpha", "*", Scalars.ZERO);
    Contender beta = fw("beta", "*", Scalars.ZERO);
    List<Candidate> agents = List.of(
        new Candidate("a1", TestResources.parse("cpus:10;mem:1000"), false),
        new Candidate("a2", TestResources.parse("cpus:10;mem:1000"), false),
        new Candidate("a3", TestResources.parse("cpus:10;mem:1000"), false));
    List<Grant> grants = DrfPlanner.plan(agents, List.of(alpha, beta), TOTAL, NOW);
    assertThat(grants).extracting(Grant::frameworkId).containsExactly("alpha-id", "beta-id", "alpha-id");
  }

  @Test
  void aFilterHidesOnlyWhatWasRefused() {
    Filter filter = new Filter(TestResources.parse("cpus:2;mem:512"), NOW.plus(Duration.ofSeconds(5)));
    Contender alpha = new Contender("alpha-id", "alpha", "*", false, Scalars.ZERO, Map.of("a1", filter));
    List<Grant> same = DrfPlanner.plan(
        List.of(new Candidate("a1", TestResources.parse("cpus:2;mem:512"), false)), List.of(alpha), TOTAL, NOW);
    assertThat(same).isEmpty();
    List<Grant> more = DrfPlanner.plan(
        List.of(new Candidate("a1", TestResources.parse("cpus:3;mem:512"), false)), List.of(alpha), TOTAL, NOW);
    assertThat(more).hasSize(1);
    List<Grant> expired = DrfPlanner.plan(List.of(new Candidate("a1", TestResources.parse("cpus:2;mem:512"), false)),
        List.of(alpha), TOTAL, NOW.plus(Duration.ofSeconds(5)));
    assertThat(expired).hasSize(1);
  }

  @Test
  void equalSharesGoByNameThenIdWhateverTheOrderGiven() {
    Contender zed = new Contender("z-id", "zed", "*", false, Scalars.ZERO, Map.of());
    Contender alphaTwo = new Contender("b-id", "alpha", "*", false, Scalars.ZERO, Map.of());
    Contender alphaOne = new Contender("a-id", "alpha", "*", false, Scalars.ZERO, Map.of());
    List<Candidate> agents = List.of(
        new Candidate("a1", TestResources.parse("cpus:10;mem:1000"), false),
        new Candidate("a2", TestResources.parse("cpus:10;mem:1000"), false),
        new Candidate("a3", TestResources.parse("cpus:10;mem:1000"), false));
    List<Grant> grants = DrfPlanner.plan(agents, List.of(zed, alphaTwo, alphaOne), TOTAL, NOW);
    assertThat(grants).extracting(Grant::frameworkId).containsExactly("a-id", "b-id", "z-id");
  }
}
