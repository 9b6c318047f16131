package dev.corral.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordsTest {
  @Test
  void aHashIsArgon2idAndChecksOnlyTheRightPassword() {
    String hash = Passwords.hash("correct horse");
    assertThat(hash).startsWith("$argon2id$");
    assertThat(Passwords.verify("correct horse", hash)).isTrue();
    assertThat(Passwords.verify("correct horsE", hash)).isFalse();
    assertThat(Passwords.verify("", hash)).isFalse();
  }

  @Test
  void theSamePasswordHashesDifferentlyEachTime() {
    assertThat(Passwords.hash("same")).isNotEqualTo(Passwords.hash("same"));
  }

  @Test
  void anythingButAnArgon2HashIsRefused() {
    assertThat(Passwords.verify("x", null)).isFalse();
    assertThat(Passwords.verify("x", "x")).isFalse();
    assertThat(Passwords.verify("x", "$argon2id$garbage")).isFalse();
  }

  @Test
  void randomPasswordsHaveTheLengthAskedFor() {
    assertThat(Passwords.random(20)).hasSize(20).matches("[A-Za-z0-9]+");
    assertThat(Passwords.random(20)).isNotEqualTo(Passwords.random(20));
  }
}
