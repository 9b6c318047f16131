package dev.corral.jobs.spec;

import dev.corral.api.v1.Attribute;
import dev.corral.api.v1.Offer;
import java.util.Set;

/**
 * A Metronome placement constraint: {@code attribute} (an agent attribute, or {@code hostname}) compared
 * with {@code value} by {@code operator}: EQ and IS (equal), LIKE (matches the regular expression), UNLIKE
 * (does not). An agent without the attribute satisfies only UNLIKE.
 */
public record PlacementConstraint(String attribute, String operator, String value) {
  public static final Set<String> OPERATORS = Set.of("EQ", "IS", "LIKE", "UNLIKE");

  public boolean satisfiedBy(Offer offer) {
    String actual = null;
    if (attribute.equals("hostname") || attribute.equals("@hostname")) {
      actual = offer.getHostname();
    } else {
      for (Attribute a : offer.getAttributesList()) {
        if (a.getName().equals(attribute)) {
          actual = a.getText();
        }
      }
    }
    if (actual == null) {
      return operator.equals("UNLIKE");
    }
    switch (operator) {
      case "EQ":
      case "IS":
        return actual.equals(value);
      case "LIKE":
        return actual.matches(value);
      case "UNLIKE":
        return !actual.matches(value);
      default:
        return false;
    }
  }
}
