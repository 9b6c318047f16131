package dev.corral.cli.config;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One cluster the CLI knows: its address, and the token (and CA certificate, for a cluster with its own CA)
 * to use there. Immutable.
 *
 * @param ca PEM of the CA that signed the gateway's certificate; null to trust the system's CAs
 * @param master the address agents connect to (host:port), as the master that wrote this context advertised it;
 *     {@code corral agent} finds the cluster secret by it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterContext(String name, String url, String uid, String token, String ca, String master) {
  public ClusterContext(String name, String url, String uid, String token, String ca) {
    this(name, url, uid, token, ca, null);
  }

  public ClusterContext withToken(String uid, String token) {
    return new ClusterContext(name, url, uid, token, ca, master);
  }
}
