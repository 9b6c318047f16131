package dev.corral.examples.fintrans;

/**
 * One money transfer, as written to the {@code transactions} topic: {@code timestamp;fromAccount;toAccount;amount}
 * with the timestamp in epoch milliseconds and the amount in whole currency units.
 */
public record Transaction(long timestamp, String from, String to, long amount) {

  public Transaction {
    if (from.isEmpty() || to.isEmpty() || from.contains(";") || to.contains(";")) {
      throw new IllegalArgumentException("account ids must be non-empty and free of ';': " + from + ", " + to);
    }
    if (amount <= 0) {
      throw new IllegalArgumentException("amount must be positive: " + amount);
    }
  }

  /** Parses one record; throws {@link IllegalArgumentException} on anything malformed. */
  public static Transaction parse(String line) {
    String[] fields = line.trim().split(";", -1);
    if (fields.length != 4) {
      throw new IllegalArgumentException("expected timestamp;from;to;amount, got: " + line);
    }
    try {
      return new Transaction(Long.parseLong(fields[0]), fields[1], fields[2], Long.parseLong(fields[3]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad number in: " + line, e);
    }
  }

  public String format() {
    return timestamp + ";" + from + ";" + to + ";" + amount;
  }
}
