package dev.corral.packages;

import dev.corral.packages.repo.Repositories;
import dev.corral.packages.repo.Repositories.Sourced;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Package lookup across the configured repositories: a name belongs to the first repository that has it
 * (later repositories cannot shadow it), and a version defaults to the newest revision there.
 */
public final class Catalog {
  private final Repositories repositories;

  public Catalog(Repositories repositories) {
    this.repositories = repositories;
  }

  /** Every revision of each package, newest first, keyed by name in repository order. */
  public Map<String, List<Sourced>> byName() {
    Map<String, List<Sourced>> out = new LinkedHashMap<>();
    for (Sourced s : repositories.all()) {
      List<Sourced> revisions = out.computeIfAbsent(s.definition().name(), n -> new ArrayList<>());
      if (revisions.isEmpty() || revisions.get(0).repository().equals(s.repository())) {
        revisions.add(s);
      }
    }
    out.values().forEach(list -> list.sort(Comparator.comparingLong((Sourced s) -> s.definition().releaseVersion())
        .reversed()));
    return out;
  }

  /** Revisions of one package, newest first; PackageNotFound when no repository has it. */
  public List<Sourced> revisions(String name) {
    if (name == null || name.isBlank()) {
      throw CosmosException.badRequest("packageName is required");
    }
    List<Sourced> revisions = byName().get(name);
    if (revisions == null) {
      throw CosmosException.packageNotFound(name);
    }
    return revisions;
  }

  /** The given version of a package, or its newest when {@code version} is null. */
  public Sourced select(String name, String version) {
    List<Sourced> revisions = revisions(name);
    if (version == null || version.isBlank()) {
      return revisions.get(0);
    }
    return revisions.stream().filter(s -> s.definition().version().equals(version)).findFirst()
        .orElseThrow(() -> CosmosException.versionNotFound(name, version));
  }

  /**
   * Packages whose name, description or tags contain the query (case-insensitive; {@code *} matches anything),
   * each with its newest revision first; selected packages first, then by name.
   */
  public List<List<Sourced>> search(String query) {
    String q = query == null ? "" : query.trim().toLowerCase(Locale.ROOT);
    List<List<Sourced>> out = new ArrayList<>();
    for (List<Sourced> revisions : byName().values()) {
      if (matches(revisions.get(0), q)) {
        out.add(revisions);
      }
    }
    out.sort(Comparator.comparing((List<Sourced> r) -> !r.get(0).definition().selected())
        .thenComparing(r -> r.get(0).definition().name()));
    return out;
  }

  private static boolean matches(Sourced s, String query) {
    if (query.isEmpty() || query.equals("*")) {
      return true;
    }
    String pattern = "\\Q" + query.replace("*", "\\E.*\\Q") + "\\E";
    List<String> fields = new ArrayList<>(s.definition().tags());
    fields.add(s.definition().name());
    fields.add(s.definition().description());
    for (String field : fields) {
      String f = field.toLowerCase(Locale.ROOT);
      if (query.contains("*") ? f.matches(".*" + pattern + ".*") : f.contains(query)) {
        return true;
      }
    }
    return false;
  }
}
