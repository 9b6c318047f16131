package dev.corral.master;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The outstanding offers of one master run, found by id. Keyed by the offer's number rather than its id string:
 * a pass adds tens of thousands of offers with consecutive numbers, which land in neighbouring buckets of the
 * table instead of random ones, and no id is hashed. Ids are this run's prefix and the number; an id of another
 * run, or not of this form, finds nothing. Loop thread only.
 */
final class OfferTable {
  private final String prefix;
  private final Map<Long, Offer> bySeq = new HashMap<>();

  OfferTable(String runId) {
    this.prefix = runId + "-O";
  }

  /** The id of the offer numbered {@code seq}. */
  String id(long seq) {
    return prefix + seq;
  }

  /** The outstanding offer of this id, or null. */
  Offer get(String id) {
    long seq = seqOf(id);
    Offer offer = seq < 0 ? null : bySeq.get(seq);
    // The same number written differently (leading zeros) is not the same id.
    return offer != null && offer.id.equals(id) ? offer : null;
  }

  /** The outstanding offer numbered {@code seq}, or null. */
  Offer get(long seq) {
    return bySeq.get(seq);
  }

  void put(Offer offer) {
    bySeq.put(offer.seq, offer);
  }

  void remove(Offer offer) {
    bySeq.remove(offer.seq);
  }

  Collection<Offer> values() {
    return bySeq.values();
  }

  int size() {
    return bySeq.size();
  }

  /** The number in an id of this run, or -1 (other spellings of a number are caught by comparing ids). */
  private long seqOf(String id) {
    if (!id.startsWith(prefix)) {
      return -1;
    }
    try {
      return Long.parseLong(id, prefix.length(), id.length(), 10);
    } catch (NumberFormatException notANumber) {
      return -1;
    }
  }
}
