package dev.corral.agent.checkpoint;

import dev.corral.agent.containerizer.TaskPids;
import dev.corral.api.v1.AgentTask;
import dev.corral.api.v1.FrameworkInfo;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's hard state on disk, everything it needs to re-attach to its tasks after a restart:
 * <pre>
 * meta/agent.id                          the id the master assigned
 * meta/tasks/ID/task.pb                  AgentTask{task, framework}
 * meta/tasks/ID/pids                     monitor pid + start time, task pid + start time
 * meta/tasks/ID/updates/SEQ.pb           each unacknowledged TaskStatus
 * meta/tasks/ID/kill_requested           present once a kill was asked for
 * meta/tasks/ID/fetching                 present while the task's artifacts are being fetched
 * meta/tasks/ID/exit_status              written by the task monitor, not by the agent
 * sandboxes/ID/                          the task's sandbox; outlives the checkpoint
 * </pre>
 * Soft state (connection, timers, which updates were sent when) is never written. Every write is atomic
 * ({@link AtomicFiles}). Thread-safe for different tasks; the agent serialises work per task (launch, then
 * the event loop, then the exit collection), so one task's files are never written concurrently.
 */
public final class CheckpointStore {
  private static final Logger log = LoggerFactory.getLogger(CheckpointStore.class);
  private static final Pattern UPDATE_FILE = Pattern.compile("[0-9]+\\.pb");

  private final Path meta;
  private final Path tasks;
  private final Path sandboxes;

  public CheckpointStore(Path workDir) {
    this.meta = workDir.resolve("meta");
    this.tasks = meta.resolve("tasks");
    this.sandboxes = workDir.resolve("sandboxes");
    try {
      Files.createDirectories(tasks);
      Files.createDirectories(sandboxes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the agent's work dir under " + workDir, e);
    }
  }

  public Path taskDir(String taskId) {
    return tasks.resolve(taskId);
  }

  public Path sandbox(String taskId) {
    return sandboxes.resolve(taskId);
  }

  public Path exitStatusFile(String taskId) {
    return taskDir(taskId).resolve("exit_status");
  }

  public Optional<String> readAgentId() {
    try {
      String id = Files.readString(meta.resolve("agent.id"), StandardCharsets.UTF_8).trim();
      return id.isEmpty() ? Optional.empty() : Optional.of(id);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the agent id", e);
    }
  }

  public void writeAgentId(String agentId) throws IOException {
    AtomicFiles.write(meta.resolve("agent.id"), (agentId + "\n").getBytes(StandardCharsets.UTF_8));
  }

  public void deleteAgentId() throws IOException {
    Files.deleteIfExists(meta.resolve("agent.id"));
  }

  /** Creates the task's checkpoint directory and records what to run. The first write of a launch. */
  public void writeTask(TaskInfo task, FrameworkInfo framework) throws IOException {
    Path dir = taskDir(task.getTaskId());
    Files.createDirectories(dir);
    AgentTask record = AgentTask.newBuilder().setTask(task).setFramework(framework).build();
    AtomicFiles.write(dir.resolve("task.pb"), record.toByteArray());
  }

  public void writePids(String taskId, TaskPids pids) throws IOException {
    AtomicFiles.write(taskDir(taskId).resolve("pids"), pids.toText().getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * When the task's pids were written, which is when it started: a recovered task's health checks count
   * their grace period from here. Empty when there is no pids file.
   */
  public Optional<Instant> pidsWrittenAt(String taskId) {
    try {
      return Optional.of(Files.getLastModifiedTime(taskDir(taskId).resolve("pids")).toInstant());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public void writeUpdate(String taskId, PendingUpdate update) throws IOException {
    Path dir = taskDir(taskId).resolve("updates");
    Files.createDirectories(dir);
    AtomicFiles.write(dir.resolve(String.format("%06d.pb", update.seq())), update.status().toByteArray());
  }

  public void deleteUpdate(String taskId, int seq) throws IOException {
    Files.deleteIfExists(taskDir(taskId).resolve("updates").resolve(String.format("%06d.pb", seq)));
  }

  public void markKillRequested(String taskId) throws IOException {
    Path dir = taskDir(taskId);
    if (Files.isDirectory(dir)) { // never recreate the directory of a forgotten task
      AtomicFiles.write(dir.resolve("kill_requested"), new byte[0]);
    }
  }

  /** Marks the task as fetching (true) or done with it (false), so a restart knows what it interrupted. */
  public void markFetching(String taskId, boolean fetching) throws IOException {
    Path marker = taskDir(taskId).resolve("fetching");
    if (fetching) {
      AtomicFiles.write(marker, new byte[0]);
    } else {
      Files.deleteIfExists(marker);
    }
  }

  public boolean isFetching(String taskId) {
    return Files.exists(taskDir(taskId).resolve("fetching"));
  }

  /** Drops everything but the sandbox, which is kept for its logs. */
  public void forget(String taskId) throws IOException {
    AtomicFiles.deleteTree(taskDir(taskId));
  }

  /** Every task in the checkpoint, in task id order; an unreadable entry is logged and skipped. */
  public List<TaskCheckpoint> readTasks() {
    List<TaskCheckpoint> out = new ArrayList<>();
    List<Path> dirs = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(tasks)) {
      ds.forEach(dirs::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + tasks, e);
    }
    dirs.sort(Comparator.naturalOrder());
    for (Path dir : dirs) {
      try {
        out.add(readTask(dir));
      } catch (IOException | RuntimeException e) {
        log.warn("skipping unreadable task checkpoint {}: {}", dir, e.toString());
      }
    }
    return out;
  }

  private TaskCheckpoint readTask(Path dir) throws IOException {
    AgentTask record = AgentTask.parseFrom(Files.readAllBytes(dir.resolve("task.pb")));
    TaskPids pids = null;
    Path pidsFile = dir.resolve("pids");
    if (Files.exists(pidsFile)) {
      pids = TaskPids.fromText(Files.readString(pidsFile, StandardCharsets.US_ASCII));
    }
    List<PendingUpdate> pending = new ArrayList<>();
    Path updates = dir.resolve("updates");
    if (Files.isDirectory(updates)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(updates)) {
        for (Path f : ds) {
          String name = f.getFileName().toString();
          if (UPDATE_FILE.matcher(name).matches()) {
            int seq = Integer.parseInt(name.substring(0, name.length() - 3));
            pending.add(new PendingUpdate(seq, TaskStatus.parseFrom(Files.readAllBytes(f))));
          }
        }
      }
    }
    pending.sort(Comparator.comparingInt(PendingUpdate::seq));
    return new TaskCheckpoint(record.getTask(), record.getFramework(), pids, pending,
        Files.exists(dir.resolve("kill_requested")));
  }
}
