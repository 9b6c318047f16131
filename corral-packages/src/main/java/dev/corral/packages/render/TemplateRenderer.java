package dev.corral.packages.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import dev.corral.common.Json;
import dev.corral.packages.CosmosException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders {@code marathon.json.mustache} with the resolved options plus {@code resource} (resource.json) and
 * parses the result. Every string value is escaped for a JSON string (not for HTML) before rendering, so that
 * {@code {{x}}} and {@code {{{x}}}} both yield it safely: templates put both inside JSON strings (Cassandra's
 * placement constraint default holds quotes), and a quote or backslash in an option must not break the document.
 */
public final class TemplateRenderer {
  private static final ObjectMapper JSON = Json.mapper();

  private static final DefaultMustacheFactory FACTORY = new DefaultMustacheFactory() {
    @Override
    public void encode(String value, Writer writer) {
      try {
        writer.write(value); // already escaped in the context
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private TemplateRenderer() {}

  /** The JSON value as Maps and Lists with every string JSON-escaped. */
  private static Map<String, Object> escaped(JsonNode value) {
    @SuppressWarnings("unchecked")
    Map<String, Object> map = (Map<String, Object>) escapeStrings(JSON.convertValue(value, Object.class));
    return map == null ? Map.of() : map;
  }

  private static Object escapeStrings(Object value) {
    if (value instanceof String s) {
      return new String(JsonStringEncoder.getInstance().quoteAsString(s));
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new HashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), escapeStrings(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(v -> out.add(escapeStrings(v)));
      return out;
    }
    return value;
  }

  private static String line(String text, int number) {
    String[] lines = text.split("\n", -1);
    return number >= 1 && number <= lines.length ? lines[number - 1].strip() : "";
  }

  public static ObjectNode render(String packageName, String template, ObjectNode options, JsonNode resource) {
    if (template == null) {
      throw new CosmosException(400, "PackageHasNoMarathonTemplate",
          "Package [" + packageName + "] has no Marathon template: there is nothing to install");
    }
    Map<String, Object> context = new HashMap<>(escaped(options));
    context.put("resource", escaped(resource));
    String text;
    try {
      Mustache mustache = FACTORY.compile(new StringReader(template), packageName);
      StringWriter out = new StringWriter();
      mustache.execute(out, context).flush();
      text = out.toString();
    } catch (MustacheException | IOException e) {
      throw new CosmosException(400, "MustacheTemplateError",
          "the Marathon template of package [" + packageName + "] cannot be rendered: " + e.getMessage());
    }
    try {
      JsonNode rendered = JSON.readTree(text);
      if (!(rendered instanceof ObjectNode object)) {
        throw new CosmosException(400, "RenderedTemplateNotJsonObject",
            "the Marathon template of package [" + packageName + "] did not render to a JSON object");
      }
      return object;
    } catch (JsonProcessingException e) {
      throw new CosmosException(400, "RenderedTemplateNotJson", "the Marathon template of package [" + packageName
          + "] rendered invalid JSON with these options: " + e.getOriginalMessage() + " at line "
          + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": "
          + line(text, e.getLocation().getLineNr()));
    }
  }
}
