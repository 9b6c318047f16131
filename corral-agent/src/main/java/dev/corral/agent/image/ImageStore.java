package dev.corral.agent.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.common.Json;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's images: pulls a reference with {@code skopeo copy} (from a registry, or from a {@code docker
 * save} tarball in the image directory) into a scratch OCI layout, unpacks it with {@code umoci unpack}
 * into a root filesystem cached by manifest digest, and remembers which digest each reference gave.
 *
 * <p>Layout under {@code WORK_DIR/images}: {@code rootfs/HEX/} (umoci's bundle: {@code rootfs/}, plus
 * {@code image.json}, {@code size}, {@code last-used} and {@code users/}), {@code tags/REF} (the digest a
 * reference gave), {@code tmp/} (scratch layouts, removed after each pull).
 *
 * <p>Pulls run on the store's own threads: a caller waits (interruptibly) for its result, and concurrent
 * pulls of one reference are one pull. After each pull the cache is trimmed to its size bound, least
 * recently used first, never an entry a container uses ({@link ImageUse}).
 *
 * <p>Thread-safe. Blocking; for the agent's fetch threads, never its event loop.
 */
public final class ImageStore implements AutoCloseable {
  static final String CONFIG_FILE = "image.json";
  private static final String SIZE_FILE = "size";
  private static final String OCI_TAG = "image";
  private static final Logger log = LoggerFactory.getLogger(ImageStore.class);

  private final ImagesConfig config;
  private final Path root;
  private final Clock clock;
  private final boolean rootless;
  private final ExecutorService pulls;
  private final Map<String, CompletableFuture<Image>> inflight = new ConcurrentHashMap<>();
  private final AtomicInteger pullsStarted = new AtomicInteger();

  /** @param root the cache directory, {@code WORK_DIR/images} */
  public ImageStore(ImagesConfig config, Path root, Clock clock, boolean rootless) {
    this.config = config;
    this.root = root;
    this.clock = clock;
    this.rootless = rootless;
    AtomicInteger n = new AtomicInteger();
    this.pulls = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "agent-image-pull-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Why images cannot be pulled on this host (skopeo or umoci missing), or null when they can. */
  public static String problem() {
    if (ImageTools.find("skopeo") == null) {
      return "skopeo is not installed (apt-get install skopeo)";
    }
    return ImageTools.find("umoci") == null ? "umoci is not installed (apt-get install umoci)" : null;
  }

  /** How many pulls (registry or tarball) this store has started; joined and cached ones do not count. */
  public int pullsStarted() {
    return pullsStarted.get();
  }

  /**
   * The image {@code reference} names: the cached one unless {@code force}, else pulled now.
   *
   * @throws ImageException with "pull of REF failed: why" as its message
   */
  public Image pull(String reference, boolean force) throws ImageException, InterruptedException {
    return pull(reference, force, null);
  }

  /**
   * As {@link #pull(String, boolean)}, with the task's own registry credentials (a Docker config.json,
   * Marathon's pullConfig) instead of the agent's {@code --registry-auth-file}; null for the agent's. A cached
   * image is used without them, as by any task that names it (Kubernetes' image cache behaves alike), so
   * {@code force} a pull where the registry must check every task's credentials.
   */
  public Image pull(String reference, boolean force, byte[] credentials) throws ImageException, InterruptedException {
    ImageRef ref;
    try {
      ref = ImageRef.parse(reference);
    } catch (ImageException e) {
      throw new ImageException("pull of " + reference + " failed: " + e.getMessage());
    }
    String key = ref.toString();
    if (!force) {
      Image cached = cached(key, reference);
      if (cached != null) {
        return cached;
      }
    }
    // pulls with different credentials are not one pull: one may be refused where the other is not
    String pullKey = credentials == null ? key : key + " " + Integer.toHexString(java.util.Arrays.hashCode(credentials));
    CompletableFuture<Image> mine = new CompletableFuture<>();
    CompletableFuture<Image> running = inflight.putIfAbsent(pullKey, mine);
    if (running == null) {
      running = mine;
      pulls.execute(() -> {
        Image pulled = null;
        Throwable failure = null;
        try {
          pulled = pullNow(ref, reference, credentials);
        } catch (Throwable t) {
          failure = t;
        }
        // out of the map before anyone wakes: a caller that asks again at once (a forced pull) starts a new pull
        inflight.remove(pullKey, mine);
        if (failure != null) {
          mine.completeExceptionally(failure);
        } else {
          mine.complete(pulled);
        }
      });
    }
    try {
      return running.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String why = cause instanceof ImageException ? cause.getMessage() : String.valueOf(cause);
      throw new ImageException("pull of " + reference + " failed: " + why);
    }
  }

  private Image cached(String key, String reference) throws ImageException {
    try {
      Path tag = tagFile(key);
      if (!Files.exists(tag)) {
        return null;
      }
      String digest = Files.readString(tag).strip();
      Path dir = entry(digest);
      if (!Files.exists(dir.resolve(CONFIG_FILE))) {
        return null;
      }
      synchronized (ImageUse.LOCK) {
        if (!Files.isDirectory(dir)) {
          return null;
        }
        ImageUse.touch(dir, clock.instant());
      }
      return load(reference, digest, dir);
    } catch (IOException e) {
      throw new ImageException("cannot read the image cache: " + e.getMessage());
    }
  }

  private Image pullNow(ImageRef ref, String reference, byte[] credentials)
      throws ImageException, InterruptedException, IOException {
    pullsStarted.incrementAndGet();
    long started = System.nanoTime();
    Path scratch = root.resolve("tmp").resolve(UUID.randomUUID().toString());
    Files.createDirectories(scratch);
    try {
      Path layout = scratch.resolve("layout");
      Path authFile = config.authFile();
      if (credentials != null) {
        // only root reads it, and it goes with the scratch directory
        authFile = Files.write(Files.createFile(scratch.resolve("auth.json"), java.nio.file.attribute
            .PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))),
            credentials);
      }
      copy(ref, layout, scratch, authFile);
      JsonNode index = Json.mapper().readTree(layout.resolve("index.json").toFile());
      String digest = index.path("manifests").path(0).path("digest").asText("");
      if (!digest.startsWith("sha256:")) {
        throw new ImageException("the image has no sha256 manifest");
      }
      Path dir = entry(digest);
      if (!Files.exists(dir.resolve(CONFIG_FILE))) {
        unpack(layout, digest, scratch, dir);
      }
      synchronized (ImageUse.LOCK) {
        ImageUse.touch(dir, clock.instant());
      }
      Path tag = tagFile(ref.toString());
      Files.createDirectories(tag.getParent());
      Path tmpTag = scratch.resolve("tag");
      Files.writeString(tmpTag, digest + "\n");
      Files.move(tmpTag, tag, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      log.info("pulled {} ({}) in {} ms", reference, digest, (System.nanoTime() - started) / 1_000_000);
      collectGarbage(dir);
      return load(reference, digest, dir);
    } finally {
      deleteTree(scratch);
    }
  }

  /** skopeo copy from the image directory's tarball, else the reference's registry (or each --registries). */
  private void copy(ImageRef ref, Path layout, Path scratch, Path authFile) throws ImageException, InterruptedException {
    String dest = "oci:" + layout + ":" + OCI_TAG;
    Path tarball = tarball(ref);
    if (tarball != null) {
      // skopeo reads "docker-archive:PATH:REF", so the ':' of NAME:TAG.tar must not reach it
      Path link = scratch.resolve("archive.tar");
      try {
        Files.createSymbolicLink(link, tarball);
      } catch (IOException e) {
        throw new ImageException("cannot read " + tarball + ": " + e.getMessage());
      }
      ImageTools.run(List.of(tool("skopeo"), "--insecure-policy", "copy", "docker-archive:" + link, dest), scratch);
      return;
    }
    List<String> registries = !ref.registry().isEmpty() ? List.of(ref.registry()) : config.registries();
    if (registries.isEmpty()) {
      throw new ImageException("the reference names no registry and the agent has none configured"
          + " (--registries)" + (config.imageDir() == null ? "" : " nor a tarball in " + config.imageDir()));
    }
    ImageException last = null;
    for (String registry : registries) {
      List<String> argv = new ArrayList<>(List.of(tool("skopeo"), "--insecure-policy", "copy"));
      if (config.insecureRegistries().contains(registry)) {
        argv.add("--src-tls-verify=false");
      }
      if (authFile != null) {
        argv.add("--src-authfile=" + authFile);
      }
      argv.add("docker://" + ref.withRegistry(registry));
      argv.add(dest);
      try {
        ImageTools.run(argv, scratch);
        return;
      } catch (ImageException e) {
        last = registries.size() == 1 ? e : new ImageException(registry + ": " + e.getMessage());
      }
    }
    throw last;
  }

  /** {@code DIR/NAME:TAG.tar}, else {@code DIR/NAME.tar} (for the tag {@code latest} only), else null. */
  private Path tarball(ImageRef ref) {
    if (config.imageDir() == null) {
      return null;
    }
    Path exact = config.imageDir().resolve(ref.path() + ".tar");
    if (Files.isRegularFile(exact)) {
      return exact;
    }
    Path plain = config.imageDir().resolve(ref.name() + ".tar");
    return ref.tag().equals("latest") && Files.isRegularFile(plain) ? plain : null;
  }

  private void unpack(Path layout, String digest, Path scratch, Path dir)
      throws ImageException, InterruptedException, IOException {
    Path bundle = scratch.resolve("bundle");
    List<String> argv = new ArrayList<>(List.of(tool("umoci"), "unpack"));
    if (rootless) {
      argv.add("--rootless");
    }
    argv.addAll(List.of("--image", layout + ":" + OCI_TAG, bundle.toString()));
    ImageTools.run(argv, scratch);
    Files.write(bundle.resolve(CONFIG_FILE), configBlob(layout, digest));
    Files.writeString(bundle.resolve(SIZE_FILE), Long.toString(sizeOf(bundle.resolve("rootfs"))));
    Files.createDirectories(bundle.resolve(ImageUse.USERS));
    Files.createDirectories(dir.getParent());
    try {
      Files.move(bundle, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
      log.debug("image {} was unpacked meanwhile by another pull", digest);
    }
  }

  private static byte[] configBlob(Path layout, String manifestDigest) throws IOException, ImageException {
    JsonNode manifest = Json.mapper().readTree(blob(layout, manifestDigest).toFile());
    String configDigest = manifest.path("config").path("digest").asText("");
    if (configDigest.isEmpty()) {
      throw new ImageException("the image manifest names no config");
    }
    return Files.readAllBytes(blob(layout, configDigest));
  }

  private static Path blob(Path layout, String digest) {
    int colon = digest.indexOf(':');
    return layout.resolve("blobs").resolve(digest.substring(0, colon)).resolve(digest.substring(colon + 1));
  }

  /**
   * Removes the least recently used entries no container uses until the cache fits its bound; never
   * {@code keep}, the one just pulled.
   */
  void collectGarbage(Path keep) throws IOException {
    Path entries = root.resolve("rootfs");
    if (!Files.isDirectory(entries)) {
      return;
    }
    synchronized (ImageUse.LOCK) {
      record Entry(Path dir, long size, long lastUsed) {}
      List<Entry> all = new ArrayList<>();
      long total = 0;
      try (var s = Files.list(entries)) {
        for (Path dir : s.toList()) {
          long size = readSize(dir);
          Path used = dir.resolve(ImageUse.LAST_USED);
          long last = Files.exists(used) ? Files.getLastModifiedTime(used).toMillis() : 0;
          all.add(new Entry(dir, size, last));
          total += size;
        }
      }
      all.sort(Comparator.comparingLong(Entry::lastUsed));
      for (Entry e : all) {
        if (total <= config.cacheSizeBytes()) {
          break;
        }
        if (e.dir().equals(keep) || ImageUse.inUse(e.dir())) {
          continue;
        }
        log.info("removing cached image {} ({} bytes, least recently used)", e.dir().getFileName(), e.size());
        deleteTree(e.dir());
        total -= e.size();
      }
    }
  }

  private static long readSize(Path dir) {
    try {
      return Long.parseLong(Files.readString(dir.resolve(SIZE_FILE)).strip());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  private Image load(String reference, String digest, Path dir) throws IOException {
    JsonNode json = Json.mapper().readTree(dir.resolve(CONFIG_FILE).toFile());
    return new Image(reference, digest, dir, ImageConfig.of(json));
  }

  private Path entry(String digest) {
    return root.resolve("rootfs").resolve(digest.substring(digest.indexOf(':') + 1));
  }

  /** One file per reference; '/' and ':' are kept apart from path syntax by encoding them. */
  private Path tagFile(String key) {
    return root.resolve("tags").resolve(key.replace("%", "%25").replace("/", "%2F").replace(":", "%3A"));
  }

  private static String tool(String name) throws ImageException {
    String path = ImageTools.find(name);
    if (path == null) {
      throw new ImageException(name + " is not installed on this agent");
    }
    return path;
  }

  private static long sizeOf(Path dir) throws IOException {
    long[] total = {0};
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        total[0] += attrs.isRegularFile() ? attrs.size() : 0;
        return FileVisitResult.CONTINUE;
      }
    });
    return total[0];
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  @Override
  public void close() {
    pulls.shutdownNow();
  }

}
