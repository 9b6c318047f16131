package dev.corral.common;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/** Whether bytes are text: what a secret's value may be sent and shown as (JSON, an environment variable). */
public final class Utf8 {
  private Utf8() {}

  /** The bytes as a string when they are valid UTF-8 without NUL characters; null when they are binary. */
  public static String textOrNull(byte[] bytes) {
    try {
      String s = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
      return s.indexOf('\0') >= 0 ? null : s;
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
