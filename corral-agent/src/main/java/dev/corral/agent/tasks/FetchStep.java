package dev.corral.agent.tasks;

import dev.corral.agent.checkpoint.CheckpointStore;
import dev.corral.agent.fetch.FetchException;
import dev.corral.agent.fetch.Fetcher;
import dev.corral.agent.image.ImageException;
import dev.corral.agent.image.ImageUse;
import dev.corral.api.v1.FrameworkInfo;
import dev.corral.api.v1.TaskInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fetch before a launch, on a fetch thread: checkpoints the task first (so a restart reports it, as
 * "agent restarted while fetching"), marks it fetching, fetches into the sandbox, pulls the task's image
 * (the pull itself runs on the image store's threads; this thread waits for it) and records it for the
 * containerizer ({@link ImageUse#PULLED_FILE}), clears the mark.
 * Stateless apart from its collaborators; thread-safe.
 */
final class FetchStep {
  private static final Logger log = LoggerFactory.getLogger(FetchStep.class);

  private final CheckpointStore store;
  private final Fetcher fetcher;

  FetchStep(CheckpointStore store, Fetcher fetcher) {
    this.store = store;
    this.fetcher = fetcher;
  }

  /**
   * Fetches the task's artifacts, then pulls its image; returns null when all are in place, otherwise why not (the message of
   * the task's TASK_FAILED). Interrupted: the task was killed, and the kill reports it.
   */
  String run(TaskInfo task, FrameworkInfo framework, Consumer<String> progress) throws InterruptedException {
    String id = task.getTaskId();
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedException("killed before the fetch began");
    }
    try {
      store.writeTask(task, framework);
      store.markFetching(id, true);
      Files.createDirectories(store.sandbox(id));
    } catch (IOException e) {
      return "cannot prepare the sandbox for fetching: " + e.getMessage();
    }
    try {
      fetcher.fetchAll(task.getFetchList(), store.sandbox(id), uri -> progress.accept("fetching " + uri));
      String image = task.getContainer().getImage();
      if (!image.isEmpty()) {
        progress.accept("pulling " + image);
        ImageUse.recordPulled(store.taskDir(id), fetcher.images().pull(image, task.getContainer().getForcePull()));
      }
    } catch (FetchException | ImageException e) {
      log.warn("task {}: {}", id, e.getMessage());
      return e.getMessage();
    } catch (IOException e) {
      return "cannot record the task's image: " + e.getMessage();
    }
    try {
      store.markFetching(id, false);
    } catch (IOException e) {
      log.warn("cannot clear the fetching mark of task {}: {}", id, e.toString());
    }
    return null;
  }
}
