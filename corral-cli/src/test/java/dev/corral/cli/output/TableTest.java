package dev.corral.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void columnsAreAsWideAsTheirWidestCellWithTwoSpacesBetween() {
    String text = Table.withHeaders("ID", "INSTANCES", "CMD")
        .row("/a-rather-long-id", "1/1", "sleep 1")
        .row("/b", "10/12", "x")
        .render();

    assertThat(text).isEqualTo(""
        + "ID                 INSTANCES  CMD\n"
        + "/a-rather-long-id  1/1        sleep 1\n"
        + "/b                 10/12      x\n");
  }

  @Test
  void aHeaderWiderThanEveryCellSetsTheWidth() {
    String text = Table.withHeaders("TASK ID", "HOST").row("t1", "h").render();

    assertThat(text).isEqualTo("TASK ID  HOST\nt1       h\n");
  }

  @Test
  void noLineEndsInSpacesEvenWhenTheLastColumnIsRagged() {
    String text = Table.withHeaders("A", "LONG HEADER").row("x", "y").render();

    assertThat(text.lines()).allSatisfy(line -> assertThat(line).doesNotEndWith(" "));
  }

  @Test
  void emptyAndNullCellsPrintAsDashSoColumnsNeverCollapse() {
    String text = Table.withHeaders("A", "B", "C").row("", null, "z").render();

    assertThat(text).isEqualTo("A  B  C\n-  -  z\n");
  }

  @Test
  void aTableWithoutHeaderAlignsKeyValuePairs() {
    String text = Table.withColumns(2).row("ID:", "/app").row("INSTANCES:", "3").render();

    assertThat(text).isEqualTo("ID:         /app\nINSTANCES:  3\n");
  }

  @Test
  void aHeaderOnlyTablePrintsJustTheHeader() {
    assertThat(Table.withHeaders("ID", "CMD").render()).isEqualTo("ID  CMD\n");
  }

  @Test
  void aRowWithTheWrongNumberOfCellsIsRejected() {
    Table table = Table.withHeaders("A", "B");

    assertThatThrownBy(() -> table.row("only one"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 2 cells, got 1");
  }
}
