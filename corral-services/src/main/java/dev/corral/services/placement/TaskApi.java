package dev.corral.services.placement;

import dev.corral.api.v1.FetchUri;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * How tasks reach the cluster's API, for discovery ({@code $CORRAL_URL/v2/apps/<id>/tasks}): the URL given
 * to them as {@code CORRAL_URL}, and, when that is https with a certificate the tasks would not otherwise
 * trust (the cluster CA of {@code --tls}, or the issuer of {@code --tls-cert}), that CA's certificate. Each
 * task then gets it as the file {@value #CA_FILE} in its sandbox (a {@code data:} artifact the agent writes
 * before the task starts) and its path in {@code CORRAL_CA_FILE} (made absolute by the agent), for
 * {@code curl --cacert "$CORRAL_CA_FILE"}. Immutable.
 *
 * @param url e.g. {@code http://10.0.0.5:7070}; empty: tasks get no {@code CORRAL_URL}
 * @param caPem the certificate (PEM) that vouches for {@code url}; null when tasks need none
 */
public record TaskApi(String url, String caPem) {
  /** The CA's file, relative to the sandbox. */
  public static final String CA_FILE = ".corral/ca.crt";
  public static final TaskApi NONE = new TaskApi("", null);

  public TaskApi {
    url = url == null ? "" : url;
  }

  /** Plain HTTP at {@code host:port}; {@link #NONE} for an empty address. */
  public static TaskApi plain(String hostPort) {
    return hostPort == null || hostPort.isEmpty() ? NONE : new TaskApi("http://" + hostPort, null);
  }

  /** HTTPS at {@code host:port}, vouched for by {@code caPem}. */
  public static TaskApi https(String hostPort, String caPem) {
    return new TaskApi("https://" + hostPort, caPem);
  }

  /** Adds {@code CORRAL_URL} (and {@code CORRAL_CA_FILE}) unless the app sets them itself. */
  void addEnvironment(Map<String, String> env, Map<String, String> appEnv) {
    if (!url.isEmpty() && !appEnv.containsKey("CORRAL_URL")) {
      env.put("CORRAL_URL", url);
      if (caPem != null && !appEnv.containsKey("CORRAL_CA_FILE")) {
        env.put("CORRAL_CA_FILE", CA_FILE);
      }
    }
  }

  /** The artifact that puts the CA into the sandbox; empty when tasks need none. */
  Optional<FetchUri> caArtifact() {
    if (url.isEmpty() || caPem == null) {
      return Optional.empty();
    }
    return Optional.of(FetchUri.newBuilder().setUri("data:application/x-pem-file;base64,"
        + Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8))).setDestPath(CA_FILE).build());
  }
}
