package dev.corral.agent.tasks;

import dev.corral.agent.containerizer.PosixUser;
import dev.corral.api.v1.SecretRef;
import dev.corral.api.v1.TaskInfo;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gives a task its secrets once their values are read: each file secret is written into the sandbox (mode
 * 0400, owned by the task's user), each environment secret becomes a variable the launch adds; neither is
 * checkpointed with the task. A pull-config secret goes to the image's pull only. Stateless; called on a
 * fetch thread.
 */
final class TaskSecretFiles {
  private TaskSecretFiles() {}

  /** Thrown with the message of the task's TASK_FAILED. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  /**
   * Writes the file secrets and returns the environment ones.
   *
   * @param runAsRoot whether the agent can give files to another user
   */
  static Map<String, String> apply(TaskInfo task, Map<String, byte[]> values, Path sandbox, boolean runAsRoot)
      throws Refused, IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (SecretRef ref : task.getSecretsList()) {
      byte[] value = value(ref, values);
      if (!ref.getEnvName().isEmpty()) {
        env.put(ref.getEnvName(), text(ref, value));
      }
      if (!ref.getFilePath().isEmpty()) {
        write(task, ref, value, sandbox, runAsRoot);
      }
    }
    return env;
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
    try {
      String s = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(value)).toString();
      if (s.indexOf('\0') >= 0) {
        throw new CharacterCodingException();
      }
      return s;
    } catch (CharacterCodingException e) {
      throw new Refused("secret " + ref.getSource() + " is binary and cannot be the environment variable "
          + ref.getEnvName() + "; give it to the task as a file");
    }
  }

  private static void write(TaskInfo task, SecretRef ref, byte[] value, Path sandbox, boolean runAsRoot)
      throws Refused, IOException {
    Path file = sandbox.resolve(ref.getFilePath()).normalize();
    if (ref.getFilePath().startsWith("/") || !file.startsWith(sandbox) || file.equals(sandbox)) {
      throw new Refused("secret file " + ref.getFilePath() + " must be a path inside the sandbox");
    }
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
