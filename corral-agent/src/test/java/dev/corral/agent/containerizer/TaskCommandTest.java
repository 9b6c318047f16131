package dev.corral.agent.containerizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.api.v1.CommandInfo;
import dev.corral.api.v1.TaskInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskCommandTest {
  private static final HostTools TOOLS = new HostTools("/bin/bash", "/usr/bin/setpriv", "kill");
  private static final Path SANDBOX = Path.of("/w/sandboxes/t1");

  @Test
  void shellCommandsRunUnderShDashC() {
    for (String cmd : new String[] {"echo $HOME", "sleep 1; exit 3", "a && b", "echo 'x y'", "cat <in", "FOO=1 env",
        "ls *", "echo ~", "echo `date`", "a | b", "sleep 1 # comment", "exec python3 -m http.server $PORT0",
        "exit 4", "cd /tmp", "ulimit -n 10", "wait", "export A"}) {
      assertThat(TaskCommand.command(CommandInfo.newBuilder().setShell(true).setValue(cmd).build()))
          .as(cmd).containsExactly("/bin/sh", "-c", cmd);
    }
  }

  @Test
  void plainWordsRunWithoutAShell() {
    assertThat(TaskCommand.command(CommandInfo.newBuilder().setShell(true).setValue(" sleep  3600 ").build()))
        .containsExactly("sleep", "3600");
    assertThat(TaskCommand.command(CommandInfo.newBuilder().setShell(true)
        .setValue("java -Xmx64m -cp lib/app.jar:lib/dep.jar dev.App --port=31000").build()))
        .containsExactly("java", "-Xmx64m", "-cp", "lib/app.jar:lib/dep.jar", "dev.App", "--port=31000");
  }

  @Test
  void argumentsZeroIsArgvZero() {
    CommandInfo c = CommandInfo.newBuilder().setValue("/bin/echo").addArguments("echo").addArguments("a b").build();
    assertThat(TaskCommand.command(c)).containsExactly("/bin/echo", "a b");
    assertThat(TaskCommand.command(CommandInfo.newBuilder().setValue("/bin/true").build()))
        .containsExactly("/bin/true");
  }

  @Test
  void chainSwitchesUserThenRunsTheCommand() {
    PosixUser nobody = new PosixUser("nobody", 65534, 65534, "/nonexistent");
    List<String> argv = TaskCommand.monitorArgv(TOOLS, Path.of("/w/bin/monitor.sh"), Path.of("/w/meta/tasks/t1"),
        SANDBOX, nobody,
        CommandInfo.newBuilder().setShell(true).setValue("sleep 1").build());
    assertThat(argv).containsExactly("/bin/bash", "/w/bin/monitor.sh", "/w/meta/tasks/t1", "/w/sandboxes/t1",
        "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--init-groups", "--",
        "sleep", "1");
  }

  @Test
  void withoutUserTheChainIsTheCommand() {
    List<String> argv = TaskCommand.monitorArgv(new HostTools("/bin/bash", null, "kill"),
        Path.of("/m.sh"), Path.of("/meta"), SANDBOX, null,
        CommandInfo.newBuilder().setValue("/bin/true").build());
    assertThat(argv).containsExactly("/bin/bash", "/m.sh", "/meta", "/w/sandboxes/t1", "/bin/true");
  }

  @Test
  void aRelativeCaFileIsMadeAbsoluteUnderTheSandbox() {
    TaskInfo task = TaskInfo.newBuilder().setTaskId("t1").setCommand(CommandInfo.newBuilder()
        .putEnvironment("CORRAL_CA_FILE", ".corral/ca.crt")).build();
    assertThat(TaskCommand.environment(Map.of(), task, "fw", "ag", "node1", SANDBOX, null, List.of()))
        .containsEntry("CORRAL_CA_FILE", "/w/sandboxes/t1/.corral/ca.crt");
    TaskInfo absolute = TaskInfo.newBuilder().setTaskId("t1").setCommand(CommandInfo.newBuilder()
        .putEnvironment("CORRAL_CA_FILE", "/etc/ssl/my-ca.pem")).build();
    assertThat(TaskCommand.environment(Map.of(), absolute, "fw", "ag", "node1", SANDBOX, null, List.of()))
        .containsEntry("CORRAL_CA_FILE", "/etc/ssl/my-ca.pem");
  }

  @Test
  void environmentLayersAgentBasicsTaskVariablesAndIdentity() {
    Map<String, String> agentEnv = Map.of("PATH", "/agent/bin", "HOME", "/root", "SECRET_TOKEN", "x", "LANG", "C.UTF-8");
    TaskInfo task = TaskInfo.newBuilder().setTaskId("t1").setCommand(CommandInfo.newBuilder()
        .putEnvironment("PORT0", "31001").putEnvironment("HOST", "given-host")
        .putEnvironment("MESOS_TASK_ID", "spoofed").putEnvironment("PATH", "/task/bin")).build();
    Map<String, String> env = TaskCommand.environment(agentEnv, task, "fw", "ag", "node1", SANDBOX, null,
        List.of(Path.of("/a/cgroup.procs"), Path.of("/b/cgroup.procs")));
    assertThat(env).doesNotContainKey("SECRET_TOKEN")
        .containsEntry("PATH", "/task/bin")
        .containsEntry("HOME", "/root")
        .containsEntry("LANG", "C.UTF-8")
        .containsEntry("HOST", "given-host")
        .containsEntry("PORT0", "31001")
        .containsEntry("MESOS_TASK_ID", "t1")
        .containsEntry("CORRAL_TASK_ID", "t1")
        .containsEntry("MESOS_SANDBOX", "/w/sandboxes/t1")
        .containsEntry("CORRAL_SANDBOX", "/w/sandboxes/t1")
        .containsEntry("MESOS_AGENT_ID", "ag")
        .containsEntry("MESOS_FRAMEWORK_ID", "fw")
        .containsEntry("CORRAL_CGROUP_PROCS", "/a/cgroup.procs /b/cgroup.procs");
  }

  @Test
  void userSwitchSetsHomeAndDefaultsPathAndHost() {
    PosixUser u = new PosixUser("app", 1000, 1000, "/home/app");
    TaskInfo task = TaskInfo.newBuilder().setTaskId("t1").build();
    Map<String, String> env = TaskCommand.environment(Map.of("HOME", "/root"), task, "fw", "ag", "node1", SANDBOX, u,
        List.of());
    assertThat(env).containsEntry("HOME", "/home/app").containsEntry("USER", "app").containsEntry("LOGNAME", "app")
        .containsEntry("PATH", TaskCommand.DEFAULT_PATH).containsEntry("HOST", "node1")
        .doesNotContainKey("CORRAL_CGROUP_PROCS");
  }

  @Test
  void parsesPasswdLines() {
    assertThat(PosixUser.parse("nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin", "nobody"))
        .contains(new PosixUser("nobody", 65534, 65534, "/nonexistent"));
    assertThat(PosixUser.parse("nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin", "nob")).isEmpty();
    assertThat(PosixUser.lookup("root")).map(PosixUser::uid).contains(0L);
    assertThat(PosixUser.lookup("no-such-user-xyz")).isEmpty();
  }
}
