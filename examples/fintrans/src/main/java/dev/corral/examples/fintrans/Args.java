package dev.corral.examples.fintrans;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} command-line options with environment-variable fallbacks; the rest are positional. */
final class Args {

  private final Map<String, String> options = new HashMap<>();
  private final List<String> positional = new ArrayList<>();

  Args(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value for " + args[i]);
        }
        options.put(args[i].substring(2), args[++i]);
      } else {
        positional.add(args[i]);
      }
    }
  }

  /** The option, else the environment variable, else the default. */
  String get(String name, String env, String defaultValue) {
    String value = options.get(name);
    if (value == null && env != null) {
      value = System.getenv(env);
    }
    return value == null || value.isEmpty() ? defaultValue : value;
  }

  long getLong(String name, String env, long defaultValue) {
    return Long.parseLong(get(name, env, Long.toString(defaultValue)));
  }

  double getDouble(String name, String env, double defaultValue) {
    return Double.parseDouble(get(name, env, Double.toString(defaultValue)));
  }

  String bootstrap() {
    String value = get("bootstrap", "KAFKA_BOOTSTRAP", null);
    if (value == null) {
      throw new IllegalArgumentException("set --bootstrap host:port[,host:port] or KAFKA_BOOTSTRAP");
    }
    return value;
  }

  List<String> positional() {
    return List.copyOf(positional);
  }
}
