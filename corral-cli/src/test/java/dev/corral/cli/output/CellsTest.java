package dev.corral.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.corral.common.Json;
import org.junit.jupiter.api.Test;

class CellsTest {

  private static JsonNode json(String text) throws Exception {
    return Json.mapper().readTree(text);
  }

  @Test
  void numbersLoseTrailingZerosButNeverGoScientific() throws Exception {
    JsonNode n = json("{\"mem\": 16.0, \"cpus\": 0.1, \"half\": 128.50, \"big\": 1E3, \"disk\": 0}");

    assertThat(Cells.number(n.path("mem"))).isEqualTo("16");
    assertThat(Cells.number(n.path("cpus"))).isEqualTo("0.1");
    assertThat(Cells.number(n.path("half"))).isEqualTo("128.5");
    assertThat(Cells.number(n.path("big"))).isEqualTo("1000");
    assertThat(Cells.number(n.path("disk"))).isEqualTo("0");
    assertThat(Cells.number(n.path("absent"))).isEqualTo("-");
  }

  @Test
  void missingNullAndEmptyTextAreADash() throws Exception {
    JsonNode n = json("{\"a\": null, \"b\": \"\", \"c\": \"x\", \"d\": true}");

    assertThat(Cells.text(n.path("a"))).isEqualTo("-");
    assertThat(Cells.text(n.path("b"))).isEqualTo("-");
    assertThat(Cells.text(n.path("c"))).isEqualTo("x");
    assertThat(Cells.text(n.path("d"))).isEqualTo("true");
    assertThat(Cells.text(n.path("zzz"))).isEqualTo("-");
  }

  @Test
  void joinListsArrayElements() throws Exception {
    assertThat(Cells.join(json("[31000, 31001]"), ",")).isEqualTo("31000,31001");
    assertThat(Cells.join(json("[]"), ",")).isEqualTo("-");
    assertThat(Cells.join(json("{}").path("ports"), ",")).isEqualTo("-");
  }

  @Test
  void truncateKeepsShortTextAndMarksACut() {
    assertThat(Cells.truncate("sleep 10", 10)).isEqualTo("sleep 10");
    assertThat(Cells.truncate("0123456789abc", 10)).isEqualTo("0123456...").hasSize(10);
  }

  @Test
  void multiLineCommandsBecomeOneLine() {
    assertThat(Cells.oneLine("  set -e\n  ./run.sh\t--port 80 \n")).isEqualTo("set -e ./run.sh --port 80");
    assertThat(Cells.truncate("a\nb", 10)).isEqualTo("a b");
  }
}
