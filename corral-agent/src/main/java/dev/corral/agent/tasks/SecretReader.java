package dev.corral.agent.tasks;

import java.util.Map;

/**
 * Reads the values of a task's secrets ({@code TaskInfo.secrets}) from the master, by secret path; a secret
 * that does not exist is left out. Blocking; called on a fetch thread.
 */
@FunctionalInterface
public interface SecretReader {
  Map<String, byte[]> read(String taskId) throws SecretException;

  /** The secrets could not be read (the master refused, or could not be reached). */
  final class SecretException extends Exception {
    public SecretException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
