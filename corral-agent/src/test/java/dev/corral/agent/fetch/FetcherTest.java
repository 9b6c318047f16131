package dev.corral.agent.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.corral.api.v1.FetchUri;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** http and file fetches against a real local HTTP server, with archives, modes, destPath and the cache. */
class FetcherTest {
  private static final byte[] HELLO = "hello\n".getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path tmp;
  FileServer server;
  Fetcher fetcher;
  Path sandbox;

  @BeforeEach
  void setUp() throws Exception {
    server = new FileServer();
    fetcher = new Fetcher(FetcherConfig.defaults(), tmp.resolve("agent"), Clock.systemUTC());
    sandbox = Files.createDirectories(tmp.resolve("sandbox"));
  }

  @AfterEach
  void tearDown() {
    fetcher.close();
    server.close();
  }

  @Test
  void httpFetchSavesTheFileUnderItsNameAndReportsProgress() throws Exception {
    server.put("/files/hello.txt", HELLO);
    List<String> progress = new ArrayList<>();
    fetcher.fetchAll(List.of(uri(server.url("/files/hello.txt"))), sandbox, progress::add);
    assertThat(sandbox.resolve("hello.txt")).hasBinaryContent(HELLO);
    assertThat(progress).containsExactly(server.url("/files/hello.txt"));
  }

  @Test
  void redirectsAreFollowed() throws Exception {
    server.put("/real.txt", HELLO).redirect("/moved.txt", server.url("/real.txt"));
    fetcher.fetchAll(List.of(uri(server.url("/moved.txt"))), sandbox, u -> { });
    assertThat(sandbox.resolve("moved.txt")).hasBinaryContent(HELLO);
  }

  @Test
  void notFoundFailsWithTheStatusAndLeavesNothing() {
    String url = server.url("/missing.txt");
    assertThatThrownBy(() -> fetcher.fetchAll(List.of(uri(url)), sandbox, u -> { }))
        .isInstanceOf(FetchException.class)
        .hasMessage("fetch of " + url + " failed: 404 Not Found");
    assertThat(sandbox).isEmptyDirectory();
  }

  @Test
  void aSha256FragmentIsVerified() throws Exception {
    server.put("/hello.txt", HELLO);
    String good = HexFormat.of().formatHex(Downloader.sha256().digest(HELLO));
    fetcher.fetchAll(List.of(uri(server.url("/hello.txt#sha256=" + good))), sandbox, u -> { });
    assertThat(sandbox.resolve("hello.txt")).hasBinaryContent(HELLO);

    String bad = "0".repeat(64);
    Path other = Files.createDirectories(tmp.resolve("other"));
    assertThatThrownBy(() -> fetcher.fetchAll(List.of(uri(server.url("/hello.txt#sha256=" + bad))), other, u -> { }))
        .hasMessageContaining("failed: sha256 mismatch: expected " + bad + ", got " + good);
    assertThat(other).isEmptyDirectory();
  }

  @Test
  void fileUrisAreCopied() throws Exception {
    Path source = Files.writeString(tmp.resolve("app.conf"), "x=1");
    fetcher.fetchAll(List.of(uri(source.toUri().toString())), sandbox, u -> { });
    assertThat(sandbox.resolve("app.conf")).hasContent("x=1");
    assertThatThrownBy(() -> fetcher.fetchAll(List.of(uri(tmp.resolve("nope").toUri().toString())), sandbox, u -> { }))
        .hasMessageContaining("failed: no such file");
  }

  @Test
  void tarGzAndZipAreExtractedBesideTheArchive() throws Exception {
    Path content = Files.createDirectories(tmp.resolve("content/dist/bin"));
    Path script = Files.writeString(content.resolve("run.sh"), "#!/bin/sh\necho hi\n");
    script.toFile().setExecutable(true);
    Path tgz = tmp.resolve("dist.tgz");
    Process tar = new ProcessBuilder("tar", "-czf", tgz.toString(), "-C", tmp.resolve("content").toString(), "dist")
        .inheritIO().start();
    assertThat(tar.waitFor()).isZero();
    server.put("/dist.tar.gz", Files.readAllBytes(tgz)).put("/conf.zip", zip("conf/a.properties", "a=1"));

    fetcher.fetchAll(List.of(uri(server.url("/dist.tar.gz")), uri(server.url("/conf.zip"))), sandbox, u -> { });

    assertThat(sandbox.resolve("dist/bin/run.sh")).hasContent("#!/bin/sh\necho hi");
    assertThat(Files.isExecutable(sandbox.resolve("dist/bin/run.sh"))).as("tar keeps modes").isTrue();
    assertThat(sandbox.resolve("conf/a.properties")).hasContent("a=1");
    assertThat(sandbox.resolve("dist.tar.gz")).exists(); // kept, as Mesos does
  }

  @Test
  void extractFalseKeepsTheArchiveAsItIs() throws Exception {
    server.put("/conf.zip", zip("conf/a.properties", "a=1"));
    fetcher.fetchAll(List.of(uri(server.url("/conf.zip")).toBuilder().setExtract(false).build()), sandbox, u -> { });
    assertThat(sandbox.resolve("conf.zip")).exists();
    assertThat(sandbox.resolve("conf")).doesNotExist();
  }

  @Test
  void aZipCannotWriteOutsideTheSandbox() throws Exception {
    server.put("/evil.zip", zip("../escaped.txt", "x"));
    assertThatThrownBy(() -> fetcher.fetchAll(List.of(uri(server.url("/evil.zip"))), sandbox, u -> { }))
        .hasMessageContaining("would land outside");
    assertThat(tmp.resolve("escaped.txt")).doesNotExist();
  }

  @Test
  void executableSetsTheExecuteBits() throws Exception {
    server.put("/tool", "#!/bin/sh\necho tool\n".getBytes(StandardCharsets.UTF_8));
    fetcher.fetchAll(List.of(uri(server.url("/tool")).toBuilder().setExecutable(true).build()), sandbox, u -> { });
    Process p = new ProcessBuilder(sandbox.resolve("tool").toString()).start();
    assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("tool\n");
  }

  @Test
  void destPathNamesTheFileOrWithATrailingSlashTheDirectory() throws Exception {
    server.put("/hello.txt", HELLO).put("/conf.zip", zip("a.properties", "a=1"));
    fetcher.fetchAll(List.of(
        uri(server.url("/hello.txt")).toBuilder().setDestPath("etc/greeting").build(),
        uri(server.url("/conf.zip")).toBuilder().setDestPath("config/").build()), sandbox, u -> { });
    assertThat(sandbox.resolve("etc/greeting")).hasBinaryContent(HELLO);
    assertThat(sandbox.resolve("config/conf.zip")).exists();
    assertThat(sandbox.resolve("config/a.properties")).hasContent("a=1");
  }

  @Test
  void dataUrisAreWrittenToTheirDestPath() throws Exception {
    String pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    fetcher.fetchAll(List.of(
        uri("data:application/x-pem-file;base64," + java.util.Base64.getEncoder().encodeToString(
            pem.getBytes(StandardCharsets.UTF_8))).toBuilder().setDestPath(".corral/ca.crt").build(),
        uri("data:,hello%20there%0A").toBuilder().setDestPath("greeting").build()), sandbox, u -> { });
    assertThat(sandbox.resolve(".corral/ca.crt")).hasContent(pem);
    assertThat(sandbox.resolve("greeting")).hasContent("hello there\n");
    assertThat(Fetcher.problem(uri("data:,x"))).contains("give destPath");
    assertThat(Fetcher.problem(uri("data:;base64,@@@").toBuilder().setDestPath("f").build())).contains("not a data: URI");
    assertThat(Fetcher.problem(uri("data:,x").toBuilder().setDestPath("../f").build())).contains("'..'");
  }

  @Test
  void badUrisAndDestPathsAreRefusedBeforeAnythingIsFetched() {
    assertThat(Fetcher.problem(uri("hdfs://nn/x"))).isEqualTo("unsupported scheme 'hdfs' (http, https, file, maven, data)");
    assertThat(Fetcher.problem(uri("http://h/x").toBuilder().setDestPath("../x").build())).contains("'..'");
    assertThat(Fetcher.problem(uri("http://h/x").toBuilder().setDestPath("/etc/x").build())).contains("relative");
    assertThat(Fetcher.problem(uri("maven://only-two:parts"))).contains("bad coordinates");
    assertThat(Fetcher.problem(uri("http://h/x#sha256=abc"))).contains("64 hex digits");
    assertThat(Fetcher.problem(uri("http://h/dir/"))).contains("give destPath");
    assertThat(Fetcher.problem(uri("maven://g:a:1.0"))).isNull();
    assertThatThrownBy(() -> fetcher.fetchAll(List.of(uri("ftp://h/x")), sandbox, u -> { }))
        .hasMessage("fetch of ftp://h/x failed: unsupported scheme 'ftp' (http, https, file, maven, data)");
  }

  @Test
  void fiveConcurrentCachedFetchesOfOneUriDownloadItOnce() throws Exception {
    byte[] big = new byte[256 * 1024];
    new java.util.Random(7).nextBytes(big);
    server.put("/big.bin", big);
    server.delay(300); // every fetch starts before the one download ends
    FetchUri cached = uri(server.url("/big.bin")).toBuilder().setCache(true).build();
    ExecutorService pool = Executors.newFixedThreadPool(5);
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Path box = Files.createDirectories(tmp.resolve("box" + i));
      all.add(CompletableFuture.runAsync(() -> {
        try {
          fetcher.fetchAll(List.of(cached), box, u -> { });
        } catch (Exception e) {
          errors.add(e);
        }
      }, pool));
    }
    CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
    pool.shutdown();
    assertThat(errors).isEmpty();
    assertThat(server.requests("/big.bin")).isEqualTo(1);
    for (int i = 0; i < 5; i++) {
      assertThat(tmp.resolve("box" + i).resolve("big.bin")).hasBinaryContent(big);
    }
    // later fetches come from the cache too, also after an agent restart (a new Fetcher on the work dir)
    fetcher.close();
    fetcher = new Fetcher(FetcherConfig.defaults(), tmp.resolve("agent"), Clock.systemUTC());
    fetcher.fetchAll(List.of(cached), Files.createDirectories(tmp.resolve("later")), u -> { });
    assertThat(tmp.resolve("later/big.bin")).hasBinaryContent(big);
    assertThat(server.requests("/big.bin")).isEqualTo(1);
  }

  @Test
  void theCacheEvictsTheLeastRecentlyUsedBeyondItsSize() throws Exception {
    fetcher.close();
    fetcher = new Fetcher(FetcherConfig.defaults().withCacheSizeBytes(2500), tmp.resolve("agent"), Clock.systemUTC());
    for (String name : List.of("/a", "/b", "/c")) {
      server.put(name, new byte[1000]);
    }
    fetchCached("/a");
    fetchCached("/b");
    fetchCached("/a"); // a is now more recent than b
    fetchCached("/c"); // 3000 bytes > 2500: b goes
    assertThat(server.requests("/a")).isEqualTo(1);
    fetchCached("/a");
    assertThat(server.requests("/a")).isEqualTo(1);
    fetchCached("/b");
    assertThat(server.requests("/b")).isEqualTo(2);
    try (var files = Files.list(tmp.resolve("agent/fetch-cache"))) {
      assertThat(files.count()).isEqualTo(2);
    }
  }

  @Test
  void aFailedCachedDownloadIsNotCachedAndIsTriedAgain() throws Exception {
    FetchUri cached = uri(server.url("/later.txt")).toBuilder().setCache(true).build();
    assertThatThrownBy(() -> fetcher.fetchAll(List.of(cached), sandbox, u -> { })).hasMessageContaining("404");
    server.put("/later.txt", HELLO);
    fetcher.fetchAll(List.of(cached), sandbox, u -> { });
    assertThat(sandbox.resolve("later.txt")).hasBinaryContent(HELLO);
  }

  private void fetchCached(String path) throws Exception {
    Path box = Files.createTempDirectory(tmp, "box");
    fetcher.fetchAll(List.of(uri(server.url(path)).toBuilder().setCache(true).build()), box, u -> { });
    assertThat(box.resolve(path.substring(1))).exists();
  }

  static FetchUri uri(String uri) {
    return FetchUri.newBuilder().setUri(uri).setExtract(true).build();
  }

  static byte[] zip(String name, String content) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry(name));
      zip.write(content.getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return bytes.toByteArray();
  }
}
