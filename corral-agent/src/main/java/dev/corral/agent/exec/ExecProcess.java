package dev.corral.agent.exec;

import com.pty4j.PtyProcess;
import com.pty4j.PtyProcessBuilder;
import com.pty4j.WinSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The running command of one exec, on a terminal (pty4j) or on plain pipes. Thread-safe as far as its
 * streams are: one thread writes stdin, one reads each output.
 */
public final class ExecProcess {
  /** With a TTY, Ctrl-D: what a terminal sends for end of input. */
  private static final int EOT = 4;

  private final Process process;
  private final PtyProcess pty;

  private ExecProcess(Process process, PtyProcess pty) {
    this.process = process;
    this.pty = pty;
  }

  /**
   * Starts {@code command} on a new terminal of {@code cols}×{@code rows}; stderr shares the terminal. On
   * Linux pty4j sets that size just after the command has started, so a command that asks for it within its
   * first milliseconds may still see 0×0; it then gets SIGWINCH, as on any resize, which shells and
   * full-screen programs handle.
   */
  public static ExecProcess onTerminal(ExecCommand command, int cols, int rows) throws IOException {
    PtyProcess pty = new PtyProcessBuilder(command.argv().toArray(new String[0]))
        .setEnvironment(command.env())
        .setDirectory(command.dir().toString())
        .setInitialColumns(cols)
        .setInitialRows(rows)
        .setRedirectErrorStream(true)
        .setConsole(false)
        // keeps the last output readable after the command exits (else a quick `echo; exit` can lose it)
        .setUnixOpenTtyToPreserveOutputAfterTermination(true)
        .start();
    return new ExecProcess(pty, pty);
  }

  /** Starts {@code command} with stdin, stdout and stderr on pipes. */
  public static ExecProcess onPipes(ExecCommand command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command.argv()).directory(command.dir().toFile());
    pb.environment().clear();
    pb.environment().putAll(command.env());
    return new ExecProcess(pb.start(), null);
  }

  public boolean tty() {
    return pty != null;
  }

  public long pid() {
    return process.pid();
  }

  public OutputStream stdin() {
    return process.getOutputStream();
  }

  /** Everything the command writes, with a TTY. */
  public InputStream stdout() {
    return process.getInputStream();
  }

  /** Null with a TTY, where stderr goes to the terminal. */
  public InputStream stderr() {
    return pty == null ? process.getErrorStream() : null;
  }

  /** The terminal's new size; ignored without a TTY. */
  public void resize(int cols, int rows) {
    if (pty != null && cols > 0 && rows > 0) {
      pty.setWinSize(new WinSize(cols, rows));
    }
  }

  /** The client's input ended: close the pipe, or type Ctrl-D on a terminal. */
  public void endInput() throws IOException {
    if (pty != null) {
      stdin().write(EOT);
      stdin().flush();
    } else {
      stdin().close();
    }
  }

  /** Blocks until the command exits; its exit code (128+N for signal N). */
  public int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** SIGKILL to the command and everything it started that is still its descendant. */
  public void kill() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
