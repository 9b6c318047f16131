package dev.corral.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table: each column as wide as its widest cell (header included), two spaces between columns,
 * left-aligned, no trailing spaces. Made for terminals and for {@code grep}/{@code awk}, so no borders.
 * Not thread-safe; build, print, discard.
 */
public final class Table {
  static final String GAP = "  ";

  private final int columns;
  private final List<List<String>> lines = new ArrayList<>();

  private Table(int columns) {
    this.columns = columns;
  }

  /** A table whose first line is {@code headers}. */
  public static Table withHeaders(String... headers) {
    Table table = new Table(headers.length);
    table.row(headers);
    return table;
  }

  /** A table without a header line, e.g. for {@code KEY: value} blocks. */
  public static Table withColumns(int columns) {
    if (columns < 1) {
      throw new IllegalArgumentException("a table needs at least one column");
    }
    return new Table(columns);
  }

  /** Adds one line; a null cell prints as {@code -} so that columns never collapse. */
  public Table row(String... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException(
          "expected " + columns + " cells, got " + cells.length + ": " + Arrays.toString(cells));
    }
    List<String> line = new ArrayList<>(columns);
    for (String cell : cells) {
      line.add(cell == null || cell.isEmpty() ? "-" : cell);
    }
    lines.add(line);
    return this;
  }

  /** The table as text, one line per row, each ending with a newline. */
  public String render() {
    int[] widths = new int[columns];
    for (List<String> line : lines) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], line.get(c).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> line : lines) {
      StringBuilder text = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        String cell = line.get(c);
        text.append(cell);
        if (c < columns - 1) {
          text.append(" ".repeat(widths[c] - cell.length())).append(GAP);
        }
      }
      out.append(text.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  public void print(PrintWriter out) {
    out.print(render());
    out.flush();
  }
}
