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
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fetch before a launch, on a fetch thread: checkpoints the task first (so a restart reports it, as
 * "agent restarted while fetching"), marks it fetching, fetches into the sandbox, pulls the task's image
 * (the pull itself runs on the image store's threads; this thread waits for it) and records it for the
 * containerizer ({@link ImageUse#PULLED_FILE}), reads the task's secrets from the master and writes its
 * secret files ({@link TaskSecretFiles}), clears the mark.
 * Stateless apart from its collaborators; thread-safe.
 */
final class FetchStep {
  private static final Logger log = LoggerFactory.getLogger(FetchStep.class);

  private final CheckpointStore store;
  private final Fetcher fetcher;
  private final SecretReader secrets;
  private final boolean root;

  /**
   * What a fetch left for the launch.
   *
   * @param failure null when all is in place, otherwise why not (the message of the task's TASK_FAILED)
   * @param secrets what the launch adds for the task's secrets; never checkpointed
   */
  record Fetched(String failure, TaskSecretFiles.Given secrets) {
    static Fetched failed(String why) {
      return new Fetched(why, TaskSecretFiles.Given.NONE);
    }
  }

  FetchStep(CheckpointStore store, Fetcher fetcher, SecretReader secrets, boolean root) {
    this.store = store;
    this.fetcher = fetcher;
    this.secrets = secrets;
    this.root = root;
  }

  /**
   * Checkpoints the task, reads its secrets, fetches its artifacts, pulls its image (with its own registry
   * credentials when it has a pull-config secret), then writes its secret files. Interrupted: the task was
   * killed, and the kill reports it.
   */
  Fetched run(TaskInfo task, FrameworkInfo framework, Consumer<String> progress) throws InterruptedException {
    String id = task.getTaskId();
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedException("killed before the fetch began");
    }
    try {
      store.writeTask(task, framework);
      store.markFetching(id, true);
      Files.createDirectories(store.sandbox(id));
    } catch (IOException e) {
      return Fetched.failed("cannot prepare the sandbox for fetching: " + e.getMessage());
    }
    TaskSecretFiles.Given given;
    try {
      Map<String, byte[]> values = task.getSecretsCount() == 0 ? Map.of() : secrets.read(id);
      String failure = fetch(task, progress, TaskSecretFiles.pullConfig(task, values));
      if (failure != null) {
        return Fetched.failed(failure);
      }
      given = TaskSecretFiles.apply(task, values, store.sandbox(id), store.taskDir(id), root);
    } catch (SecretReader.SecretException | TaskSecretFiles.Refused e) {
      log.warn("task {}: {}", id, e.getMessage());
      return Fetched.failed(e.getMessage());
    } catch (IOException e) {
      return Fetched.failed("cannot write the task's secret files: " + e.getMessage());
    }
    try {
      store.markFetching(id, false);
    } catch (IOException e) {
      log.warn("cannot clear the fetching mark of task {}: {}", id, e.toString());
    }
    return new Fetched(null, given);
  }

  /**
   * The artifacts, then the image; null when all are in place, otherwise why not.
   *
   * @param credentials the task's registry credentials for its image, or null for the agent's
   */
  private String fetch(TaskInfo task, Consumer<String> progress, byte[] credentials) throws InterruptedException {
    String id = task.getTaskId();
    try {
      fetcher.fetchAll(task.getFetchList(), store.sandbox(id), uri -> progress.accept("fetching " + uri));
      String image = task.getContainer().getImage();
      if (!image.isEmpty()) {
        progress.accept("pulling " + image);
        ImageUse.recordPulled(store.taskDir(id),
            fetcher.images().pull(image, task.getContainer().getForcePull(), credentials));
      }
    } catch (FetchException | ImageException e) {
      log.warn("task {}: {}", id, e.getMessage());
      return e.getMessage();
    } catch (IOException e) {
      return "cannot record the task's image: " + e.getMessage();
    }
    return null;
  }
}
