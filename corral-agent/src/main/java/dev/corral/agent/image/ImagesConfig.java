package dev.corral.agent.image;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the agent gets images from. Immutable; validated on construction so that a bad flag fails when the
 * launcher parses it.
 *
 * @param registries registries ({@code host[:port]}) that a reference without one ({@code name:tag}) is
 *     looked up in, in order; empty: such references are refused (Docker Hub is not assumed)
 * @param insecureRegistries registries reached over plain HTTP or with unverified TLS
 * @param authFile a Docker-style {@code auth.json} with registry credentials, or null
 * @param imageDir a directory of {@code docker save} tarballs ({@code NAME:TAG.tar} or {@code NAME.tar},
 *     slashes in the name as in the reference), searched before any registry; or null
 * @param cacheSizeBytes the most the unpacked root filesystems under {@code WORK_DIR/images} may take; the
 *     least recently used ones that no task uses go first
 */
public record ImagesConfig(List<String> registries, List<String> insecureRegistries, Path authFile, Path imageDir,
    long cacheSizeBytes) {
  public static final long DEFAULT_CACHE_SIZE = 10L << 30;

  public ImagesConfig {
    registries = hosts(registries, "--registries");
    insecureRegistries = hosts(insecureRegistries, "--insecure-registries");
    authFile = authFile == null ? null : authFile.toAbsolutePath().normalize();
    imageDir = imageDir == null ? null : imageDir.toAbsolutePath().normalize();
    if (cacheSizeBytes < 0) {
      throw new IllegalArgumentException("the image cache size must not be negative, got " + cacheSizeBytes);
    }
  }

  public static ImagesConfig defaults() {
    return new ImagesConfig(List.of(), List.of(), null, null, DEFAULT_CACHE_SIZE);
  }

  /** Splits a {@code host:port,host} flag value; blanks are ignored. */
  public static List<String> split(String value) {
    return value == null ? List.of()
        : List.of(value.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  public ImagesConfig withRegistries(List<String> value) {
    return new ImagesConfig(value, insecureRegistries, authFile, imageDir, cacheSizeBytes);
  }

  public ImagesConfig withInsecureRegistries(List<String> value) {
    return new ImagesConfig(registries, value, authFile, imageDir, cacheSizeBytes);
  }

  public ImagesConfig withAuthFile(Path value) {
    return new ImagesConfig(registries, insecureRegistries, value, imageDir, cacheSizeBytes);
  }

  public ImagesConfig withImageDir(Path value) {
    return new ImagesConfig(registries, insecureRegistries, authFile, value, cacheSizeBytes);
  }

  public ImagesConfig withCacheSizeBytes(long value) {
    return new ImagesConfig(registries, insecureRegistries, authFile, imageDir, value);
  }

  private static List<String> hosts(List<String> list, String flag) {
    List<String> out = list == null ? List.of() : List.copyOf(list);
    for (String h : out) {
      if (h.isEmpty() || h.contains("/") || h.contains("://")) {
        throw new IllegalArgumentException(flag + " takes host[:port] entries, got '" + h + "'");
      }
    }
    return out;
  }
}
