package dev.corral.services.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestampsTest {
  private static final DateTimeFormatter REFERENCE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  @Test
  void writesWhatTheGeneralFormatterWrites() {
    assertThat(Timestamps.format(Instant.parse("2015-09-25T15:13:48.343Z"))).isEqualTo("2015-09-25T15:13:48.343Z");
    assertThat(Timestamps.format(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000Z");
    assertThat(Timestamps.format(Instant.parse("2024-02-29T23:59:59.999999999Z"))).isEqualTo("2024-02-29T23:59:59.999Z");
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 100_000; i++) {
      // years 0 to 9999 (0 is 1 BC for the pattern), any nanosecond, before and after the epoch
      Instant t = Instant.ofEpochSecond(random.nextLong(-62_167_219_200L, 253_402_300_800L), random.nextInt(1_000_000_000));
      assertThat(Timestamps.format(t)).as("%s", t).isEqualTo(REFERENCE.format(t));
    }
  }

  @Test
  void yearsOutsideOneToNineThousandNineHundredNinetyNineFallBackToTheGeneralFormatter() {
    Instant far = Instant.parse("+12345-01-02T03:04:05.678Z");
    assertThat(Timestamps.format(far)).isEqualTo(REFERENCE.format(far));
    assertThat(Timestamps.parse(Timestamps.format(Instant.parse("2030-01-01T00:00:00.001Z"))))
        .isEqualTo(Instant.parse("2030-01-01T00:00:00.001Z"));
  }

  @Test
  void isoWritesWhatInstantToStringWrites() {
    assertThat(Timestamps.iso(Instant.parse("2015-09-25T15:13:48Z"))).isEqualTo("2015-09-25T15:13:48Z");
    assertThat(Timestamps.iso(Instant.parse("2015-09-25T15:13:48.340Z"))).isEqualTo("2015-09-25T15:13:48.340Z");
    assertThat(Timestamps.iso(Instant.parse("2015-09-25T15:13:48.000001Z"))).isEqualTo("2015-09-25T15:13:48.000001Z");
    assertThat(Timestamps.iso(Instant.parse("2015-09-25T15:13:48.000000001Z")))
        .isEqualTo("2015-09-25T15:13:48.000000001Z");
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      long second = random.nextLong(-62_200_000_000L, 253_500_000_000L); // a little past both ends of 1-9999
      // whole seconds, milliseconds, microseconds and nanoseconds alike
      int nano = switch (i % 4) {
        case 0 -> 0;
        case 1 -> random.nextInt(1_000) * 1_000_000;
        case 2 -> random.nextInt(1_000_000) * 1_000;
        default -> random.nextInt(1_000_000_000);
      };
      Instant t = Instant.ofEpochSecond(second, nano);
      assertThat(Timestamps.iso(t)).as("%s", t).isEqualTo(t.toString());
    }
  }
}
