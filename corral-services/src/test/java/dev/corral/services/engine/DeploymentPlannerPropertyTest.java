package dev.corral.services.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corral.common.Json;
import dev.corral.services.app.AppDefinition;
import dev.corral.services.app.AppNormalizer;
import dev.corral.services.engine.Deployment.AppAction;
import dev.corral.services.engine.Deployment.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The planner's order over random dependency graphs: dependencies first, every app once, cycles refused. */
class DeploymentPlannerPropertyTest {

  @Property(tries = 300)
  void everyAppComesAfterWhatItDependsOn(@ForAll @IntRange(min = 1, max = 30) int count, @ForAll long seed) {
    Random random = new Random(seed);
    Map<String, List<String>> deps = new HashMap<>();
    Map<String, AppDefinition> before = new LinkedHashMap<>();
    Map<String, AppDefinition> after = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String id = "/app-" + i;
      List<String> d = new ArrayList<>();
      for (int j = 0; j < i; j++) {
        if (random.nextInt(4) == 0) {
          d.add("/app-" + j);    // only on earlier apps: a DAG
        }
      }
      deps.put(id, d);
      int kind = random.nextInt(3);
      before.put(id, kind == 0 ? null : app(id, "v1", 1));
      after.put(id, kind == 2 ? app(id, "v2", 1) : app(id, "v1", 2));
    }
    List<Step> steps = DeploymentPlanner.steps(before, after, deps::get);
    Map<String, Integer> stepOf = new HashMap<>();
    for (int s = 0; s < steps.size(); s++) {
      for (AppAction a : steps.get(s).actions()) {
        if (a.action() != Deployment.Action.StartApplication) {
          assertThat(stepOf.put(a.appId(), s)).as("one releasing action per app").isNull();
        }
      }
    }
    assertThat(stepOf.keySet()).containsExactlyInAnyOrderElementsOf(after.keySet());
    deps.forEach((id, d) -> d.forEach(dep ->
        assertThat(stepOf.get(id)).as(id + " after " + dep).isGreaterThan(stepOf.get(dep))));
  }

  @Property(tries = 100)
  void aCycleIsRefused(@ForAll @IntRange(min = 2, max = 10) int length) {
    Map<String, AppDefinition> after = new LinkedHashMap<>();
    Map<String, List<String>> deps = new HashMap<>();
    for (int i = 0; i < length; i++) {
      after.put("/c-" + i, app("/c-" + i, "v1", 1));
      deps.put("/c-" + i, List.of("/c-" + ((i + 1) % length)));
    }
    Map<String, AppDefinition> before = new LinkedHashMap<>();
    after.keySet().forEach(id -> before.put(id, null));
    assertThatThrownBy(() -> DeploymentPlanner.steps(before, after, deps::get))
        .isInstanceOf(DeploymentPlanner.CycleException.class).hasMessageContaining("/c-0");
  }

  private static AppDefinition app(String id, String config, int instances) {
    ObjectNode json = Json.mapper().createObjectNode().put("id", id).put("cmd", config).put("instances", instances);
    return AppDefinition.of(AppNormalizer.stamp(json, config, config, config));
  }
}
