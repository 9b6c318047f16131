package dev.corral.cli.task;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** URL pieces for the task files and logs API. */
final class TaskPaths {
  private TaskPaths() {}

  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
