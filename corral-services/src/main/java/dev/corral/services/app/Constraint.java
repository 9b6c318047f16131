package dev.corral.services.app;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One placement constraint, Marathon's {@code [field, operator, value]}. The field is {@code hostname} (the
 * agent's host name) or the name of an agent attribute.
 *
 * @param value the operator's argument; null when none was given
 * @param pattern the compiled value for LIKE and UNLIKE (matched against the whole attribute value); else null
 */
public record Constraint(String field, Operator operator, String value, Pattern pattern) {

  /** Marathon's operators, plus IS (exact value) which later Marathon versions added. */
  public enum Operator { UNIQUE, CLUSTER, GROUP_BY, LIKE, UNLIKE, MAX_PER, IS }

  public static final String HOSTNAME = "hostname";

  /** Builds a constraint; throws {@link IllegalArgumentException} with a user-facing reason when invalid. */
  public static Constraint of(String field, String operator, String value) {
    if (field == null || field.isEmpty()) {
      throw new IllegalArgumentException("the field must not be empty");
    }
    Operator op;
    try {
      op = Operator.valueOf(operator);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("unknown operator '" + operator
          + "'; use one of UNIQUE, CLUSTER, GROUP_BY, LIKE, UNLIKE, MAX_PER, IS");
    }
    Pattern pattern = null;
    switch (op) {
      case LIKE, UNLIKE -> {
        if (value == null) {
          throw new IllegalArgumentException(op + " needs a regular expression as its value");
        }
        try {
          pattern = Pattern.compile(value);
        } catch (PatternSyntaxException e) {
          throw new IllegalArgumentException("'" + value + "' is not a valid regular expression");
        }
      }
      case MAX_PER -> {
        if (value == null || parsePositive(value) < 1) {
          throw new IllegalArgumentException("MAX_PER needs a positive integer as its value");
        }
      }
      case GROUP_BY -> {
        if (value != null && !value.isEmpty() && parsePositive(value) < 0) {
          throw new IllegalArgumentException("GROUP_BY takes an optional non-negative integer as its value");
        }
      }
      case IS -> {
        if (value == null) {
          throw new IllegalArgumentException("IS needs a value");
        }
      }
      default -> { }
    }
    String canonicalField = field.equals("@hostname") ? HOSTNAME : field;
    return new Constraint(canonicalField, op, value, pattern);
  }

  /** The integer argument of MAX_PER and GROUP_BY (0 when absent). */
  public int intValue() {
    return value == null || value.isEmpty() ? 0 : parsePositive(value);
  }

  private static int parsePositive(String text) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
