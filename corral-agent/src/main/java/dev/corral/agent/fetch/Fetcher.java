package dev.corral.agent.fetch;

import dev.corral.agent.cgroups.CgroupDetector;
import dev.corral.agent.image.ImageStore;
import dev.corral.api.v1.FetchUri;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a task's artifacts ({@link FetchUri}) into its sandbox before the task starts: {@code http(s)://}
 * and {@code file://} URIs (through the {@link FetchCache} when {@code cache} is set), and
 * {@code maven://group:artifact[:extension[:classifier]]:version} with its runtime dependencies
 * ({@link MavenArtifacts}), and {@code data:[type][;base64],payload} (RFC 2397: small files carried in the
 * task itself, such as the cluster CA the services scheduler hands its tasks; destPath names the file).
 * All maven URIs of a task with the same destPath are resolved as one dependency
 * graph, so two artifacts that need different versions of a library get one jar of it, Maven's choice.
 *
 * <p>Blocking and interruptible between steps; for the agent's fetch threads, never its event loop.
 * Thread-safe: one instance serves every task of the agent. {@link #close()} stops the shared downloads.
 */
public final class Fetcher implements AutoCloseable {
  /** Where maven:// jars go when the URI names no destPath. */
  public static final String DEFAULT_MAVEN_DIR = "lib";
  private static final Logger log = LoggerFactory.getLogger(Fetcher.class);
  private static final Set<String> SCHEMES = Set.of("http", "https", "file", "maven", "data");

  private final Downloader downloader = new Downloader();
  private final ExecutorService cacheDownloads;
  private final FetchCache cache;
  private final ImageStore images;
  private final FetcherConfig config;
  private final Path workDir;
  private MavenArtifacts maven; // guarded by this; created on first use, it takes a moment to set up

  /**
   * @param workDir the agent's work dir: the cache lives in {@code fetch-cache/}, the default Maven local
   *     repository in {@code maven/}
   */
  public Fetcher(FetcherConfig config, Path workDir, Clock clock) {
    AtomicInteger n = new AtomicInteger();
    this.cacheDownloads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "agent-fetch-cache-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.cache = new FetchCache(workDir.resolve("fetch-cache"), config.cacheSizeBytes(), downloader,
        cacheDownloads, clock);
    this.config = config;
    this.workDir = workDir;
    this.images = new ImageStore(config.images(), workDir.resolve("images"), clock, !CgroupDetector.isRoot());
  }

  /** The container images of the agent's tasks; pulled in the same step as their artifacts. */
  public ImageStore images() {
    return images;
  }

  /** Why {@code uri} cannot be fetched as given (scheme, coordinates, destPath), or null when it can. */
  public static String problem(FetchUri uri) {
    String scheme = scheme(uri.getUri());
    if (!SCHEMES.contains(scheme)) {
      return "unsupported scheme '" + scheme + "' (http, https, file, maven, data)";
    }
    if (scheme.equals("maven")) {
      String problem = MavenArtifacts.problem(coordinates(uri.getUri()));
      return problem != null ? problem : DestPath.problem(uri.getDestPath());
    }
    if (scheme.equals("data")) {
      if (uri.getDestPath().isEmpty() || uri.getDestPath().endsWith("/")) {
        return "a data: URI names no file; give destPath";
      }
      try {
        dataBytes(uri.getUri());
      } catch (IllegalArgumentException e) {
        return "not a data: URI (data:[type][;base64],payload): " + e.getMessage();
      }
      return DestPath.problem(uri.getDestPath());
    }
    try {
      URI parsed = new URI(uri.getUri());
      if (fileName(parsed).isEmpty() && (uri.getDestPath().isEmpty() || uri.getDestPath().endsWith("/"))) {
        return "the URI names no file; give destPath";
      }
      Downloader.expectedSha256(parsed);
    } catch (URISyntaxException e) {
      return "not a URI: " + e.getMessage();
    } catch (FetchException e) {
      return e.getMessage();
    }
    return DestPath.problem(uri.getDestPath());
  }

  /**
   * Fetches every URI into {@code sandbox}, in order (the maven URIs of one destPath together, at the
   * first of them), telling {@code progress} each URI as its fetch starts.
   *
   * @throws FetchException with "fetch of URI failed: why" as its message
   */
  public void fetchAll(List<FetchUri> uris, Path sandbox, Consumer<String> progress)
      throws FetchException, InterruptedException {
    Map<String, List<FetchUri>> mavenGroups = new LinkedHashMap<>();
    for (FetchUri u : uris) {
      if (scheme(u.getUri()).equals("maven")) {
        mavenGroups.computeIfAbsent(mavenDir(u), k -> new ArrayList<>()).add(u);
      }
    }
    for (FetchUri u : uris) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("fetch cancelled");
      }
      if (scheme(u.getUri()).equals("maven")) {
        List<FetchUri> group = mavenGroups.remove(mavenDir(u));
        if (group != null) {
          group.forEach(g -> progress.accept(g.getUri()));
          fetchMaven(group, sandbox);
        }
      } else {
        progress.accept(u.getUri());
        fetchOne(u, sandbox);
      }
    }
  }

  private void fetchOne(FetchUri u, Path sandbox) throws FetchException, InterruptedException {
    try {
      String problem = problem(u);
      if (problem != null) {
        throw new FetchException(problem);
      }
      if (scheme(u.getUri()).equals("data")) {
        Path target = DestPath.file(sandbox, u.getDestPath(), "");
        Files.createDirectories(target.getParent());
        Files.write(target, dataBytes(u.getUri()));
        if (u.getExecutable()) {
          makeExecutable(target);
        }
        return;
      }
      URI uri = new URI(u.getUri());
      Path target = DestPath.file(sandbox, u.getDestPath(), fileName(uri));
      long started = System.nanoTime();
      if (u.getCache()) {
        cache.fetch(uri, target);
      } else {
        downloader.download(uri, target);
      }
      if (u.getExecutable()) {
        makeExecutable(target);
      } else if (u.getExtract() && Archives.isArchive(target.getFileName().toString())) {
        Archives.extract(target, target.getParent());
      }
      log.info("fetched {} into {} in {} ms", Downloader.withoutFragment(uri), target,
          (System.nanoTime() - started) / 1_000_000);
    } catch (FetchException e) {
      throw new FetchException("fetch of " + u.getUri() + " failed: " + e.getMessage(), e);
    } catch (URISyntaxException | IOException e) {
      throw new FetchException("fetch of " + u.getUri() + " failed: " + e.getMessage(), e);
    }
  }

  private void fetchMaven(List<FetchUri> group, Path sandbox) throws FetchException, InterruptedException {
    List<String> names = group.stream().map(FetchUri::getUri).toList();
    try {
      Path dir = DestPath.directory(sandbox, group.get(0).getDestPath(), DEFAULT_MAVEN_DIR);
      List<String> coordinates = names.stream().map(Fetcher::coordinates).toList();
      List<Path> files = maven().resolve(coordinates, dir);
      for (FetchUri u : group) {
        Path root = rootFile(files, coordinates(u.getUri()));
        if (root != null && u.getExecutable()) {
          makeExecutable(root);
        } else if (root != null && u.getExtract() && Archives.isArchive(root.getFileName().toString())) {
          Archives.extract(root, dir);
        }
      }
      log.info("resolved {} into {}: {} file(s)", names, dir, files.size());
    } catch (FetchException | IOException e) {
      throw new FetchException("fetch of " + String.join(", ", names) + " failed: " + e.getMessage(), e);
    }
  }

  /** The directory a maven URI's jars go to, as a grouping key: "", "lib" and "lib/" are one. */
  private static String mavenDir(FetchUri u) {
    String dest = u.getDestPath().isEmpty() ? DEFAULT_MAVEN_DIR : u.getDestPath();
    return Path.of(dest).normalize().toString();
  }

  /** The file of the artifact a maven URI names (not one of its dependencies); null if not found. */
  private static Path rootFile(List<Path> files, String coordinates) {
    String[] parts = coordinates.split(":");
    String artifactId = parts[1];
    String version = parts[parts.length - 1];
    String extension = parts.length >= 4 ? parts[2] : "jar";
    String classifier = parts.length == 5 ? "-" + parts[3] : "";
    String name = artifactId + "-" + version + classifier + "." + extension;
    for (Path f : files) {
      if (f.getFileName().toString().endsWith(name)) {
        return f;
      }
    }
    return null;
  }

  private static void makeExecutable(Path file) throws IOException {
    Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(file));
    perms.addAll(List.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_EXECUTE));
    Files.setPosixFilePermissions(file, perms);
  }

  private static String scheme(String uri) {
    int colon = uri.indexOf(':');
    return colon <= 0 ? "" : uri.substring(0, colon).toLowerCase(Locale.ROOT);
  }

  /** The bytes a data: URI carries: base64 with {@code ;base64}, else percent-encoded text. */
  static byte[] dataBytes(String dataUri) {
    int comma = dataUri.indexOf(',');
    if (comma < 0) {
      throw new IllegalArgumentException("no ',' before the payload");
    }
    String header = dataUri.substring("data:".length(), comma);
    String payload = dataUri.substring(comma + 1);
    if (header.endsWith(";base64")) {
      return java.util.Base64.getDecoder().decode(payload);
    }
    return java.net.URLDecoder.decode(payload.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8)
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String coordinates(String mavenUri) {
    String rest = mavenUri.substring("maven:".length());
    return rest.startsWith("//") ? rest.substring(2) : rest;
  }

  /** The last path segment, decoded; empty when the path ends with "/". */
  private static String fileName(URI uri) {
    String path = uri.getPath() == null ? "" : uri.getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private synchronized MavenArtifacts maven() {
    if (maven == null) {
      maven = new MavenArtifacts(config.mavenRepositories(), config.mavenLocalRepository(workDir));
    }
    return maven;
  }

  @Override
  public void close() {
    cacheDownloads.shutdownNow();
    images.close();
    synchronized (this) {
      if (maven != null) {
        maven.close();
      }
    }
  }
}
