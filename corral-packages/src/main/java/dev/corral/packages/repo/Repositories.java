package dev.corral.packages.repo;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corral.common.Json;
import dev.corral.packages.CosmosException;
import dev.corral.state.Store;
import dev.corral.state.StoreOp;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ordered list of package repositories, stored at {@value #PATH} so that it survives restarts and is the
 * same on every master. A package name resolves in the first repository that has it, as in Cosmos. Parsed
 * repositories are cached for a short while: a local tree is re-read every few seconds (edits show up without a
 * restart), a remote one every minute.
 */
public final class Repositories {
  public static final String PATH = "/packages/repositories";
  private static final ObjectMapper JSON = Json.mapper();
  private static final Duration LOCAL_TTL = Duration.ofSeconds(5);
  private static final Duration REMOTE_TTL = Duration.ofMinutes(1);

  /** A configured repository. */
  public record Entry(String name, String uri) {}

  private record Loaded(Instant at, List<PackageDefinition> packages) {}

  private final Store store;
  private final RepositoryLoader loader;
  private final Clock clock;
  private final Map<String, Loaded> cache = new HashMap<>();

  public Repositories(Store store, RepositoryLoader loader, Clock clock) {
    this.store = store;
    this.loader = loader;
    this.clock = clock;
  }

  /**
   * Writes the default list when none is stored yet (first start of a cluster). Later starts re-point a default
   * entry whose local tree is gone (the distribution moved, e.g. after an upgrade) at the bundled one.
   */
  public synchronized void initialize(List<Entry> defaults) {
    if (store.get(PATH).isEmpty()) {
      save(defaults);
      return;
    }
    List<Entry> entries = new ArrayList<>(list());
    boolean changed = false;
    for (int i = 0; i < entries.size(); i++) {
      Entry stored = entries.get(i);
      for (Entry bundled : defaults) {
        if (stored.name().equals(bundled.name()) && !stored.uri().equals(bundled.uri()) && missingLocal(stored.uri())) {
          entries.set(i, bundled);
          changed = true;
        }
      }
    }
    if (changed) {
      save(entries);
    }
  }

  private static boolean missingLocal(String uri) {
    try {
      URI parsed = new URI(uri);
      return "file".equalsIgnoreCase(parsed.getScheme()) && !java.nio.file.Files.exists(java.nio.file.Path.of(parsed));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return false;
    }
  }

  public synchronized List<Entry> list() {
    Optional<byte[]> data = store.get(PATH);
    if (data.isEmpty()) {
      return List.of();
    }
    try {
      return JSON.readValue(data.get(), new TypeReference<List<Entry>>() {});
    } catch (IOException e) {
      throw new IllegalStateException("unreadable repository list at " + PATH, e);
    }
  }

  /**
   * Adds a repository at {@code index} (end when null) after loading it once, so that a broken URI is refused
   * with the reason instead of breaking every later search.
   */
  public synchronized List<Entry> add(String name, String uri, Integer index) {
    if (name == null || name.isBlank()) {
      throw CosmosException.badRequest("name is required: the repository's name");
    }
    URI parsed = parse(uri);
    List<Entry> entries = new ArrayList<>(list());
    for (Entry e : entries) {
      if (e.name().equals(name) || e.uri().equals(uri)) {
        throw new CosmosException(409, "RepositoryAlreadyPresent",
            "Repository name [" + e.name() + "] or URI [" + e.uri() + "] is already present in the list");
      }
    }
    if (index != null && (index < 0 || index > entries.size())) {
      throw CosmosException.badRequest("index must be between 0 and " + entries.size() + ", was " + index);
    }
    cache.put(uri, new Loaded(clock.instant(), loadOrFail(parsed)));
    entries.add(index == null ? entries.size() : index, new Entry(name, uri));
    save(entries);
    return entries;
  }

  /** Removes by name or by URI. */
  public synchronized List<Entry> delete(String name, String uri) {
    List<Entry> entries = new ArrayList<>(list());
    boolean removed = entries.removeIf(e -> e.name().equals(name) || e.uri().equals(uri));
    if (!removed) {
      throw new CosmosException(400, "RepositoryNotPresent",
          "Repository [" + (name != null ? name : uri) + "] is not present in the list");
    }
    save(entries);
    cache.remove(uri);
    return entries;
  }

  /** Every package revision of every repository, in repository order. */
  public synchronized List<Sourced> all() {
    List<Sourced> out = new ArrayList<>();
    for (Entry entry : list()) {
      for (PackageDefinition p : packagesOf(entry)) {
        out.add(new Sourced(entry, p));
      }
    }
    return out;
  }

  /** A package revision and the repository it came from. */
  public record Sourced(Entry repository, PackageDefinition definition) {}

  private List<PackageDefinition> packagesOf(Entry entry) {
    Loaded loaded = cache.get(entry.uri());
    URI uri = parse(entry.uri());
    Duration ttl = "file".equalsIgnoreCase(uri.getScheme()) ? LOCAL_TTL : REMOTE_TTL;
    if (loaded == null || loaded.at().plus(ttl).isBefore(clock.instant())) {
      try {
        loaded = new Loaded(clock.instant(), loader.load(uri));
        cache.put(entry.uri(), loaded);
      } catch (RepositoryException e) {
        if (loaded == null) {
          throw new CosmosException(500, "RepositoryUriConnection",
              "Repository [" + entry.name() + "] could not be read: " + e.getMessage());
        }
        // a transient failure keeps serving the last good copy rather than emptying the catalog
      }
    }
    return loaded.packages();
  }

  private List<PackageDefinition> loadOrFail(URI uri) {
    try {
      return loader.load(uri);
    } catch (RepositoryException e) {
      throw new CosmosException(400, "RepositoryUriConnection", "Could not read repository [" + uri + "]: "
          + e.getMessage());
    }
  }

  private static URI parse(String uri) {
    if (uri == null || uri.isBlank()) {
      throw CosmosException.badRequest("uri is required: the repository's URL (http, https or file)");
    }
    try {
      URI parsed = new URI(uri);
      if (parsed.getScheme() == null) {
        throw new URISyntaxException(uri, "no scheme");
      }
      return parsed;
    } catch (URISyntaxException e) {
      throw new CosmosException(400, "RepositoryUriSyntax",
          "URI [" + uri + "] is not valid: " + e.getReason() + "; use http://, https:// or file://");
    }
  }

  private void save(List<Entry> entries) {
    try {
      store.commitAndWait(List.of(StoreOp.put(PATH, JSON.writeValueAsBytes(entries))));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
