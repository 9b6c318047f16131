package dev.corral.agent.image;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code docker-registry} on loopback, storing under a temp dir, and a tiny image built from
 * busybox-static: {@code /bin/busybox} with links, {@code /etc/os-release} saying {@code ID=corral-test}.
 * Only what this fixture started is stopped, by its own process handle.
 */
public final class TestRegistry implements AutoCloseable {
  public static final String OS_RELEASE = "ID=corral-test\nNAME=\"Corral test image\"\n";
  private final Path dir;
  private final int port;
  private Process process;

  private TestRegistry(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Why the tools are missing here, or null when images can be built, served and pulled. */
  public static String missing() {
    for (String tool : List.of("skopeo", "umoci", "docker-registry", "busybox")) {
      if (ImageTools.find(tool) == null) {
        return tool + " is not installed (apt-get install skopeo umoci docker-registry busybox-static)";
      }
    }
    return null;
  }

  public static TestRegistry start(Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    TestRegistry r = new TestRegistry(dir, port);
    r.startProcess();
    return r;
  }

  public String host() {
    return "127.0.0.1:" + port;
  }

  public Path log() {
    return dir.resolve("registry.log");
  }

  private void startProcess() throws Exception {
    Files.createDirectories(dir.resolve("storage"));
    Path config = dir.resolve("config.yml");
    Files.writeString(config, "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: " + dir.resolve("storage")
        + "\nhttp:\n  addr: " + host() + "\nlog:\n  level: info\n");
    process = new ProcessBuilder(ImageTools.find("docker-registry"), "serve", config.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        HttpResponse<Void> res = http.send(HttpRequest.newBuilder(URI.create("http://" + host() + "/v2/")).build(),
            HttpResponse.BodyHandlers.discarding());
        if (res.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        if (System.nanoTime() > deadline || !process.isAlive()) {
          throw new IllegalStateException("docker-registry did not start: " + Files.readString(log()));
        }
      }
      Thread.sleep(50);
    }
  }

  /** Builds the tiny image as an OCI layout {@code DIR/layout:tiny}; its Cmd prints /etc/os-release. */
  public static Path buildTinyLayout(Path dir) throws Exception {
    Path rootfs = dir.resolve("src-rootfs");
    Files.createDirectories(rootfs.resolve("bin"));
    Files.createDirectories(rootfs.resolve("etc"));
    Files.copy(Path.of(ImageTools.find("busybox")), rootfs.resolve("bin/busybox"));
    for (String applet : List.of("sh", "cat", "ls", "echo", "sleep", "test", "id", "pwd", "touch")) {
      Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
    }
    Files.writeString(rootfs.resolve("etc/os-release"), OS_RELEASE);
    Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/:/bin/sh\nuser:x:1234:1234::/:/bin/sh\n");
    Path layout = dir.resolve("layout");
    String umoci = ImageTools.find("umoci");
    run(umoci, "init", "--layout", layout.toString());
    run(umoci, "new", "--image", layout + ":tiny");
    run(umoci, "insert", "--image", layout + ":tiny", rootfs.toString(), "/");
    run(umoci, "config", "--image", layout + ":tiny", "--config.env", "PATH=/bin", "--config.env", "FROM_IMAGE=yes",
        "--config.cmd", "cat", "--config.cmd", "/etc/os-release");
    return layout;
  }

  /** Pushes {@code layout:tiny} as {@code HOST/NAME}. */
  public void push(Path layout, String name) throws Exception {
    run(ImageTools.find("skopeo"), "--insecure-policy", "copy", "--dest-tls-verify=false", "oci:" + layout + ":tiny",
        "docker://" + host() + "/" + name);
  }

  /** Writes {@code layout:tiny} as a docker save tarball. */
  public static void saveTarball(Path layout, Path tarball, String name) throws Exception {
    run(ImageTools.find("skopeo"), "--insecure-policy", "copy", "oci:" + layout + ":tiny",
        "docker-archive:" + tarball + ":" + name);
  }

  /** How many times the registry served the manifest of {@code name:tag} (GET, not HEAD). */
  public long manifestGets(String name, String tag) throws IOException {
    String needle = "GET /v2/" + name + "/manifests/" + tag;
    return Files.readAllLines(log()).stream().filter(l -> l.contains(needle)).count();
  }

  public void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  static void run(String... argv) throws Exception {
    Process p = new ProcessBuilder(new ArrayList<>(List.of(argv))).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
    }
  }
}
