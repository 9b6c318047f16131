package dev.corral.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Turns API JSON values into short table cells. Missing and null values become {@code -}. */
public final class Cells {
  public static final String NONE = "-";

  private Cells() {}

  /** Text as-is; numbers and booleans as JSON writes them; missing, null or empty as {@code -}. */
  public static String text(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return NONE;
    }
    String text = node.isValueNode() ? node.asText() : node.toString();
    return text.isEmpty() ? NONE : text;
  }

  /** {@code 0.1}, {@code 16}, {@code 128.5}: no trailing zeros, no exponent (JSON gives us 16.0 for mem). */
  public static String number(JsonNode node) {
    if (node == null || !node.isNumber()) {
      return text(node);
    }
    BigDecimal value = node.decimalValue().stripTrailingZeros();
    return value.scale() < 0 ? value.setScale(0).toPlainString() : value.toPlainString();
  }

  /** Array elements joined with {@code separator}; {@code -} when absent or empty. */
  public static String join(JsonNode array, String separator) {
    List<String> parts = new ArrayList<>();
    if (array != null) {
      array.forEach(e -> parts.add(e.isValueNode() ? e.asText() : e.toString()));
    }
    return parts.isEmpty() ? NONE : String.join(separator, parts);
  }

  /** Runs of whitespace, newlines included, become one space: a multi-line cmd must not break a table. */
  public static String oneLine(String text) {
    return text.strip().replaceAll("\\s+", " ");
  }

  /**
   * One line of at most {@code max} characters: runs of whitespace (newlines in a multi-line cmd) become one
   * space, and a cut is marked with {@code ...} so nobody mistakes it for the whole command.
   */
  public static String truncate(String text, int max) {
    if (max < 4) {
      throw new IllegalArgumentException("max must leave room for the ellipsis: " + max);
    }
    String line = oneLine(text);
    return line.length() <= max ? line : line.substring(0, max - 3) + "...";
  }
}
