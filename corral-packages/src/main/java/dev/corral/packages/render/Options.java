package dev.corral.packages.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.corral.packages.CosmosException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A package's options: the defaults of its {@code config.json} schema, overridden by the user's options, then
 * validated against the schema (draft-04, as Universe packages are written). Errors name the option path and
 * the rule that failed.
 */
public final class Options {
  private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);

  private Options() {}

  /** Defaults ← user options, validated; the result is the Mustache context's base. */
  public static ObjectNode resolve(JsonNode schema, JsonNode userOptions) {
    if (userOptions != null && !userOptions.isNull() && !userOptions.isObject()) {
      throw CosmosException.badRequest("options must be a JSON object");
    }
    ObjectNode merged = schema == null ? JsonNodeFactory.instance.objectNode() : defaults(schema);
    if (userOptions != null && userOptions.isObject()) {
      merge(merged, (ObjectNode) userOptions);
    }
    if (schema != null) {
      validate(schema, merged);
    }
    return merged;
  }

  /** The object made of every {@code default} of the schema's properties, nested objects included. */
  static ObjectNode defaults(JsonNode schema) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    JsonNode properties = schema.path("properties");
    for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      JsonNode def = property.getValue();
      if (def.has("default")) {
        out.set(property.getKey(), def.get("default").deepCopy());
      } else if ("object".equals(def.path("type").asText()) || def.has("properties")) {
        ObjectNode nested = defaults(def);
        if (!nested.isEmpty()) {
          out.set(property.getKey(), nested);
        }
      }
    }
    return out;
  }

  /** Deep merge: objects merge key by key, anything else in {@code over} replaces. */
  static void merge(ObjectNode base, ObjectNode over) {
    for (Iterator<Map.Entry<String, JsonNode>> it = over.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode existing = base.get(e.getKey());
      if (existing instanceof ObjectNode target && e.getValue() instanceof ObjectNode source) {
        merge(target, source);
      } else {
        base.set(e.getKey(), e.getValue().deepCopy());
      }
    }
  }

  private static void validate(JsonNode schema, ObjectNode options) {
    Schema compiled;
    try {
      compiled = SCHEMAS.getSchema(schema);
    } catch (RuntimeException e) {
      throw new CosmosException(500, "InvalidPackageSchema", "the package's config.json is not a usable schema: "
          + e.getMessage());
    }
    List<Error> errors = compiled.validate(options);
    if (errors.isEmpty()) {
      return;
    }
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    ArrayNode list = data.putArray("errors");
    StringBuilder message = new StringBuilder("Options JSON failed validation:");
    for (Error error : errors) {
      String path = optionPath(error);
      list.addObject().put("path", path).put("rule", error.getKeyword()).put("message", error.getMessage());
      message.append("\n  ").append(path).append(": ").append(error.getMessage()).append(" (").append(error.getKeyword())
          .append(')');
    }
    throw new CosmosException(400, "JsonSchemaMismatch", message.toString(), data);
  }

  /** {@code /brokers/count} → {@code brokers.count}, the way options are written in docs and templates. */
  private static String optionPath(Error error) {
    String location = String.valueOf(error.getInstanceLocation());
    String path = location.replaceFirst("^[$/]+", "").replace('/', '.');
    if (path.startsWith(".")) {
      path = path.substring(1);
    }
    if ("required".equals(error.getKeyword()) || "additionalProperties".equals(error.getKeyword())) {
      String property = error.getProperty();
      if (property != null) {
        return path.isEmpty() ? property : path + "." + property;
      }
    }
    return path.isEmpty() ? "(options)" : path;
  }
}
