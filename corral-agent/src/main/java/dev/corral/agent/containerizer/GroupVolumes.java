package dev.corral.agent.containerizer;

import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The volumes of a task group (a pod's {@code volumes} and each container's {@code volumeMounts}). An
 * ephemeral volume is one directory per group, {@code WORK_DIR/groups/GROUP_ID/NAME}, created by the first of
 * its tasks to launch and shared by every task that mounts it; a host volume is the agent's path as given
 * (a directory or a file; relative: inside the task's sandbox); a persistent volume is the agent's directory of
 * that id, kept across tasks until the master says it is destroyed. An app's host and persistent volumes take
 * the same way.
 * Sandbox-relative mount paths appear inside each task's sandbox: as a symbolic link for process tasks (they
 * see the host's filesystem), as a bind mount for OCI containers, which also get absolute mount paths bound
 * into their root filesystem. Stateless; called by a containerizer on its worker thread.
 */
public final class GroupVolumes {
  /** A bind mount a container needs: {@code source} on the host at {@code destination} in the container. */
  public record Bind(Path source, String destination, boolean readOnly) {}

  private GroupVolumes() {}

  /** Where the agent keeps its persistent volumes: {@code WORK_DIR/volumes}, beside the sandboxes. */
  public static Path persistentRoot(Path workDir) {
    return workDir.resolve("volumes");
  }

  /**
   * A persistent volume's directory, created (and given to the task's user) the first time a task mounts it;
   * the master decides which task may, so the agent only keeps the data.
   */
  private static Path persistentVolume(TaskInfo task, VolumeMount m, Path sandbox) throws IOException {
    Path dir = persistentRoot(sandbox.toAbsolutePath().getParent().getParent()).resolve(m.getPersistenceId());
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      String user = task.getCommand().getUser();
      PosixUser owner = user.isEmpty() ? null : PosixUser.lookup(user).orElse(null);
      if (owner != null) {
        Files.setAttribute(dir, "unix:uid", (int) owner.uid());
        Files.setAttribute(dir, "unix:gid", (int) owner.gid());
      }
    }
    return dir;
  }

  /** The group's directory of ephemeral volumes, beside the agent's sandboxes. */
  public static Path groupDir(Path sandbox, String groupId) {
    return sandbox.toAbsolutePath().getParent().getParent().resolve("groups").resolve(groupId);
  }

  /**
   * The host side of a volume: an absolute path as it is, a relative one inside the task's sandbox (Mesos's
   * meaning: a file the task fetched, say). It must exist; a file is bound as a file.
   */
  private static Path hostPath(VolumeMount m, Path sandbox) throws LaunchException {
    Path source = sandbox.resolve(m.getHostPath()).normalize();
    if (!m.getHostPath().startsWith("/") && !source.startsWith(sandbox)) {
      throw new LaunchException("volume " + m.getName() + ": host path " + m.getHostPath() + " leaves the sandbox");
    }
    if (!Files.exists(source)) {
      throw new LaunchException("volume " + m.getName() + ": host path " + source + " does not exist on the agent");
    }
    return source;
  }

  /**
   * Creates the volumes the task mounts and its mount points; with {@code links} (process tasks) links
   * each sandbox-relative mount path to its volume. Returns the bind mounts a container needs (with
   * {@code links}, none: a process task cannot mount, so absolute mount paths are refused).
   *
   * @param sandboxInImage where the sandbox also appears inside an image container, or null
   */
  public static List<Bind> prepare(TaskInfo task, Path sandbox, boolean links, String sandboxInImage)
      throws LaunchException {
    List<Bind> out = new ArrayList<>();
    // a host volume whose hostPath names a persistent volume's mount path shows that volume at another path
    // (Marathon's way to put one at an absolute path); the sandbox path is only a mount point in a container
    Map<String, Path> persistent = new HashMap<>();
    for (VolumeMount m : task.getVolumeMountsList()) {
      Path source;
      try {
        if (!m.getPersistenceId().isEmpty()) {
          source = persistentVolume(task, m, sandbox);
          persistent.put(m.getMountPath(), source);
        } else if (persistent.containsKey(m.getHostPath())) {
          source = persistent.get(m.getHostPath());
        } else if (m.getHostPath().isEmpty()) {
          source = groupDir(sandbox, task.getGroupId()).resolve(m.getName());
          Files.createDirectories(source);
          // every container of the group may run as its own user: the shared directory is open to all
          Files.setPosixFilePermissions(source, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        } else {
          source = hostPath(m, sandbox);
        }
        boolean file = !Files.isDirectory(source);
        String path = m.getMountPath();
        if (path.startsWith("/")) {
          if (links) {
            throw new LaunchException("volume " + m.getName() + ": the absolute mount path " + path
                + " needs a container (the oci containerizer); use a path relative to the sandbox");
          }
          out.add(new Bind(source, path, m.getReadOnly()));
          continue;
        }
        Path point = sandbox.resolve(path).normalize();
        if (!point.startsWith(sandbox)) {
          throw new LaunchException("volume " + m.getName() + ": mount path " + path + " leaves the sandbox");
        }
        Files.createDirectories(point.getParent());
        if (links) {
          if (!Files.exists(point, LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(point, source);
          }
        } else {
          if (!file) {
            Files.createDirectories(point);
          } else if (!Files.exists(point)) {
            Files.createFile(point); // a bind mount of a file needs a file to cover
          }
          out.add(new Bind(source, point.toString(), m.getReadOnly()));
          if (sandboxInImage != null) {
            out.add(new Bind(source, sandboxInImage + "/" + path, m.getReadOnly()));
          }
        }
      } catch (IOException e) {
        throw new LaunchException("cannot prepare volume " + m.getName() + ": " + e.getMessage(), e);
      }
    }
    return out;
  }
}
