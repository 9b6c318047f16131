package dev.corral.agent.tasks;

import dev.corral.agent.containerizer.PosixUser;
import dev.corral.api.v1.SecretRef;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives a task its secrets once their values are read: a file secret at a sandbox path is written there (mode
 * 0400, owned by the task's user); one at an absolute path is written into the task's checkpoint directory
 * (root only) and bound read-only into the container there; an environment secret becomes a variable. What
 * the launch adds ({@link Given}) is never checkpointed with the task. A pull-config secret goes to the
 * image's pull only. Stateless; called on a fetch thread.
 */
final class TaskSecretFiles {
  private TaskSecretFiles() {}

  /** What the launch adds to the task: environment variables, and bind mounts of secret files. */
  record Given(Map<String, String> env, List<VolumeMount> mounts) {
    static final Given NONE = new Given(Map.of(), List.of());

    /** The task as the containerizer gets it: with the secrets, unlike the checkpointed one. */
    TaskInfo applyTo(TaskInfo task) {
      if (env.isEmpty() && mounts.isEmpty()) {
        return task;
      }
      return task.toBuilder().setCommand(task.getCommand().toBuilder().putAllEnvironment(env))
          .addAllVolumeMounts(mounts).build();
    }
  }

  /** Thrown with the message of the task's TASK_FAILED. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  /**
   * Writes the file secrets and returns what the launch adds.
   *
   * @param taskDir the task's checkpoint directory, where secret files for absolute paths go
   * @param runAsRoot whether the agent can give files to another user
   */
  static Given apply(TaskInfo task, Map<String, byte[]> values, Path sandbox, Path taskDir, boolean runAsRoot)
      throws Refused, IOException {
    Map<String, String> env = new LinkedHashMap<>();
    List<VolumeMount> mounts = new ArrayList<>();
    for (SecretRef ref : task.getSecretsList()) {
      byte[] value = value(ref, values);
      if (!ref.getEnvName().isEmpty()) {
        env.put(ref.getEnvName(), text(ref, value));
      }
      if (ref.getFilePath().startsWith("/")) {
        Path file = taskDir.resolve("secrets").resolve(Integer.toString(mounts.size()));
        write(task, value, file, runAsRoot);
        mounts.add(VolumeMount.newBuilder().setName("secret " + ref.getSource()).setMountPath(ref.getFilePath())
            .setHostPath(file.toString()).setReadOnly(true).build());
      } else if (!ref.getFilePath().isEmpty()) {
        Path file = sandbox.resolve(ref.getFilePath()).normalize();
        if (!file.startsWith(sandbox) || file.equals(sandbox)) {
          throw new Refused("secret file " + ref.getFilePath() + " must be a path inside the sandbox");
        }
        write(task, value, file, runAsRoot);
      }
    }
    return new Given(env, mounts);
  }

  /** The value of the task's pull-config secret (registry credentials for its image); null when it has none. */
  static byte[] pullConfig(TaskInfo task, Map<String, byte[]> values) throws Refused {
    for (SecretRef ref : task.getSecretsList()) {
      if (ref.getPullConfig()) {
        return value(ref, values);
      }
    }
    return null;
  }

  private static byte[] value(SecretRef ref, Map<String, byte[]> values) throws Refused {
    byte[] value = values.get(ref.getSource());
    if (value == null) {
      throw new Refused("secret " + ref.getSource() + " does not exist; create it with: corral secret create "
          + ref.getSource() + " --value-file FILE");
    }
    return value;
  }

  private static String text(SecretRef ref, byte[] value) throws Refused {
    String text = dev.corral.common.Utf8.textOrNull(value);
    if (text == null) {
      throw new Refused("secret " + ref.getSource() + " is binary and cannot be the environment variable "
          + ref.getEnvName() + "; give it to the task as a file");
    }
    return text;
  }

  private static void write(TaskInfo task, byte[] value, Path file, boolean runAsRoot) throws IOException {
    Files.createDirectories(file.getParent());
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(file, value);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
    String user = task.getCommand().getUser();
    if (runAsRoot && !user.isEmpty()) {
      PosixUser owner = PosixUser.lookup(user).orElse(null);
      if (owner != null) {
        Files.setAttribute(file, "unix:uid", (int) owner.uid());
        Files.setAttribute(file, "unix:gid", (int) owner.gid());
      }
    }
  }
}
