package dev.corral.api.leader;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.corral.common.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What the leading master publishes in ZooKeeper (node {@code <root>/leader/info}, ephemeral, JSON): where
 * its APIs answer and the epoch it leads in. Standby masters proxy to {@code http}; agents and schedulers
 * connect to {@code grpc}.
 *
 * @param id the master's name, host:httpPort
 * @param hostname the name the master advertises
 * @param http host:port of its HTTP API
 * @param grpc host:port of its gRPC API (agents, schedulers)
 * @param epoch the leader epoch (grows with each new leader)
 * @param dns the port of its DNS server; 0 when it runs none
 * @param starting true while the leader is still starting: its gRPC API (agents re-registering, schedulers
 *     subscribing) answers already, its HTTP and DNS do not yet. Left out of the JSON when false.
 */
public record LeaderInfo(String id, String hostname, String http, String grpc, long epoch, int dns,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean starting) {
  /** The node, relative to the cluster's ZooKeeper root. */
  public static final String PATH = "/leader/info";

  public LeaderInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(grpc, "grpc");
  }

  /** The {@code grpc} address, resolved now. */
  public InetSocketAddress grpcAddress() {
    int colon = grpc.lastIndexOf(':');
    return new InetSocketAddress(grpc.substring(0, colon), Integer.parseInt(grpc.substring(colon + 1)));
  }

  public byte[] toBytes() {
    try {
      return Json.mapper().writeValueAsBytes(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @throws IOException when the bytes are not a leader record */
  public static LeaderInfo fromBytes(byte[] data) throws IOException {
    try {
      return Json.mapper().readValue(data, LeaderInfo.class);
    } catch (RuntimeException e) {
      throw new IOException("not a leader record: " + e.getMessage(), e);
    }
  }
}
