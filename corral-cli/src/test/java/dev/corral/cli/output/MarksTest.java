package dev.corral.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MarksTest {
  @Test
  void checkMarksWhereTheCharsetHasThemWordsWhereNot() {
    Marks utf8 = Marks.forCharset(StandardCharsets.UTF_8);
    assertThat(utf8.of(true)).isEqualTo("✓");
    assertThat(utf8.of(false)).isEqualTo("✗");
    Marks ascii = Marks.forCharset(StandardCharsets.US_ASCII);
    assertThat(ascii.of(true)).isEqualTo("ok");
    assertThat(ascii.of(false)).isEqualTo("NO");
  }
}
