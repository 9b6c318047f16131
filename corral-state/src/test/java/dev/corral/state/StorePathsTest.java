package dev.corral.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StorePathsTest {

  @Test
  void segmentsEncodeAsTheUrlEncoderDoesAndDecodeBack() {
    for (String id : new String[] {"bench_a.instance-1f2e", "/prod/web", "a b+c", "ü", "x*y", "", "%41", "a:b"}) {
      assertThat(StorePaths.segment(id)).as(id).isEqualTo(URLEncoder.encode(id, StandardCharsets.UTF_8))
          .doesNotContain("/");
      assertThat(StorePaths.unsegment(StorePaths.segment(id))).isEqualTo(id);
    }
  }
}
