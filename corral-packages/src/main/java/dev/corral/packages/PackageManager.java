package dev.corral.packages;

import dev.corral.packages.api.CosmosApi;
import dev.corral.packages.install.HttpServicesClient;
import dev.corral.packages.install.Installer;
import dev.corral.packages.install.ServicesClient;
import dev.corral.packages.repo.Repositories;
import dev.corral.packages.repo.RepositoryLoader;
import dev.corral.state.Store;
import io.javalin.config.JavalinConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * The package manager of a master: the stored repository list (seeded with the bundled catalog on a new
 * cluster), lookup, and installs through the service scheduler's API, served as the Cosmos API.
 */
public final class PackageManager {
  /** The repository a new cluster starts with. */
  public static final String DEFAULT_REPOSITORY_NAME = "Universe";

  private final Repositories repositories;
  private final CosmosApi api;

  public PackageManager(Store store, ServicesClient services, List<Repositories.Entry> defaults, Clock clock) {
    this.repositories = new Repositories(store, new RepositoryLoader(), clock);
    repositories.initialize(defaults);
    Catalog catalog = new Catalog(repositories);
    this.api = new CosmosApi(catalog, new Installer(catalog, services), repositories);
  }

  /** A package manager that reaches the Marathon API at {@code marathonBase} (known once the server started). */
  public static PackageManager overHttp(Store store, Supplier<URI> marathonBase, List<Repositories.Entry> defaults) {
    return overHttp(store, marathonBase, null, defaults);
  }

  /** As above, sending {@code authorization} (null: none) with each call, on a cluster with authentication. */
  public static PackageManager overHttp(Store store, Supplier<URI> marathonBase, String authorization,
      List<Repositories.Entry> defaults) {
    return new PackageManager(store, new HttpServicesClient(marathonBase, authorization), defaults, Clock.systemUTC());
  }

  /**
   * The bundled catalog of a distribution: {@code <corral.home>/packages}, or {@code packages} under the working
   * directory when running from a source checkout; none when neither exists.
   */
  public static List<Repositories.Entry> bundledCatalog(String corralHome) {
    for (Path candidate : corralHome == null ? List.of(Path.of("packages"))
        : List.of(Path.of(corralHome, "packages"), Path.of("packages"))) {
      if (Files.isDirectory(candidate)) {
        return List.of(new Repositories.Entry(DEFAULT_REPOSITORY_NAME, candidate.toAbsolutePath().normalize().toUri()
            .toString()));
      }
    }
    return List.of();
  }

  public void install(JavalinConfig config) {
    api.install(config);
  }

  public Repositories repositories() {
    return repositories;
  }
}
