package dev.corral.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls from a real local registry and tarballs, unpacks with umoci; needs skopeo, umoci, docker-registry, busybox. */
class ImageStoreTest {
  @TempDir static Path shared;
  static TestRegistry registry;
  static Path layout;
  @TempDir Path work;

  @BeforeAll
  static void startRegistry() throws Exception {
    String missing = TestRegistry.missing();
    Assumptions.assumeTrue(missing == null, missing);
    registry = TestRegistry.start(shared.resolve("registry"));
    layout = TestRegistry.buildTinyLayout(shared.resolve("build"));
    registry.push(layout, "tiny:1");
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  private ImageStore store(ImagesConfig config) {
    return new ImageStore(config, work.resolve("images"), Clock.systemUTC(), false);
  }

  private ImagesConfig insecure() {
    return ImagesConfig.defaults().withInsecureRegistries(List.of(registry.host()));
  }

  @Test
  void pullUnpacksTheImageAndReadsItsConfig() throws Exception {
    try (ImageStore store = store(insecure())) {
      Image image = store.pull(registry.host() + "/tiny:1", false);
      assertThat(image.digest()).startsWith("sha256:");
      assertThat(Files.readString(image.rootfs().resolve("etc/os-release"))).isEqualTo(TestRegistry.OS_RELEASE);
      assertThat(image.rootfs().resolve("bin/busybox")).isRegularFile();
      assertThat(image.config().cmd()).containsExactly("cat", "/etc/os-release");
      assertThat(image.config().env()).containsEntry("FROM_IMAGE", "yes");
      // cached: a second pull does not reach the registry, a forced one does
      store.pull(registry.host() + "/tiny:1", false);
      assertThat(store.pullsStarted()).isEqualTo(1);
      assertThat(store.pull(registry.host() + "/tiny:1", true).digest()).isEqualTo(image.digest());
      assertThat(store.pullsStarted()).isEqualTo(2);
    }
  }

  @Test
  void concurrentPullsOfOneImageAreOnePull() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (ImageStore store = store(insecure())) {
      List<Future<Image>> pulls = List.of(pool.submit(() -> store.pull(registry.host() + "/tiny:1", false)),
          pool.submit(() -> store.pull(registry.host() + "/tiny:1", false)),
          pool.submit(() -> store.pull(registry.host() + "/tiny:1", false)));
      for (Future<Image> f : pulls) {
        assertThat(f.get().rootfs().resolve("bin/busybox")).isRegularFile();
      }
      assertThat(store.pullsStarted()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void failuresSayWhatWentWrong() throws Exception {
    try (ImageStore store = store(insecure())) {
      assertThatThrownBy(() -> store.pull(registry.host() + "/nope:1", false))
          .hasMessageStartingWith("pull of " + registry.host() + "/nope:1 failed: ")
          .hasMessageContaining("manifest unknown");
      assertThatThrownBy(() -> store.pull("tiny:1", false))
          .hasMessage("pull of tiny:1 failed: the reference names no registry and the agent has none configured"
              + " (--registries)");
      assertThatThrownBy(() -> store.pull("Bad Name", false)).hasMessageContaining("is not an image reference");
    }
    // without --insecure-registries skopeo speaks TLS to a plain-HTTP registry
    try (ImageStore store = store(ImagesConfig.defaults())) {
      assertThatThrownBy(() -> store.pull(registry.host() + "/tiny:1", false))
          .hasMessageStartingWith("pull of " + registry.host() + "/tiny:1 failed: ");
    }
  }

  @Test
  void unqualifiedNamesResolveAgainstConfiguredRegistries() throws Exception {
    try (ImageStore store = store(insecure().withRegistries(List.of(registry.host())))) {
      assertThat(store.pull("tiny:1", false).rootfs().resolve("etc/os-release")).isRegularFile();
    }
  }

  @Test
  void tarballsInTheImageDirAreLoadedAndACorruptOneFailsClearly() throws Exception {
    Path dir = Files.createDirectories(work.resolve("tarballs"));
    TestRegistry.saveTarball(layout, dir.resolve("saved.tar"), "local:2");
    Files.move(dir.resolve("saved.tar"), dir.resolve("local:2.tar"));
    Files.writeString(dir.resolve("corrupt:1.tar"), "not a tarball");
    try (ImageStore store = store(ImagesConfig.defaults().withImageDir(dir))) {
      assertThat(Files.readString(store.pull("local:2", false).rootfs().resolve("etc/os-release")))
          .isEqualTo(TestRegistry.OS_RELEASE);
      assertThatThrownBy(() -> store.pull("corrupt:1", false)).hasMessageStartingWith("pull of corrupt:1 failed: ");
    }
  }

  @Test
  void garbageCollectionRemovesTheLeastRecentlyUsedUnusedImages() throws Exception {
    registry.push(layout, "other:1");
    // a different digest: the same layers under another config
    try (ImageStore store = store(insecure().withCacheSizeBytes(1))) {
      Image first = store.pull(registry.host() + "/tiny:1", false);
      ImageUse.acquire(first, "task-a", Clock.systemUTC().instant());
      Path tarDir = Files.createDirectories(work.resolve("t"));
      Path build = TestRegistry.buildTinyLayout(work.resolve("b2"));
      TestRegistry.run(ImageTools.find("umoci"), "config", "--image", build + ":tiny", "--config.env", "X=2");
      registry.push(build, "changed:1");
      Image second = store.pull(registry.host() + "/changed:1", false);
      assertThat(second.digest()).isNotEqualTo(first.digest());
      assertThat(first.rootfs()).as("in use: kept although over the bound").isDirectory();
      ImageUse.release(first.dir(), "task-a");
      Image third = store.pull(registry.host() + "/tiny:1", true);
      assertThat(third.rootfs()).as("just pulled: kept").isDirectory();
      assertThat(second.dir()).as("unused and least recently used: removed").doesNotExist();
      assertThat(tarDir).exists();
    }
  }
}
