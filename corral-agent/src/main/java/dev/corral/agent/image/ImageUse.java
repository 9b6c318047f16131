package dev.corral.agent.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;

/**
 * Which tasks use which cached image, kept as files so that it survives agent restarts: a task's checkpoint
 * directory names the image it was given ({@code META/image}), and the image's cache entry holds one file
 * per container that runs on it ({@code users/ID}). The cache's garbage collection never removes an entry
 * with users. One lock orders marking and collecting in this JVM, so a launch never races a removal.
 */
public final class ImageUse {
  /** The file in a task's checkpoint directory that names its image's cache entry. */
  public static final String PULLED_FILE = "image";
  static final String USERS = "users";
  static final String LAST_USED = "last-used";
  static final Object LOCK = new Object();

  private ImageUse() {}

  /** Records, for the containerizer, which image the task's pull gave it. */
  public static void recordPulled(Path metaDir, Image image) throws IOException {
    Files.writeString(metaDir.resolve(PULLED_FILE), image.dir() + "\n" + image.digest() + "\n"
        + image.reference() + "\n");
  }

  /** The image recorded for the task; empty when its pull did not record one. */
  public static Optional<Image> pulled(Path metaDir) throws IOException {
    Path file = metaDir.resolve(PULLED_FILE);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    String[] lines = Files.readString(file).split("\n");
    Path dir = Path.of(lines[0]);
    JsonNode json = Json.mapper().readTree(dir.resolve(ImageStore.CONFIG_FILE).toFile());
    return Optional.of(new Image(lines.length > 2 ? lines[2] : "", lines.length > 1 ? lines[1] : "", dir,
        ImageConfig.of(json)));
  }

  /** Marks the image as used by the container; throws when the cache has removed it meanwhile. */
  public static void acquire(Image image, String containerId, Instant now) throws IOException {
    synchronized (LOCK) {
      if (!Files.isDirectory(image.rootfs())) {
        throw new IOException("image " + image.reference() + " is no longer in the cache; pull it again");
      }
      Path users = image.dir().resolve(USERS);
      Files.createDirectories(users);
      Files.writeString(users.resolve(containerId), "");
      touch(image.dir(), now);
    }
  }

  public static void release(Path imageDir, String containerId) throws IOException {
    synchronized (LOCK) {
      Files.deleteIfExists(imageDir.resolve(USERS).resolve(containerId));
    }
  }

  static void touch(Path imageDir, Instant now) throws IOException {
    Path f = imageDir.resolve(LAST_USED);
    if (!Files.exists(f)) {
      Files.writeString(f, "");
    }
    Files.setLastModifiedTime(f, FileTime.from(now));
  }

  static boolean inUse(Path imageDir) throws IOException {
    Path users = imageDir.resolve(USERS);
    if (!Files.isDirectory(users)) {
      return false;
    }
    try (var s = Files.list(users)) {
      return s.findAny().isPresent();
    }
  }
}
