package dev.corral.packages;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A package-manager failure in Cosmos's error shape: {@code {"type", "message", "data"}} with an HTTP status.
 * {@code type} is Cosmos's error name (PackageNotFound, VersionNotFound, JsonSchemaMismatch, …) so that
 * existing clients that switch on it keep working.
 */
public final class CosmosException extends RuntimeException {
  private final int status;
  private final String type;
  private final ObjectNode data;

  public CosmosException(int status, String type, String message) {
    this(status, type, message, JsonNodeFactory.instance.objectNode());
  }

  public CosmosException(int status, String type, String message, ObjectNode data) {
    super(message);
    this.status = status;
    this.type = type;
    this.data = data;
  }

  public static CosmosException packageNotFound(String name) {
    ObjectNode data = JsonNodeFactory.instance.objectNode().put("packageName", name);
    return new CosmosException(400, "PackageNotFound", "Package [" + name + "] not found", data);
  }

  public static CosmosException versionNotFound(String name, String version) {
    ObjectNode data = JsonNodeFactory.instance.objectNode().put("packageName", name).put("packageVersion", version);
    return new CosmosException(400, "VersionNotFound",
        "Version [" + version + "] of package [" + name + "] not found", data);
  }

  public static CosmosException badRequest(String message) {
    return new CosmosException(400, "InvalidRequest", message);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public ObjectNode data() {
    return data;
  }

  /** The JSON body a client receives. */
  public ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("type", type);
    n.put("message", getMessage());
    if (!data.isEmpty()) {
      n.set("data", data);
    }
    return n;
  }
}
