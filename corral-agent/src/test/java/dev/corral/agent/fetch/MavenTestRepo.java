package dev.corral.agent.fetch;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A Maven repository laid out on disk by the test itself (jars, poms, {@code .sha1} files), reachable as a
 * {@code file://} remote: no network, no dependence on what a machine's Maven cache holds.
 */
public final class MavenTestRepo {
  private final Path root;

  public MavenTestRepo(Path root) {
    this.root = root;
  }

  public String url() {
    return root.toUri().toString();
  }

  /**
   * Publishes {@code group:artifact:version} with the given Java sources compiled into its jar (against
   * {@code classpath}) and the given dependencies ({@code group:artifact:version}) in its pom.
   */
  public Path publish(String group, String artifact, String version, Map<String, String> sources,
      List<Path> classpath, List<String> dependencies) throws Exception {
    Path dir = root.resolve(group.replace('.', '/')).resolve(artifact).resolve(version);
    Files.createDirectories(dir);
    Path jar = dir.resolve(artifact + "-" + version + ".jar");
    writeJar(jar, compile(sources, classpath));
    StringBuilder deps = new StringBuilder();
    for (String d : dependencies) {
      String[] p = d.split(":");
      deps.append("<dependency><groupId>").append(p[0]).append("</groupId><artifactId>").append(p[1])
          .append("</artifactId><version>").append(p[2]).append("</version></dependency>");
    }
    String pom = "<project><modelVersion>4.0.0</modelVersion><groupId>" + group + "</groupId><artifactId>"
        + artifact + "</artifactId><version>" + version + "</version><dependencies>" + deps
        + "</dependencies></project>";
    Path pomFile = dir.resolve(artifact + "-" + version + ".pom");
    Files.writeString(pomFile, pom);
    sha1(jar);
    sha1(pomFile);
    return jar;
  }

  /** Gives a published pom a profile activated by the JDK version, as Apache's parent poms have. */
  public void addJdkProfile(String group, String artifact, String version) throws Exception {
    Path pomFile = root.resolve(group.replace('.', '/')).resolve(artifact).resolve(version)
        .resolve(artifact + "-" + version + ".pom");
    Files.writeString(pomFile, Files.readString(pomFile).replace("</project>",
        "<profiles><profile><id>jdk9+</id><activation><jdk>[9,)</jdk></activation></profile></profiles></project>"));
    sha1(pomFile);
  }

  private static void sha1(Path file) throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-1").digest(Files.readAllBytes(file));
    Files.writeString(file.resolveSibling(file.getFileName() + ".sha1"), HexFormat.of().formatHex(digest));
  }

  private Path compile(Map<String, String> sources, List<Path> classpath) throws IOException {
    Path src = Files.createTempDirectory(root.getParent(), "src");
    Path out = Files.createTempDirectory(root.getParent(), "classes");
    List<String> args = new ArrayList<>(List.of("-d", out.toString()));
    if (!classpath.isEmpty()) {
      args.add("-cp");
      args.add(String.join(":", classpath.stream().map(Path::toString).toList()));
    }
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
      args.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int rc = javac.run(null, null, errors, args.toArray(new String[0]));
    if (rc != 0) {
      throw new IllegalStateException("javac failed: " + errors.toString(StandardCharsets.UTF_8));
    }
    return out;
  }

  private static void writeJar(Path jar, Path classes) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        var walk = Files.walk(classes)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(p).toString()));
        out.write(Files.readAllBytes(p));
        out.closeEntry();
      }
    }
  }
}
