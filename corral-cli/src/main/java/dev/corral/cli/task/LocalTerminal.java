package dev.corral.cli.task;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.BiConsumer;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The user's terminal while {@code task exec -t} runs: raw mode (every key goes to the remote side as it is
 * typed, Ctrl-C included), its size, and its resizes (SIGWINCH). {@link #close} restores the settings it
 * found, whatever happened. JLine's {@code exec} provider drives {@code stty}, so no native library is needed.
 */
final class LocalTerminal implements AutoCloseable {
  private final Terminal terminal;
  private final Attributes saved;

  private LocalTerminal(Terminal terminal, Attributes saved) {
    this.terminal = terminal;
    this.saved = saved;
  }

  /** Puts the terminal in raw mode; {@code onResize} gets the new columns and rows. */
  static LocalTerminal raw(BiConsumer<Integer, Integer> onResize) throws IOException {
    Terminal terminal = TerminalBuilder.builder().system(true).exec(true).jni(false).ffm(false)
        .nativeSignals(true).build();
    Attributes saved = terminal.enterRawMode();
    terminal.handle(Terminal.Signal.WINCH, signal -> {
      Size size = terminal.getSize();
      onResize.accept(size.getColumns(), size.getRows());
    });
    return new LocalTerminal(terminal, saved);
  }

  /** Columns, or 80 when the terminal does not say. */
  int cols() {
    int c = terminal.getSize().getColumns();
    return c > 0 ? c : 80;
  }

  /** Rows, or 24 when the terminal does not say. */
  int rows() {
    int r = terminal.getSize().getRows();
    return r > 0 ? r : 24;
  }

  /** The keyboard, raw. */
  InputStream input() {
    return terminal.input();
  }

  @Override
  public void close() {
    try {
      terminal.setAttributes(saved);
      terminal.close();
    } catch (IOException | RuntimeException e) {
      // the terminal is gone; nothing left to restore
    }
  }
}
