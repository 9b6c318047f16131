package dev.corral.services.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One artifact the agent fetches into a task's sandbox before starting it (Marathon's {@code fetch} entry,
 * or a legacy {@code uris} string), with Marathon's defaults applied.
 *
 * @param uri http, https, file, or {@code maven://group:artifact[:extension[:classifier]]:version}
 * @param extract unpack a recognised archive (default true)
 * @param executable chmod +x the file (default false)
 * @param cache keep the download in the agent's cache (default false)
 * @param destPath relative to the sandbox; "" for the default (the URI's file name; {@code lib/} for maven)
 */
public record FetchArtifact(String uri, boolean extract, boolean executable, boolean cache, String destPath) {
  /** The schemes the agent's fetcher knows. */
  public static final Set<String> SCHEMES = Set.of("http", "https", "file", "maven");

  /** The app's {@code fetch} entries, then its {@code uris} (each extracted, as Marathon converts them). */
  static List<FetchArtifact> of(JsonNode fetch, JsonNode uris) {
    List<FetchArtifact> out = new ArrayList<>();
    if (fetch != null && fetch.isArray()) {
      for (JsonNode f : fetch) {
        out.add(new FetchArtifact(f.path("uri").asText(""), f.path("extract").asBoolean(true),
            f.path("executable").asBoolean(false), f.path("cache").asBoolean(false),
            f.path("destPath").asText("")));
      }
    }
    if (uris != null && uris.isArray()) {
      for (JsonNode u : uris) {
        out.add(new FetchArtifact(u.asText(""), true, false, false, ""));
      }
    }
    return List.copyOf(out);
  }

  /** The URI's scheme in lower case; "" when it has none. */
  static String scheme(String uri) {
    int colon = uri.indexOf(':');
    return colon <= 0 ? "" : uri.substring(0, colon).toLowerCase(Locale.ROOT);
  }

  /** Why {@code uri} cannot be fetched, or null when it can. */
  static String uriProblem(String uri) {
    String scheme = scheme(uri);
    if (!SCHEMES.contains(scheme)) {
      return "must use a supported scheme: http, https, file or maven";
    }
    if (scheme.equals("maven")) {
      String rest = uri.substring("maven:".length());
      String[] parts = (rest.startsWith("//") ? rest.substring(2) : rest).split(":", -1);
      boolean filled = parts.length >= 3 && parts.length <= 5;
      for (String p : parts) {
        filled &= !p.isBlank();
      }
      if (!filled) {
        return "must be maven://group:artifact[:extension[:classifier]]:version";
      }
    }
    return null;
  }

  /** Why {@code destPath} cannot be used, or null when it can. */
  static String destPathProblem(String destPath) {
    if (destPath.startsWith("/")) {
      return "must be relative to the sandbox";
    }
    for (String part : destPath.split("/")) {
      if (part.equals("..")) {
        return "must not contain '..'";
      }
    }
    return null;
  }
}
