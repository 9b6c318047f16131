package dev.corral.agent.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A user as the image knows it: {@code uid}, {@code uid:gid}, {@code name} or {@code name:group}, names
 * looked up in the image's own {@code /etc/passwd} and {@code /etc/group}, never the host's. Immutable.
 */
public record ImageUser(long uid, long gid) {
  public static final ImageUser ROOT = new ImageUser(0, 0);

  /** Resolves {@code spec} ("" or {@code root}: uid 0) against the image's root filesystem. */
  public static ImageUser resolve(String spec, Path rootfs) throws ImageException {
    if (spec.isEmpty()) {
      return ROOT;
    }
    String[] parts = spec.split(":", 2);
    long uid;
    long gid;
    if (isNumber(parts[0])) {
      uid = Long.parseLong(parts[0]);
      gid = uid;
    } else if (parts[0].equals("root")) {
      uid = 0;
      gid = 0;
    } else {
      String[] entry = find(rootfs.resolve("etc/passwd"), parts[0]);
      if (entry == null || entry.length < 4 || !isNumber(entry[2]) || !isNumber(entry[3])) {
        throw new ImageException("user '" + parts[0] + "' does not exist in the image");
      }
      uid = Long.parseLong(entry[2]);
      gid = Long.parseLong(entry[3]);
    }
    if (parts.length == 2) {
      if (isNumber(parts[1])) {
        gid = Long.parseLong(parts[1]);
      } else {
        String[] entry = find(rootfs.resolve("etc/group"), parts[1]);
        if (entry == null || entry.length < 3 || !isNumber(entry[2])) {
          throw new ImageException("group '" + parts[1] + "' does not exist in the image");
        }
        gid = Long.parseLong(entry[2]);
      }
    }
    return new ImageUser(uid, gid);
  }

  /** The colon-separated fields of the line whose first field is {@code name}, or null. */
  private static String[] find(Path file, String name) {
    // a symlink in an image could point anywhere on the host: only plain files are read
    if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    try {
      List<String> lines = Files.readAllLines(file);
      for (String line : lines) {
        String[] fields = line.split(":", -1);
        if (fields[0].equals(name)) {
          return fields;
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
  }
}
