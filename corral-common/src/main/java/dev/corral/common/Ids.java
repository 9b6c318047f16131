package dev.corral.common;

import java.util.UUID;

/** Identifier generation. Ids are created at the edges (API calls, registration), never during replay. */
public final class Ids {
  private Ids() {}

  public static String uuid() {
    return UUID.randomUUID().toString();
  }
}
