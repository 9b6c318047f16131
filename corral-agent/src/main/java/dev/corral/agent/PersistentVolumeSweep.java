package dev.corral.agent;

import dev.corral.agent.checkpoint.AtomicFiles;
import dev.corral.agent.containerizer.GroupVolumes;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the data of persistent volumes the master no longer lists for this agent: they were destroyed
 * (perhaps while the agent was away). The master never destroys a volume a live task mounts.
 */
final class PersistentVolumeSweep {
  private static final Logger log = LoggerFactory.getLogger(PersistentVolumeSweep.class);

  private PersistentVolumeSweep() {}

  /** Keeps the volumes of {@code kept} under {@code WORK_DIR/volumes}; returns how many were deleted. */
  static int keepOnly(Path workDir, Set<String> kept) {
    Path root = GroupVolumes.persistentRoot(workDir);
    if (!Files.isDirectory(root)) {
      return 0;
    }
    int deleted = 0;
    try (DirectoryStream<Path> volumes = Files.newDirectoryStream(root)) {
      for (Path volume : volumes) {
        String id = volume.getFileName().toString();
        if (kept.contains(id)) {
          continue;
        }
        try {
          AtomicFiles.deleteTree(volume);
          deleted++;
          log.info("deleted persistent volume {}: the master destroyed it", id);
        } catch (IOException e) {
          log.warn("cannot delete destroyed persistent volume {}: {}", volume, e.getMessage());
        }
      }
    } catch (IOException e) {
      log.warn("cannot list persistent volumes in {}: {}", root, e.getMessage());
    }
    return deleted;
  }
}
