package dev.corral.agent.files;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The agent's HTTP API for sandboxes and logs, and the rotation of tasks' {@code stdout}/{@code stderr}.
 * Immutable.
 *
 * @param bindAddress where the HTTP server listens, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param port the HTTP port; 0 picks a free one, negative serves no HTTP at all (rotation still runs)
 * @param logMaxBytes a task's {@code stdout} or {@code stderr} is rotated once it is larger than this
 * @param logMaxFiles how many files of each stream are kept, the live one included (at least 1)
 * @param rotateInterval how often file sizes are checked
 * @param agentLog the agent's own log file, served under {@code /logs/v1/agent}; null when it writes none
 * @param secret the cluster secret every request must carry ({@link dev.corral.api.ClusterSecret#HTTP_HEADER});
 *     null serves anyone (a cluster without authentication)
 */
public record FilesConfig(String bindAddress, int port, long logMaxBytes, int logMaxFiles, Duration rotateInterval,
    Path agentLog, String secret) {
  public FilesConfig(String bindAddress, int port, long logMaxBytes, int logMaxFiles, Duration rotateInterval,
      Path agentLog) {
    this(bindAddress, port, logMaxBytes, logMaxFiles, rotateInterval, agentLog, null);
  }

  /** The Mesos agent's port. */
  public static final int DEFAULT_PORT = 5051;
  public static final long DEFAULT_LOG_MAX_BYTES = 10L * 1024 * 1024;
  public static final int DEFAULT_LOG_MAX_FILES = 3;
  public static final Duration DEFAULT_ROTATE_INTERVAL = Duration.ofSeconds(2);

  public FilesConfig {
    if (bindAddress == null || bindAddress.isBlank()) {
      bindAddress = "0.0.0.0";
    }
    if (logMaxBytes < 1024) {
      throw new IllegalArgumentException("the log size limit must be at least 1 KiB, got " + logMaxBytes);
    }
    if (logMaxFiles < 1) {
      throw new IllegalArgumentException("at least one log file must be kept, got " + logMaxFiles);
    }
    if (rotateInterval == null || rotateInterval.isNegative() || rotateInterval.isZero()) {
      rotateInterval = DEFAULT_ROTATE_INTERVAL;
    }
  }

  /** Port 5051 on every address, 10 MiB × 3 files. */
  public static FilesConfig defaults() {
    return new FilesConfig("0.0.0.0", DEFAULT_PORT, DEFAULT_LOG_MAX_BYTES, DEFAULT_LOG_MAX_FILES,
        DEFAULT_ROTATE_INTERVAL, null);
  }

  /** Rotation with the defaults and no HTTP server (embedded and test agents that need no API). */
  public static FilesConfig noServer() {
    return defaults().withPort(-1);
  }

  public FilesConfig withSecret(String value) {
    return new FilesConfig(bindAddress, port, logMaxBytes, logMaxFiles, rotateInterval, agentLog, value);
  }

  @Override
  public String toString() {
    return "FilesConfig[" + bindAddress + ":" + port + ", logs " + logMaxBytes + "B x" + logMaxFiles
        + (secret == null ? "" : ", secret ****") + "]";
  }

  public FilesConfig withPort(int value) {
    return new FilesConfig(bindAddress, value, logMaxBytes, logMaxFiles, rotateInterval, agentLog, secret);
  }

  public FilesConfig withBindAddress(String value) {
    return new FilesConfig(value, port, logMaxBytes, logMaxFiles, rotateInterval, agentLog, secret);
  }

  public FilesConfig withRotation(long maxBytes, int maxFiles, Duration interval) {
    return new FilesConfig(bindAddress, port, maxBytes, maxFiles, interval, agentLog, secret);
  }

  public FilesConfig withAgentLog(Path value) {
    return new FilesConfig(bindAddress, port, logMaxBytes, logMaxFiles, rotateInterval, value, secret);
  }

  public boolean serves() {
    return port >= 0;
  }

  /** Whether the server listens on every address (so its address to advertise is the hostname). */
  public boolean wildcard() {
    return bindAddress.equals("0.0.0.0") || bindAddress.equals("::") || bindAddress.equals("[::]");
  }
}
