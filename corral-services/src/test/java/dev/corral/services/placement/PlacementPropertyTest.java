package dev.corral.services.placement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.api.v1.Attribute;
import dev.corral.api.v1.Offer;
import dev.corral.api.v1.Range;
import dev.corral.api.v1.Resource;
import dev.corral.common.Json;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.Constraint;
import dev.corral.services.instance.Instance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Placing an app's instances offer by offer, on random agents under random constraint sets: every decision of
 * {@link OfferMatcher} equals that of a naive reading of Marathon's rules (so it places an instance whenever
 * one fits, and never one that does not), the result never breaks UNIQUE, MAX_PER, CLUSTER, LIKE, UNLIKE or
 * IS, and GROUP_BY with its group count keeps the groups within one instance of each other.
 */
class PlacementPropertyTest {
  private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");
  private static final List<String> FIELDS = List.of("hostname", "rack", "zone");
  private static final Map<String, List<String>> VALUES = Map.of(
      "hostname", List.of("h0", "h1", "h2", "h3", "h4", "h5"),
      "rack", List.of("r1", "r2", "r3"),
      "zone", List.of("z1", "z2"));
  private static final Map<String, List<String>> PATTERNS = Map.of(
      "hostname", List.of("h[0-2]", "h.*", "h1", "x"),
      "rack", List.of("r[12]", "r3", ".*", "r"),
      "zone", List.of("z1", "z.*", "z"));

  /** An agent; rack or zone null when it lacks the attribute. Its resources are what it has in all. */
  record Agent(String host, String rack, String zone, double cpus, double mem, int ports) {
    Map<String, String> values() {
      Map<String, String> v = new HashMap<>();
      v.put(Constraint.HOSTNAME, host);
      if (rack != null) {
        v.put("rack", rack);
      }
      if (zone != null) {
        v.put("zone", zone);
      }
      return v;
    }
  }

  /**
   * @param offers agent indexes in the order their offers arrive (each offers what its earlier tasks left)
   * @param oneRound whether all offers form one round (one demand carried along) or each is a round of its own
   *     (a new demand seeded with the placed instances, as the scheduler builds it)
   */
  record Scenario(List<Agent> agents, List<List<String>> constraints, double cpus, double mem, int ports,
      int instances, List<Integer> offers, boolean oneRound) {}

  // ------------------------------------------------------------------ properties

  @Property(tries = 400)
  void everyDecisionIsMarathonsAndNoConstraintIsBroken(@ForAll("scenarios") Scenario s) {
    AppDefinition app = app(s);
    List<Agent> placedOn = new ArrayList<>();
    double[] usedCpus = new double[s.agents().size()];
    double[] usedMem = new double[s.agents().size()];
    int[] usedPorts = new int[s.agents().size()];
    List<Instance> waiting = instances(s.instances());
    OfferMatcher.Demand demand = null;
    for (int index : s.offers()) {
      if (placedOn.size() == s.instances()) {
        break;
      }
      Agent agent = s.agents().get(index);
      if (demand == null || !s.oneRound()) {
        demand = demand(s, app, waiting.subList(placedOn.size(), waiting.size()),
            ConstraintTracker.of(app.constraints(), placedOn.stream().map(Agent::values).toList()));
      }
      Offer offer = offer(agent, usedCpus[index], usedMem[index], usedPorts[index]);
      OfferMatcher.Result result = OfferMatcher.match(offer, List.of(demand), NOW, GpuSchedulingBehavior.RESTRICTED);

      OfferMatcher.Outcome outcome = result.outcomes().get(0);
      for (int i = 0; i < outcome.placed(); i++) {
        assertThat(expectedReasons(s, placedOn, agent, usedCpus[index], usedMem[index], usedPorts[index]))
            .as("instance %d placed on %s, which a naive check refuses", placedOn.size(), agent).isEmpty();
        placedOn.add(agent);
        usedCpus[index] += s.cpus();
        usedMem[index] += s.mem();
        usedPorts[index] += s.ports();
      }
      if (outcome.rejection() != null) {
        assertThat(outcome.rejection().reasons())
            .as("instance %d refused by %s", placedOn.size(), agent)
            .isEqualTo(expectedReasons(s, placedOn, agent, usedCpus[index], usedMem[index], usedPorts[index]))
            .isNotEmpty();
      } else {
        assertThat(placedOn).hasSize(s.instances());
      }
      assertThat(result.placements()).hasSize(outcome.placed())
          .allSatisfy(p -> assertThat(p.hostname()).isEqualTo(agent.host()));
    }
    assertNoConstraintBroken(s.constraints(), placedOn);
  }

  @Property(tries = 300)
  void groupByWithItsGroupCountSpreadsEvenly(@ForAll("groupByScenarios") Scenario s) {
    AppDefinition app = app(s);
    List<String> racks = s.agents().stream().map(Agent::rack).distinct().toList();
    List<Agent> placedOn = new ArrayList<>();
    List<Instance> waiting = instances(s.instances());
    // Every agent offers once per round, in a random order; a round places at least one instance (on a group
    // that is unseen or smallest), so as many rounds as instances are enough.
    for (int round = 0; round < s.instances() && placedOn.size() < s.instances(); round++) {
      List<Agent> order = new ArrayList<>(s.agents());
      Collections.shuffle(order, new java.util.Random(s.offers().get(round % s.offers().size()) + round));
      OfferMatcher.Demand demand = new OfferMatcher.Demand(app, waiting.subList(placedOn.size(), waiting.size()),
          ConstraintTracker.of(app.constraints(), placedOn.stream().map(Agent::values).toList()));
      for (Agent agent : order) {
        OfferMatcher.Result result = OfferMatcher.match(offer(agent, 0, 0, 0), List.of(demand), NOW,
            GpuSchedulingBehavior.RESTRICTED);
        for (int i = 0; i < result.placements().size(); i++) {
          placedOn.add(agent);
        }
        assertThat(spread(racks, placedOn)).as("largest minus smallest group").isLessThanOrEqualTo(1);
      }
    }
    assertThat(placedOn).as("enough offers place every instance").hasSize(s.instances());
  }

  // ------------------------------------------------------------------ the naive reading of Marathon's rules

  /** What a direct transcription of Marathon's checks says the next instance lacks on this agent. */
  private static List<RejectReason> expectedReasons(Scenario s, List<Agent> placedOn, Agent agent, double usedCpus,
      double usedMem, int usedPorts) {
    List<RejectReason> reasons = new ArrayList<>();
    List<Map<String, String>> placed = placedOn.stream().map(Agent::values).toList();
    for (List<String> c : s.constraints()) {
      if (!meets(c, placed, agent.values())) {
        reasons.add(RejectReason.UNFULFILLED_CONSTRAINT);
        break;
      }
    }
    if (agent.cpus() - usedCpus + 1e-9 < s.cpus()) {
      reasons.add(RejectReason.INSUFFICIENT_CPUS);
    }
    if (agent.mem() - usedMem + 1e-9 < s.mem()) {
      reasons.add(RejectReason.INSUFFICIENT_MEMORY);
    }
    if (s.ports() > 0 && agent.ports() - usedPorts < s.ports()) {
      reasons.add(RejectReason.INSUFFICIENT_PORTS);
    }
    return reasons;
  }

  /** Marathon's {@code Constraints.meetsConstraint}, read literally: O(placed) per check, no indexes. */
  private static boolean meets(List<String> c, List<Map<String, String>> placed, Map<String, String> offer) {
    String field = c.get(0);
    String value = c.size() > 2 ? c.get(2) : "";
    String offered = offer.get(field);
    if (offered == null) {
      return c.get(1).equals("UNLIKE");
    }
    switch (c.get(1)) {
      case "UNIQUE":
        return placed.stream().noneMatch(p -> offered.equals(p.get(field)));
      case "CLUSTER":
        return value.isEmpty() ? placed.isEmpty() || offered.equals(placed.get(0).get(field)) : offered.equals(value);
      case "GROUP_BY": {
        Map<String, Integer> groups = new HashMap<>();
        placed.forEach(p -> groups.merge(p.get(field), 1, Integer::sum));
        if (!groups.containsKey(offered)) {
          return true;
        }
        int minimum = Math.max(0, value.isEmpty() ? 0 : Integer.parseInt(value));
        return groups.size() >= minimum && groups.get(offered) == Collections.min(groups.values());
      }
      case "LIKE":
        return offered.matches(value);
      case "UNLIKE":
        return !offered.matches(value);
      case "MAX_PER":
        return placed.stream().filter(p -> offered.equals(p.get(field))).count() < Integer.parseInt(value);
      case "IS":
        return offered.equals(value);
      default:
        throw new IllegalArgumentException(c.get(1));
    }
  }

  /** The end state, checked operator by operator. */
  private static void assertNoConstraintBroken(List<List<String>> constraints, List<Agent> placedOn) {
    for (List<String> c : constraints) {
      String field = c.get(0);
      String value = c.size() > 2 ? c.get(2) : "";
      List<String> values = placedOn.stream().map(a -> a.values().get(field)).toList();
      switch (c.get(1)) {
        case "UNIQUE" -> assertThat(values).as("%s", c).doesNotContainNull().doesNotHaveDuplicates();
        case "MAX_PER" -> {
          Map<String, Integer> counts = new HashMap<>();
          values.forEach(v -> counts.merge(v, 1, Integer::sum));
          assertThat(counts.values()).as("%s", c).allMatch(n -> n <= Integer.parseInt(value));
        }
        case "CLUSTER" -> {
          assertThat(values).as("%s", c).doesNotContainNull();
          assertThat(values.stream().distinct().count()).as("%s", c).isLessThanOrEqualTo(1);
          if (!value.isEmpty()) {
            assertThat(values).as("%s", c).allMatch(value::equals);
          }
        }
        case "LIKE" -> assertThat(values).as("%s", c).allMatch(v -> v != null && v.matches(value));
        case "UNLIKE" -> assertThat(values).as("%s", c).allMatch(v -> v == null || !v.matches(value));
        case "IS" -> assertThat(values).as("%s", c).allMatch(value::equals);
        case "GROUP_BY" -> assertThat(values).as("%s", c).doesNotContainNull();
        default -> throw new IllegalArgumentException(c.get(1));
      }
    }
  }

  private static int spread(List<String> groups, List<Agent> placedOn) {
    Map<String, Integer> counts = new HashMap<>();
    groups.forEach(g -> counts.put(g, 0));
    placedOn.forEach(a -> counts.merge(a.rack(), 1, Integer::sum));
    return Collections.max(counts.values()) - Collections.min(counts.values());
  }

  // ------------------------------------------------------------------ building blocks

  private static AppDefinition app(Scenario s) {
    ObjectNode n = Json.mapper().createObjectNode().put("id", "/p").put("cmd", "x").put("cpus", s.cpus())
        .put("mem", s.mem()).put("instances", s.instances());
    ArrayNode ports = n.putArray("portDefinitions");
    for (int i = 0; i < s.ports(); i++) {
      ports.addObject().put("port", 0);
    }
    ArrayNode constraints = n.putArray("constraints");
    s.constraints().forEach(c -> {
      ArrayNode a = constraints.addArray();
      c.forEach(a::add);
    });
    AppDefinition app = AppDefinition.of(n);
    assertThat(app.constraints()).as("every generated constraint is valid").hasSize(s.constraints().size());
    return app;
  }

  /**
   * The demand for the waiting instances: holding all of them, or (in about half of the scenarios) a few at a
   * time, taking more as those are placed, as the scheduler's demand of a big app does.
   */
  private static OfferMatcher.Demand demand(Scenario s, AppDefinition app, List<Instance> waiting,
      ConstraintTracker tracker) {
    int batch = 1 + s.offers().get(0) % 3;
    if (s.offers().size() % 2 == 0 || waiting.size() <= batch) {
      return new OfferMatcher.Demand(app, waiting, tracker);
    }
    java.util.function.Function<java.util.Set<String>, List<Instance>> more = taken -> waiting.stream()
        .filter(i -> !taken.contains(i.id())).limit(batch).toList();
    return new OfferMatcher.Demand(app, more.apply(java.util.Set.of()), tracker, more);
  }

  private static List<Instance> instances(int n) {
    List<Instance> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Instance.scheduled("p.instance-" + i, "/p", "v1", NOW));
    }
    return out;
  }

  /** What the agent has left after the tasks placed on it (ports used from the bottom of its range). */
  private static Offer offer(Agent a, double usedCpus, double usedMem, int usedPorts) {
    Offer.Builder b = Offer.newBuilder().setOfferId("o").setAgentId("agent-" + a.host()).setHostname(a.host())
        .addResources(Resource.newBuilder().setName("cpus").setRole("*").setScalar(a.cpus() - usedCpus))
        .addResources(Resource.newBuilder().setName("mem").setRole("*").setScalar(a.mem() - usedMem));
    if (a.ports() > usedPorts) {
      b.addResources(Resource.newBuilder().setName("ports").setRole("*")
          .addRanges(Range.newBuilder().setBegin(31000 + usedPorts).setEnd(31000 + a.ports() - 1)));
    }
    if (a.rack() != null) {
      b.addAttributes(Attribute.newBuilder().setName("rack").setText(a.rack()));
    }
    if (a.zone() != null) {
      b.addAttributes(Attribute.newBuilder().setName("zone").setText(a.zone()));
    }
    return b.build();
  }

  // ------------------------------------------------------------------ generators

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<List<Agent>> agents = agent().list().ofMinSize(1).ofMaxSize(6).map(PlacementPropertyTest::numbered);
    Arbitrary<List<List<String>>> constraints = constraint().list().ofMaxSize(3);
    Arbitrary<Double> cpus = Arbitraries.of(0.25, 0.5, 1.0, 2.0);
    Arbitrary<Double> mem = Arbitraries.of(16.0, 128.0, 512.0);
    Arbitrary<Integer> ports = Arbitraries.integers().between(0, 2);
    Arbitrary<Integer> instances = Arbitraries.integers().between(1, 10);
    Arbitrary<List<Integer>> offers = Arbitraries.integers().between(0, 5).list().ofMinSize(1).ofMaxSize(30);
    Arbitrary<Boolean> oneRound = Arbitraries.of(true, false);
    return Combinators.combine(agents, constraints, cpus, mem, ports, instances, offers, oneRound)
        .as((a, c, cp, m, p, n, o, one) -> new Scenario(a, c, cp, m, p, n,
            o.stream().map(i -> i % a.size()).toList(), one));
  }

  @Provide
  Arbitrary<Scenario> groupByScenarios() {
    Arbitrary<List<Agent>> agents = Arbitraries.of("r1", "r2", "r3", "r4").list().ofMinSize(2).ofMaxSize(8)
        .map(racks -> {
          List<Agent> out = new ArrayList<>();
          for (int i = 0; i < racks.size(); i++) {
            out.add(new Agent("h" + i, racks.get(i), null, 64, 65536, 1000));
          }
          return out;
        });
    Arbitrary<Integer> instances = Arbitraries.integers().between(1, 20);
    Arbitrary<List<Integer>> seeds = Arbitraries.integers().list().ofMinSize(1).ofMaxSize(5);
    return Combinators.combine(agents, instances, seeds).as((a, n, seeds1) -> {
      long groups = a.stream().map(Agent::rack).distinct().count();
      return new Scenario(a, List.of(List.of("rack", "GROUP_BY", String.valueOf(groups))), 0.5, 16, 0, n,
          seeds1, false);
    });
  }

  private static Arbitrary<Agent> agent() {
    Arbitrary<String> rack = Arbitraries.of("r1", "r2", "r3").injectNull(0.2);
    Arbitrary<String> zone = Arbitraries.of("z1", "z2").injectNull(0.2);
    Arbitrary<Double> cpus = Arbitraries.of(0.5, 1.0, 2.0, 4.0, 8.0);
    Arbitrary<Double> mem = Arbitraries.of(64.0, 512.0, 4096.0);
    Arbitrary<Integer> ports = Arbitraries.integers().between(0, 6);
    return Combinators.combine(rack, zone, cpus, mem, ports).as((r, z, c, m, p) -> new Agent("", r, z, c, m, p));
  }

  /** Host names h0, h1, … in list order, so that hostname constraints have values to bite on. */
  private static List<Agent> numbered(List<Agent> agents) {
    List<Agent> out = new ArrayList<>();
    for (int i = 0; i < agents.size(); i++) {
      Agent a = agents.get(i);
      out.add(new Agent("h" + i, a.rack(), a.zone(), a.cpus(), a.mem(), a.ports()));
    }
    return out;
  }

  private static Arbitrary<List<String>> constraint() {
    return Arbitraries.of(FIELDS).flatMap(field -> Arbitraries.of(Constraint.Operator.values()).flatMap(op -> {
      List<String> values = VALUES.get(field);
      return switch (op) {
        case UNIQUE -> Arbitraries.just(List.of(field, "UNIQUE"));
        case CLUSTER -> Arbitraries.of(values).injectNull(0.5)
            .map(v -> v == null ? List.of(field, "CLUSTER") : List.of(field, "CLUSTER", v));
        case GROUP_BY -> Arbitraries.integers().between(0, 3)
            .map(n -> n == 0 ? List.of(field, "GROUP_BY") : List.of(field, "GROUP_BY", String.valueOf(n)));
        case LIKE, UNLIKE -> Arbitraries.of(PATTERNS.get(field)).map(p -> List.of(field, op.name(), p));
        case MAX_PER -> Arbitraries.integers().between(1, 3).map(n -> List.of(field, "MAX_PER", String.valueOf(n)));
        case IS -> Arbitraries.of(values).map(v -> List.of(field, "IS", v));
      };
    })).filter(Objects::nonNull);
  }
}
