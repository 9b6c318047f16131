package dev.corral.agent.oci;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The runtime's container id of a task. runc and crun accept only letters, digits, {@code _ + - .}, while
 * task ids may also hold {@code :} and {@code @}; such ids get a digest instead, so the mapping stays a
 * pure function of the task id and needs no checkpoint of its own.
 */
public final class ContainerIds {
  private static final Pattern RUNTIME_SAFE = Pattern.compile("[A-Za-z0-9_+.-]{1,128}");

  private ContainerIds() {}

  public static String of(String taskId) {
    if (RUNTIME_SAFE.matcher(taskId).matches() && !taskId.startsWith(".")) {
      return taskId;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(taskId.getBytes(StandardCharsets.UTF_8));
      return "task-" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
