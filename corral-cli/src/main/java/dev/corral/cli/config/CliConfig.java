package dev.corral.cli.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corral.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The CLI's configuration directory ({@code $CORRAL_CONFIG_DIR}, else {@code ~/.corral}), kubectl-style:
 * {@code clusters/<name>.json} per cluster ({@link ClusterContext}), {@code current} naming the one used when
 * no {@code --url} is given. Files holding tokens or passwords are written with mode 600, replaced atomically.
 * {@code corral up} and {@code corral master} write here too. Not thread-safe; one per command run.
 */
public final class CliConfig {
  public static final String DIR_ENV = "CORRAL_CONFIG_DIR";
  private static final ObjectMapper JSON = Json.mapper();

  private final Path dir;

  public CliConfig(Path dir) {
    this.dir = dir;
  }

  /** From {@code $CORRAL_CONFIG_DIR}, else {@code ~/.corral}. */
  public static CliConfig fromEnvironment(Function<String, String> env) {
    String configured = env.apply(DIR_ENV);
    return new CliConfig(configured != null && !configured.isBlank() ? Path.of(configured)
        : Path.of(System.getProperty("user.home"), ".corral"));
  }

  public Path dir() {
    return dir;
  }

  /** The context named in {@code current}, if any. */
  public Optional<ClusterContext> current() {
    Path current = dir.resolve("current");
    if (!Files.isRegularFile(current)) {
      return Optional.empty();
    }
    try {
      return get(Files.readString(current, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public Optional<ClusterContext> get(String name) {
    Path file = file(name);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(file.toFile(), ClusterContext.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The context for {@code url} (same scheme, host and port; localhost and 127.0.0.1 are one). */
  public Optional<ClusterContext> forUrl(String url) {
    String key = normalize(url);
    Optional<ClusterContext> current = current();
    if (current.isPresent() && normalize(current.get().url()).equals(key)) {
      return current;
    }
    return list().stream().filter(c -> normalize(c.url()).equals(key)).findFirst();
  }

  public List<ClusterContext> list() {
    List<ClusterContext> out = new ArrayList<>();
    Path clusters = dir.resolve("clusters");
    if (!Files.isDirectory(clusters)) {
      return out;
    }
    try (var files = Files.list(clusters)) {
      files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().forEach(f -> {
        String n = f.getFileName().toString();
        get(n.substring(0, n.length() - ".json".length())).ifPresent(out::add);
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Writes (replaces) the context; mode 600. */
  public void put(ClusterContext context) {
    try {
      writePrivate(file(context.name()), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(context));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the CLI context under " + dir + ": " + e.getMessage(), e);
    }
  }

  public void setCurrent(String name) {
    try {
      writePrivate(dir.resolve("current"), name + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve("current") + ": " + e.getMessage(), e);
    }
  }

  /** Stores a secret beside the cluster's context ({@code clusters/<name>.<kind>}, mode 600); returns its path. */
  public Path putSecret(String name, String kind, String secret) {
    Path file = dir.resolve("clusters").resolve(safe(name) + "." + kind);
    try {
      writePrivate(file, secret + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  /**
   * The cluster secret a master kept here for the agents of the cluster whose agents connect to
   * {@code master} (host:port; localhost and 127.0.0.1 are one), if this user started that master.
   */
  public Optional<String> secretForMaster(String master) {
    String key = normalize("grpc://" + master);
    for (ClusterContext c : list()) {
      if (c.master() != null && normalize("grpc://" + c.master()).equals(key)) {
        Path file = dir.resolve("clusters").resolve(safe(c.name()) + ".cluster-secret");
        try {
          if (Files.isRegularFile(file)) {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
          }
        } catch (IOException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** A context name for an address: {@code host-port}. */
  public static String nameFor(String url) {
    URI u = URI.create(url);
    int port = u.getPort() > 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    return safe(u.getHost() + "-" + port);
  }

  private Path file(String name) {
    return dir.resolve("clusters").resolve(safe(name) + ".json");
  }

  private static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  static String normalize(String url) {
    try {
      URI u = URI.create(url.strip());
      String scheme = u.getScheme() == null ? "http" : u.getScheme().toLowerCase(Locale.ROOT);
      String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
      if (host.equals("localhost") || host.equals("[::1]") || host.equals("::1")) {
        host = "127.0.0.1";
      }
      int port = u.getPort() > 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
      String path = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/+$", "");
      return scheme + "://" + host + ":" + port + path;
    } catch (IllegalArgumentException e) {
      return url;
    }
  }

  private static void writePrivate(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the directory's own protection applies
    }
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
