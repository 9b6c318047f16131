package dev.corral.agent.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.corral.api.v1.FetchUri;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * maven:// fetches against a file:// repository the test lays out: transitive dependencies land flat in
 * lib/, a class runs with {@code java -cp 'lib/*'}, versions are mediated, and failures say what is missing.
 */
class MavenFetchTest {
  @TempDir
  Path tmp;
  MavenTestRepo repo;
  Fetcher fetcher;
  Path sandbox;

  @BeforeEach
  void setUp() throws Exception {
    repo = new MavenTestRepo(Files.createDirectories(tmp.resolve("remote")));
    Path util1 = repo.publish("org.example", "util", "1.0",
        Map.of("example.util.Util", "package example.util; public class Util {"
            + " public static String hello() { return \"hello from util 1.0\"; } }"), List.of(), List.of());
    repo.publish("org.example", "util", "2.0",
        Map.of("example.util.Util", "package example.util; public class Util {"
            + " public static String hello() { return \"hello from util 2.0\"; } }"), List.of(), List.of());
    repo.publish("org.example", "greeter", "1.0",
        Map.of("example.Main", "package example; public class Main { public static void main(String[] a) {"
            + " System.out.println(example.util.Util.hello()); } }"),
        List.of(util1), List.of("org.example:util:1.0"));
    repo.publish("org.example", "other", "3.1", Map.of("example.other.Other", "package example.other;"
        + " public class Other {}"), List.of(), List.of("org.example:util:2.0"));
    FetcherConfig config = FetcherConfig.defaults().withMavenRepositories(repo.url())
        .withMavenLocalRepository(tmp.resolve("local"));
    fetcher = new Fetcher(config, tmp.resolve("agent"), Clock.systemUTC());
    sandbox = Files.createDirectories(tmp.resolve("sandbox"));
  }

  @AfterEach
  void tearDown() {
    fetcher.close();
  }

  @Test
  void anArtifactAndItsDependencyLandInLibAndRunWithAWildcardClasspath() throws Exception {
    fetcher.fetchAll(List.of(maven("org.example:greeter:1.0")), sandbox, u -> { });

    assertThat(lib()).containsExactlyInAnyOrder("greeter-1.0.jar", "util-1.0.jar");
    Process java = new ProcessBuilder("bash", "-c", javaBin() + " -cp 'lib/*' example.Main")
        .directory(sandbox.toFile()).redirectErrorStream(true).start();
    String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(java.waitFor()).as(out).isZero();
    assertThat(out).isEqualTo("hello from util 1.0\n");
    assertThat(tmp.resolve("local/org/example/util/1.0/util-1.0.jar")).as("kept in the local repository").exists();
  }

  @Test
  void aPomWithAJdkActivatedProfileKeepsItsDependencies() throws Exception {
    repo.addJdkProfile("org.example", "greeter", "1.0");
    fetcher.fetchAll(List.of(maven("org.example:greeter:1.0")), sandbox, u -> { });
    assertThat(lib()).containsExactlyInAnyOrder("greeter-1.0.jar", "util-1.0.jar");
  }

  @Test
  void urisWithOneDestPathAreResolvedTogetherSoOneVersionOfALibraryWins() throws Exception {
    fetcher.fetchAll(List.of(maven("org.example:greeter:1.0"), maven("org.example:other:3.1")), sandbox, u -> { });
    // both need util, at 1.0 and 2.0, at the same depth: Maven's mediation keeps the first one declared
    assertThat(lib()).containsExactlyInAnyOrder("greeter-1.0.jar", "other-3.1.jar", "util-1.0.jar");
  }

  @Test
  void aDestPathGetsItsOwnResolution() throws Exception {
    fetcher.fetchAll(List.of(maven("org.example:greeter:1.0"),
        maven("org.example:other:3.1").toBuilder().setDestPath("tools").build()), sandbox, u -> { });
    assertThat(lib()).containsExactlyInAnyOrder("greeter-1.0.jar", "util-1.0.jar");
    try (Stream<Path> files = Files.list(sandbox.resolve("tools"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("other-3.1.jar", "util-2.0.jar");
    }
  }

  @Test
  void aMissingArtifactFailsNamingItAndTheRepository() {
    assertThatThrownBy(() -> fetcher.fetchAll(List.of(maven("org.example:nope:9.9")), sandbox, u -> { }))
        .isInstanceOf(FetchException.class)
        .hasMessageStartingWith("fetch of maven://org.example:nope:9.9 failed: could not find artifact"
            + " org.example:nope:jar:9.9 in central (" + repo.url().replaceAll("/$", ""));
  }

  @Test
  void fromAnHttpRepositoryAChecksumMismatchFails() throws Exception {
    Path jar = tmp.resolve("remote/org/example/util/2.0/util-2.0.jar");
    Files.writeString(jar.resolveSibling("util-2.0.jar.sha1"), "0".repeat(40));
    try (FileServer http = new FileServer().putTree("/maven2/", tmp.resolve("remote"))) {
      FetcherConfig config = FetcherConfig.defaults().withMavenRepositories(http.url("/maven2"))
          .withMavenLocalRepository(tmp.resolve("local-http"));
      try (Fetcher overHttp = new Fetcher(config, tmp.resolve("agent-http"), Clock.systemUTC())) {
        assertThatThrownBy(() -> overHttp.fetchAll(List.of(maven("org.example:other:3.1")), sandbox, u -> { }))
            .hasMessageContaining("fetch of maven://org.example:other:3.1 failed:")
            .hasMessageContaining("hecksum");
        Path ok = Files.createDirectories(tmp.resolve("ok"));
        overHttp.fetchAll(List.of(maven("org.example:greeter:1.0")), ok, u -> { });
        assertThat(ok.resolve("lib/util-1.0.jar")).exists();
      }
    }
  }

  @Test
  void aFileRepositoryWithoutChecksumFilesIsFine() throws Exception {
    try (Stream<Path> walk = Files.walk(tmp.resolve("remote"))) {
      for (Path sha1 : walk.filter(p -> p.toString().endsWith(".sha1")).toList()) {
        Files.delete(sha1);
      }
    }
    fetcher.fetchAll(List.of(maven("org.example:greeter:1.0")), sandbox, u -> { });
    assertThat(lib()).containsExactlyInAnyOrder("greeter-1.0.jar", "util-1.0.jar");
  }

  @Test
  void concurrentResolutionsOfTheSameArtifactsAllSucceed() throws Exception {
    List<CompletableFuture<List<String>>> all = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Path box = Files.createDirectories(tmp.resolve("box" + i));
      all.add(CompletableFuture.supplyAsync(() -> {
        try {
          fetcher.fetchAll(List.of(maven("org.example:greeter:1.0")), box, u -> { });
          try (Stream<Path> files = Files.list(box.resolve("lib"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (CompletableFuture<List<String>> f : all) {
      assertThat(f.get(60, TimeUnit.SECONDS)).containsExactly("greeter-1.0.jar", "util-1.0.jar");
    }
  }

  private List<String> lib() throws Exception {
    try (Stream<Path> files = Files.list(sandbox.resolve("lib"))) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }

  private static FetchUri maven(String coordinates) {
    return FetchUri.newBuilder().setUri("maven://" + coordinates).setExtract(true).build();
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
