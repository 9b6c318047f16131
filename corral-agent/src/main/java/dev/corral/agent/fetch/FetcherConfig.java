package dev.corral.agent.fetch;

import dev.corral.agent.image.ImagesConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * How the agent fetches artifacts. Immutable; validated on construction so that a bad flag fails when the
 * launcher parses it.
 *
 * @param mavenRepositories remote repositories for {@code maven://} URIs, searched in order (http, https or
 *     file URLs); the first is named {@code central}
 * @param mavenLocalRepository where resolved artifacts are kept (a Maven local repository, so
 *     {@code ~/.m2/repository} works); null: {@code WORK_DIR/maven}
 * @param cacheSizeBytes the most the {@code cache: true} downloads under {@code WORK_DIR/fetch-cache} may
 *     take; the least recently used go first
 * @param images where container images come from and how much of them the agent keeps
 */
public record FetcherConfig(List<String> mavenRepositories, Path mavenLocalRepository, long cacheSizeBytes,
    ImagesConfig images) {
  public static final String MAVEN_CENTRAL = "https://repo.maven.apache.org/maven2";
  public static final long DEFAULT_CACHE_SIZE = 2L << 30;
  private static final Set<String> REPOSITORY_SCHEMES = Set.of("http", "https", "file");

  public FetcherConfig {
    mavenRepositories = mavenRepositories == null || mavenRepositories.isEmpty()
        ? List.of(MAVEN_CENTRAL) : List.copyOf(mavenRepositories);
    for (String url : mavenRepositories) {
      checkRepository(url);
    }
    if (mavenLocalRepository != null) {
      mavenLocalRepository = mavenLocalRepository.toAbsolutePath().normalize();
    }
    images = images == null ? ImagesConfig.defaults() : images;
    if (cacheSizeBytes < 0) {
      throw new IllegalArgumentException("the fetcher cache size must not be negative, got " + cacheSizeBytes);
    }
  }

  /** Maven Central, the local repository under the work dir, a 2 GiB cache. */
  public static FetcherConfig defaults() {
    return new FetcherConfig(List.of(MAVEN_CENTRAL), null, DEFAULT_CACHE_SIZE, ImagesConfig.defaults());
  }

  /** {@code url} or several separated by commas; blanks are ignored. */
  public FetcherConfig withMavenRepositories(String urls) {
    List<String> list = urls == null ? List.of()
        : List.of(urls.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    return new FetcherConfig(list, mavenLocalRepository, cacheSizeBytes, images);
  }

  public FetcherConfig withMavenLocalRepository(Path value) {
    return new FetcherConfig(mavenRepositories, value, cacheSizeBytes, images);
  }

  public FetcherConfig withCacheSizeBytes(long value) {
    return new FetcherConfig(mavenRepositories, mavenLocalRepository, value, images);
  }

  public FetcherConfig withImages(ImagesConfig value) {
    return new FetcherConfig(mavenRepositories, mavenLocalRepository, cacheSizeBytes, value);
  }

  /** The local repository, or its default under {@code workDir}. */
  public Path mavenLocalRepository(Path workDir) {
    return mavenLocalRepository != null ? mavenLocalRepository : workDir.resolve("maven");
  }

  private static void checkRepository(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getScheme() == null || !REPOSITORY_SCHEMES.contains(uri.getScheme().toLowerCase())) {
        throw new IllegalArgumentException("a Maven repository must be an http, https or file URL, got '" + url + "'");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a Maven repository URL: '" + url + "' (" + e.getMessage() + ")", e);
    }
  }
}
