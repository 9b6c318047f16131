package dev.corral.packages.repo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.corral.common.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Fetches and parses a repository by URI: a {@code file:} directory is a Universe source tree, a {@code file:}
 * file or an {@code http(s):} URL a Universe JSON repository (asked for in the newest format first, as Cosmos
 * does).
 */
public final class RepositoryLoader {
  static final String ACCEPT = "application/vnd.dcos.universe.repo+json;charset=utf-8;version=v5,"
      + "application/vnd.dcos.universe.repo+json;charset=utf-8;version=v4,"
      + "application/vnd.dcos.universe.repo+json;charset=utf-8;version=v3;q=0.9,application/json;q=0.8";
  private static final ObjectMapper JSON = Json.mapper();

  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();

  public List<PackageDefinition> load(URI uri) throws RepositoryException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    switch (scheme) {
      case "file":
        return loadFile(Path.of(uri));
      case "http":
      case "https":
        return loadUrl(uri);
      default:
        throw new RepositoryException("repository URI " + uri + " must be file:, http: or https:");
    }
  }

  private List<PackageDefinition> loadFile(Path path) throws RepositoryException {
    if (Files.isDirectory(path)) {
      return SourceLayout.read(path);
    }
    if (!Files.isRegularFile(path)) {
      throw new RepositoryException("repository " + path + " does not exist");
    }
    try {
      return JsonRepository.parse(JSON.readTree(path.toFile()), path.toString());
    } catch (IOException e) {
      throw new RepositoryException("repository " + path + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  private List<PackageDefinition> loadUrl(URI uri) throws RepositoryException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Accept", ACCEPT).GET().build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new RepositoryException("cannot reach repository " + uri + ": " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RepositoryException("interrupted while fetching " + uri, e);
    }
    if (response.statusCode() != 200) {
      throw new RepositoryException("repository " + uri + " answered HTTP " + response.statusCode());
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new RepositoryException("repository " + uri + " did not return JSON: " + e.getMessage(), e);
    }
    return JsonRepository.parse(body, uri.toString());
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    return message != null ? message : e.getClass().getSimpleName();
  }
}
