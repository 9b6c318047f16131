package dev.corral.agent.fetch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.RepositoryPolicy;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.resolution.DependencyResult;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.transfer.ArtifactTransferException;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/**
 * Resolves {@code maven://} coordinates with Maven Resolver, as Maven itself would: the artifacts and their
 * compile and runtime dependencies, optional and test ones left out, conflicts settled by Maven's
 * nearest-wins mediation, {@code .sha1}/{@code .md5} checksums checked (for http(s) repositories a missing
 * or wrong checksum fails; for file:// ones it is logged). Everything
 * resolved goes flat into one directory as {@code artifactId-version[-classifier].extension}, so that
 * {@code java -cp 'lib/*'} runs it; two artifacts with the same file name get their groupId in front.
 *
 * <p>Thread-safe. Resolutions may run concurrently, here and in other processes sharing the local
 * repository (a developer's {@code ~/.m2/repository}): Resolver's file locks ({@code file-lock} named
 * locks, one per artifact) keep them from writing one file at the same time.
 */
final class MavenArtifacts implements AutoCloseable {
  private final RepositorySystem system;
  private final List<RemoteRepository> repositories;
  private final LocalRepository local;

  MavenArtifacts(List<String> repositoryUrls, Path localRepository) {
    this.system = new RepositorySystemSupplier().get();
    this.local = new LocalRepository(localRepository.toFile());
    List<RemoteRepository> repos = new ArrayList<>();
    for (int i = 0; i < repositoryUrls.size(); i++) {
      String url = repositoryUrls.get(i);
      // A download must match its checksum. A file:// repository is often a local Maven cache, which need
      // not hold checksum files: there a missing or wrong one is only logged.
      String checksums = url.regionMatches(true, 0, "file:", 0, 5)
          ? RepositoryPolicy.CHECKSUM_POLICY_WARN : RepositoryPolicy.CHECKSUM_POLICY_FAIL;
      RepositoryPolicy policy = new RepositoryPolicy(true, RepositoryPolicy.UPDATE_POLICY_DAILY, checksums);
      // "central" first: artifacts a developer's Maven fetched from Central count as available from it
      String id = i == 0 ? "central" : "repo" + (i + 1);
      repos.add(new RemoteRepository.Builder(id, "default", url).setPolicy(policy).build());
    }
    this.repositories = List.copyOf(repos);
  }

  /** Why {@code coordinates} cannot name an artifact, or null when they can. */
  static String problem(String coordinates) {
    try {
      new DefaultArtifact(coordinates);
      return null;
    } catch (IllegalArgumentException e) {
      return "bad coordinates '" + coordinates + "': expected group:artifact[:extension[:classifier]]:version";
    }
  }

  /**
   * Resolves {@code coordinates} together (one dependency graph) and copies every resulting file into
   * {@code dir}. Returns the files written, in resolution order.
   */
  List<Path> resolve(List<String> coordinates, Path dir) throws FetchException {
    CollectRequest collect = new CollectRequest();
    for (String c : coordinates) {
      String problem = problem(c);
      if (problem != null) {
        throw new FetchException(problem);
      }
      collect.addDependency(new Dependency(new DefaultArtifact(c), JavaScopes.COMPILE));
    }
    collect.setRepositories(repositories);
    DependencyRequest request =
        new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
    DependencyResult result;
    try {
      result = system.resolveDependencies(session(), request);
    } catch (DependencyResolutionException e) {
      throw new FetchException(describe(e), e);
    }
    try {
      Files.createDirectories(dir);
      List<Path> out = new ArrayList<>();
      for (Map.Entry<String, Artifact> e : fileNames(result.getArtifactResults()).entrySet()) {
        Path target = dir.resolve(e.getKey());
        Files.copy(e.getValue().getFile().toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        out.add(target);
      }
      return out;
    } catch (IOException e) {
      throw new FetchException("cannot copy the resolved artifacts into " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Each artifact under its flat file name; clashing names get the groupId in front. */
  static Map<String, Artifact> fileNames(List<ArtifactResult> results) {
    Map<String, Integer> count = new HashMap<>();
    for (ArtifactResult r : results) {
      count.merge(plainName(r.getArtifact()), 1, Integer::sum);
    }
    Map<String, Artifact> out = new java.util.LinkedHashMap<>();
    for (ArtifactResult r : results) {
      Artifact a = r.getArtifact();
      String name = plainName(a);
      out.put(count.get(name) > 1 ? a.getGroupId() + "-" + name : name, a);
    }
    return out;
  }

  private static String plainName(Artifact a) {
    return a.getArtifactId() + "-" + a.getBaseVersion()
        + (a.getClassifier().isEmpty() ? "" : "-" + a.getClassifier()) + "." + a.getExtension();
  }

  private DefaultRepositorySystemSession session() {
    DefaultRepositorySystemSession session = MavenRepositorySystemUtils.newSession();
    // POMs choose profiles by java.version, os.name…: without these, building such a POM's model fails, and
    // the lax descriptor policy then silently drops that artifact's dependencies (log4j-slf4j-impl's, e.g.)
    session.setSystemProperties(System.getProperties());
    session.setLocalRepositoryManager(system.newLocalRepositoryManager(session, local));
    // Cross-process locks: the local repository may be shared with Maven builds and other agents.
    session.setConfigProperty("aether.syncContext.named.factory", "file-lock");
    session.setConfigProperty("aether.syncContext.named.nameMapper", "file-gav");
    return session;
  }

  /** The most telling message in Resolver's chain, e.g. "could not find artifact g:a:jar:1 in central (URL)". */
  static String describe(DependencyResolutionException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ArtifactTransferException) {
        return lowerFirst(t.getMessage());
      }
      if (t instanceof ArtifactResolutionException are) {
        for (ArtifactResult r : are.getResults()) {
          for (Exception x : r.getExceptions()) {
            if (x instanceof ArtifactTransferException) {
              return lowerFirst(x.getMessage());
            }
          }
        }
      }
    }
    String message = e.getMessage();
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    if (root != e && root.getMessage() != null) {
      message = message + ": " + root.getMessage();
    }
    return lowerFirst(message);
  }

  private static String lowerFirst(String s) {
    if (s == null || s.isEmpty()) {
      return String.valueOf(s);
    }
    return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
  }

  @Override
  public void close() {
    system.shutdown();
  }
}
