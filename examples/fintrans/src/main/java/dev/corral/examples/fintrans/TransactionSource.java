package dev.corral.examples.fintrans;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Makes the generator's transactions: random transfers between many accounts, and now and then a burst of
 * small transfers between one pair whose sum passes the fraud threshold within a short time. Pure logic: the
 * caller supplies the time and the randomness, so tests can replay it.
 */
public final class TransactionSource {

  /** Normal transfers are 1..{@value #MAX_NORMAL_AMOUNT}; a random pair rarely repeats among many accounts. */
  static final long MAX_NORMAL_AMOUNT = 2_000;
  static final int BURST_TRANSFERS = 25;
  /** Each burst transfer is 450..899, so a burst sums to at least 11,250: above the default threshold. */
  static final long BURST_MIN_AMOUNT = 450;
  static final long BURST_SPREAD = 450;

  private final Random random;
  private final int accounts;
  private final long burstEveryMillis;
  private long nextBurstAt = -1;

  public TransactionSource(Random random, int accounts, long burstEveryMillis) {
    if (accounts < 2) {
      throw new IllegalArgumentException("need at least two accounts");
    }
    this.random = random;
    this.accounts = accounts;
    this.burstEveryMillis = burstEveryMillis;
  }

  /** The transactions to send at {@code now}: one normal transfer, plus a burst when one is due. */
  public List<Transaction> next(long now) {
    List<Transaction> out = new ArrayList<>();
    String from = account();
    String to = otherAccount(from);
    out.add(new Transaction(now, from, to, 1 + (long) random.nextInt((int) MAX_NORMAL_AMOUNT)));
    if (nextBurstAt < 0) {
      // The first burst comes soon after start, so a demo shows fraud within a minute.
      nextBurstAt = now + Math.min(burstEveryMillis, 15_000);
    }
    if (burstEveryMillis > 0 && now >= nextBurstAt) {
      out.addAll(burst(now));
      nextBurstAt = now + burstEveryMillis;
    }
    return out;
  }

  /** Many small transfers from one account to another, all at {@code now}. */
  public List<Transaction> burst(long now) {
    String from = account();
    String to = otherAccount(from);
    List<Transaction> out = new ArrayList<>(BURST_TRANSFERS);
    for (int i = 0; i < BURST_TRANSFERS; i++) {
      out.add(new Transaction(now, from, to, BURST_MIN_AMOUNT + random.nextInt((int) BURST_SPREAD)));
    }
    return out;
  }

  private String account() {
    return "acct" + random.nextInt(accounts);
  }

  private String otherAccount(String from) {
    String to = account();
    while (to.equals(from)) {
      to = account();
    }
    return to;
  }
}
