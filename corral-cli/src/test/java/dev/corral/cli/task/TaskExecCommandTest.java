package dev.corral.cli.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.cli.Cli;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How {@code corral task exec} reads its words; the exchange itself is covered end to end by ExecIT. */
class TaskExecCommandTest {
  private static TaskExecCommand parse(String... args) {
    CommandLine cli = Cli.commandLine(Map.<String, String>of()::get, new ByteArrayInputStream(new byte[0]));
    CommandLine.ParseResult parsed = cli.parseArgs(args);
    while (parsed.hasSubcommand()) {
      parsed = parsed.subcommand();
    }
    return (TaskExecCommand) parsed.commandSpec().userObject();
  }

  @Test
  void everythingAfterTheTaskBelongsToTheCommand() {
    TaskExecCommand exec = parse("task", "exec", "-it", "web.1", "sh", "-c", "ls -l", "--tty");
    assertThat(exec.interactive).isTrue();
    assertThat(exec.tty).isTrue();
    assertThat(exec.task).isEqualTo("web.1");
    assertThat(exec.commandWords()).containsExactly("sh", "-c", "ls -l", "--tty");
  }

  @Test
  void aDoubleDashSeparatesTheCommandToo() {
    TaskExecCommand exec = parse("task", "exec", "web", "--", "ls", "-a");
    assertThat(exec.interactive).isFalse();
    assertThat(exec.tty).isFalse();
    assertThat(exec.commandWords()).containsExactly("ls", "-a");
  }

  @Test
  void remoteOutputSplitInsideACharacterComesOutWhole() {
    StringWriter text = new StringWriter();
    Utf8Output out = new Utf8Output(new PrintWriter(text));
    byte[] bytes = "grüß".getBytes(StandardCharsets.UTF_8);
    out.write(java.util.Arrays.copyOfRange(bytes, 0, 3)); // "gr" and half of "ü"
    out.write(java.util.Arrays.copyOfRange(bytes, 3, bytes.length));
    assertThat(text.toString()).isEqualTo("grüß");
  }
}
