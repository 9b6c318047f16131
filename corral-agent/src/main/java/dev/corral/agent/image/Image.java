package dev.corral.agent.image;

import java.nio.file.Path;

/**
 * An unpacked image in the agent's cache. Immutable.
 *
 * @param reference the reference it was pulled by
 * @param digest the manifest's digest, {@code sha256:HEX}
 * @param dir the cache entry: {@code rootfs/} (read by tasks, never written), {@code image.json}
 * @param config the image's own command, environment, working directory and user
 */
public record Image(String reference, String digest, Path dir, ImageConfig config) {
  public Path rootfs() {
    return dir.resolve("rootfs");
  }
}
