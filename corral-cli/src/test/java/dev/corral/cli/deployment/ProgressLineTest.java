package dev.corral.cli.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
  private static final String REWRITE = "\r\u001b[K";

  private final StringWriter text = new StringWriter();
  private final PrintWriter out = new PrintWriter(text);

  private String printed() {
    return text.toString().replace(System.lineSeparator(), "\n");
  }

  @Test
  void plainPrintsEachChangeOnceOnItsOwnLine() {
    ProgressLine line = ProgressLine.of(out, false, false);

    line.show("step 1/2");
    line.show("step 1/2");
    line.show("step 2/2");
    line.finish("step 2/2");
    line.finish("finished");

    assertThat(printed()).isEqualTo("step 1/2\nstep 2/2\nfinished\n");
  }

  @Test
  void aTerminalRewritesOneLineAndEndsItWhenFinished() {
    ProgressLine line = ProgressLine.of(out, true, false);

    line.show("step 1/2");
    line.show("step 2/2");
    line.finish("finished");

    assertThat(printed()).isEqualTo(REWRITE + "step 1/2" + REWRITE + "step 2/2" + REWRITE + "finished\n");
  }

  @Test
  void endingAnOpenTerminalLineKeepsItsTextAndEndsOnlyOnce() {
    ProgressLine line = ProgressLine.of(out, true, false);

    line.show("step 1/2 failed");
    line.end();
    line.end();

    assertThat(printed()).isEqualTo(REWRITE + "step 1/2 failed\n");
  }

  @Test
  void aLineWiderThanTheTerminalIsCutSoThatItCannotWrap() {
    ProgressLine line = ProgressLine.of(out, true, false);

    line.show("x".repeat(100));

    assertThat(printed()).isEqualTo(REWRITE + "x".repeat(ProgressLine.TERMINAL_WIDTH - 3) + "...");
  }

  @Test
  void quietShowsNothing() {
    ProgressLine line = ProgressLine.of(out, true, true);

    line.show("step 1/2");
    line.end();
    line.finish("finished");

    assertThat(printed()).isEmpty();
  }
}
