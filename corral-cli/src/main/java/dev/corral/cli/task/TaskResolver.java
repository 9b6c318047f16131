package dev.corral.cli.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.cli.http.ApiClient;
import dev.corral.cli.http.ApiException;
import dev.corral.cli.output.HintedException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns what a user types after {@code corral task log|ls|cat} into one task id: a task id, a unique prefix
 * of one, or an app id (with or without the leading slash, or a unique prefix of one). For an app with
 * several tasks the most recently started running one is taken, and a note says so. A word that matches no
 * running task is used as a task id as it is: finished tasks are no longer listed, yet their sandboxes can
 * still be read. A caller who may not list tasks (a grant on some apps' task logs or exec only) gives the
 * task id itself.
 */
final class TaskResolver {
  private TaskResolver() {}

  /** @param note receives the line explaining a choice among several tasks (for stderr) */
  static String resolve(ApiClient api, String word, Consumer<String> note) {
    List<JsonNode> tasks = new ArrayList<>();
    try {
      api.get("/v2/tasks").json().path("tasks").forEach(tasks::add);
    } catch (ApiException e) {
      if (e.status() != 403) {
        throw e;
      }
      // may use some apps' tasks (corral:task:logs:/ID) without reading the task list: the word is the id
      return word;
    }
    for (JsonNode t : tasks) {
      if (t.path("id").asText().equals(word)) {
        return word;
      }
    }
    List<JsonNode> byPrefix = tasks.stream().filter(t -> t.path("id").asText().startsWith(word)).toList();
    if (byPrefix.size() == 1) {
      return byPrefix.get(0).path("id").asText();
    }
    String appWord = word.startsWith("/") ? word : "/" + word;
    Set<String> apps = new LinkedHashSet<>();
    for (JsonNode t : tasks) {
      String app = t.path("appId").asText();
      if (app.equals(appWord)) {
        apps.clear();
        apps.add(app);
        break;
      }
      if (app.startsWith(appWord)) {
        apps.add(app);
      }
    }
    if (apps.size() > 1) {
      throw new HintedException("'" + word + "' matches several apps: " + String.join(", ", apps),
          List.of("name one app fully, or give a task id (corral task list)"));
    }
    if (apps.isEmpty()) {
      if (byPrefix.size() > 1) {
        throw new HintedException("'" + word + "' is the start of " + byPrefix.size() + " task ids",
            List.of("give more of the id (corral task list)"));
      }
      return word; // perhaps a finished task: the gateway says whether its sandbox is known
    }
    String app = apps.iterator().next();
    List<JsonNode> ofApp = tasks.stream().filter(t -> t.path("appId").asText().equals(app))
        .sorted(Comparator.comparing((JsonNode t) -> t.path("state").asText().equals("TASK_RUNNING"))
            .thenComparing(t -> t.path("startedAt").asText(""))
            .thenComparing(t -> t.path("stagedAt").asText(""))
            .reversed())
        .toList();
    String chosen = ofApp.get(0).path("id").asText();
    if (ofApp.size() > 1) {
      note.accept("app " + app + " has " + ofApp.size() + " tasks; using the most recent running one, " + chosen);
    }
    return chosen;
  }
}
