package dev.corral.agent.containerizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor on its own: pids on stdout, the task in its own session, status written atomically. */
class MonitorScriptTest {
  @TempDir
  Path dir;
  private final List<Process> started = new ArrayList<>();
  private final List<Long> groups = new ArrayList<>();

  @AfterEach
  void killLeftovers() throws Exception {
    for (long pgid : groups) {
      new ProcessBuilder("kill", "-s", "KILL", "--", "-" + pgid).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }
    started.forEach(Process::destroyForcibly);
  }

  private long[] startMonitor(String... command) throws Exception {
    Path script = MonitorScript.install(dir.resolve("bin"));
    HostTools tools = HostTools.detect();
    List<String> argv = new ArrayList<>(List.of(tools.bash(), script.toString(), dir.toString(), dir.toString()));
    argv.addAll(List.of(command));
    Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    started.add(p);
    String line = new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
    String[] f = line.split(" ");
    long[] pids = {Long.parseLong(f[0]), Long.parseLong(f[1])};
    groups.add(pids[1]);
    assertThat(pids[0]).isEqualTo(p.pid());
    return pids;
  }

  @Test
  void recordsTheExitStatus() throws Exception {
    startMonitor("/bin/sh", "-c", "echo out; echo err >&2; exit 42");
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(dir.resolve("exit_status")));
    assertThat(dir.resolve("exit_status")).hasContent("42");
    assertThat(dir.resolve("stdout")).hasContent("out");
    assertThat(dir.resolve("stderr")).hasContent("err");
    assertThat(dir.resolve("exit_status.tmp")).doesNotExist();
  }

  @Test
  void taskLeadsItsOwnProcessGroupAndTheMonitorSurvivesSignals() throws Exception {
    long[] pids = startMonitor("/bin/sh", "-c", "while [ ! -f go ]; do sleep 0.05; done; exit 42");
    await().atMost(Duration.ofSeconds(5)).until(() -> ProcStat.read(pids[1]).processGroup() == pids[1]);
    String stat = Files.readString(Path.of("/proc", Long.toString(pids[0]), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    assertThat(f[2]).as("the monitor's process group is not the task's").isNotEqualTo(Long.toString(pids[1]));

    // SIGTERM and SIGHUP to the monitor: trapped, so it keeps waiting and still records the real status
    ProcessHandle.of(pids[0]).orElseThrow().destroy();
    new ProcessBuilder("kill", "-s", "HUP", Long.toString(pids[0])).start().waitFor();
    Thread.sleep(200);
    assertThat(ProcStat.alive(pids[0], 0)).isTrue();
    Files.createFile(dir.resolve("go"));
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(dir.resolve("exit_status")));
    assertThat(dir.resolve("exit_status")).hasContent("42");
  }

  @Test
  void signalToTheTaskGroupIsRecordedAs128PlusN() throws Exception {
    long[] pids = startMonitor("/bin/sh", "-c", "exec sleep 30");
    await().atMost(Duration.ofSeconds(5)).until(() -> ProcStat.read(pids[1]).processGroup() == pids[1]);
    new ProcessBuilder("kill", "-s", "TERM", "--", "-" + pids[1]).start().waitFor();
    await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(dir.resolve("exit_status")));
    assertThat(dir.resolve("exit_status")).hasContent("143");
    assertThat(ProcStat.alive(pids[0], 0)).isFalse();
  }
}
