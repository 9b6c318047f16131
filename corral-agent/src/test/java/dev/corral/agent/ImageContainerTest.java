package dev.corral.agent;

import static dev.corral.agent.AgentTestSupport.LONG;
import static dev.corral.agent.AgentTestSupport.read;
import static dev.corral.agent.AgentTestSupport.shellTask;
import static dev.corral.agent.AgentTestSupport.unique;
import static org.assertj.core.api.Assertions.assertThat;

import dev.corral.agent.cgroups.CgroupDetector;
import dev.corral.agent.fetch.FetcherConfig;
import dev.corral.agent.image.BasicAuthProxy;
import dev.corral.agent.image.ImagesConfig;
import dev.corral.agent.image.TestRegistry;
import dev.corral.agent.oci.OciRuntime;
import dev.corral.api.v1.CommandInfo;
import dev.corral.api.v1.ContainerInfo;
import dev.corral.api.v1.Rlimit;
import dev.corral.api.v1.SecretRef;
import dev.corral.api.v1.TaskInfo;
import dev.corral.api.v1.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tasks with images from a real local registry, in runc containers. Needs root, runc, skopeo, umoci. */
class ImageContainerTest extends RealAgentTestBase {
  private TestRegistry registry;
  private OciRuntime runtime;

  @BeforeEach
  void startRegistry() throws Exception {
    Assumptions.assumeTrue(CgroupDetector.isRoot(), "OCI containers need root");
    runtime = OciRuntime.find(OciRuntime.RUNC, workDir.resolve("oci"));
    Assumptions.assumeTrue(runtime != null, "runc is not installed (apt-get install runc)");
    String missing = TestRegistry.missing();
    Assumptions.assumeTrue(missing == null, missing);
    registry = TestRegistry.start(workDir.resolve("registry"));
    registry.push(TestRegistry.buildTinyLayout(workDir.resolve("build")), "tiny:1");
  }

  @AfterEach
  void stopRegistry() throws Exception {
    if (registry != null) {
      registry.close();
    }
    if (runtime != null && Files.isDirectory(runtime.stateRoot())) {
      try (var ids = Files.list(runtime.stateRoot())) {
        ids.forEach(dir -> runtime.delete(dir.getFileName().toString()));
      }
    }
  }

  private Agent startAgent(String containerizers, Path imageDir) {
    ImagesConfig images = ImagesConfig.defaults().withInsecureRegistries(List.of(registry.host()))
        .withImageDir(imageDir);
    Agent agent = startAgent(AgentTestSupport.config(workDir).withContainerizers(List.of(containerizers.split(",")))
        .withFetcher(FetcherConfig.defaults().withImages(images)));
    master.awaitConnected(LONG);
    return agent;
  }

  private static TaskInfo imageTask(String id, String image, String script) {
    TaskInfo t = shellTask(id, script == null ? "" : script);
    if (script == null) {
      t = t.toBuilder().setCommand(t.getCommand().toBuilder().setShell(false).clearValue()).build();
    }
    return t.toBuilder().setContainer(ContainerInfo.newBuilder().setImage(image)).build();
  }

  @Test
  void taskSeesTheImageFilesNotTheHostsAndTheSandboxAtBothPaths() {
    startAgent("oci,process", null);
    String id = unique("img");
    String image = registry.host() + "/tiny:1";
    master.runTask(imageTask(id, image, "cat /etc/os-release; test -e /usr/bin/java && echo host-usr || echo no-host-usr;"
        + " echo from=$FROM_IMAGE; echo hi > /mnt/mesos/sandbox/inner; cat \"$MESOS_SANDBOX/inner\"; pwd"));
    assertThat(master.awaitStatus(id, TaskState.TASK_STARTING, LONG).getMessage()).isEqualTo("pulling " + image);
    assertThat(master.awaitStatus(id, TaskState.TASK_RUNNING, LONG).getMessage()).isEqualTo("containerizer: oci");
    master.awaitStatus(id, TaskState.TASK_FINISHED, LONG);
    String out = read(sandbox(id).resolve("stdout"));
    assertThat(out).contains("ID=corral-test", "no-host-usr", "from=yes", "hi\n");
  }

  @Test
  void aHostFileIsBoundIntoTheImageWhereTheImageHasNoSuchPath() throws Exception {
    startAgent("oci", null);
    Path script = Files.writeString(workDir.resolve("pinger.py"), "pong\n");
    String id = unique("vol");
    TaskInfo task = imageTask(id, registry.host() + "/tiny:1", "cat /opt/pinger.py;"
        + " if echo x > /opt/pinger.py 2>/dev/null; then echo writable; else echo readonly; fi");
    master.runTask(HostVolumeTest.withVolume(task, "/opt/pinger.py", script.toString(), true));
    master.awaitStatus(id, TaskState.TASK_FINISHED, LONG);
    assertThat(read(sandbox(id).resolve("stdout"))).isEqualTo("pong\nreadonly\n");
  }

  @Test
  void aPullConfigSecretLogsTheTaskInToARegistryThatWantsCredentials() throws Exception {
    try (BasicAuthProxy privateRegistry = BasicAuthProxy.start(registry, "puller", "s3cret")) {
      ImagesConfig images = ImagesConfig.defaults()
          .withInsecureRegistries(List.of(registry.host(), privateRegistry.host()));
      startAgent(AgentTestSupport.config(workDir).withContainerizers(List.of("oci"))
          .withFetcher(FetcherConfig.defaults().withImages(images)));
      master.awaitConnected(LONG);
      master.secrets.put("registry-auth", BasicAuthProxy.dockerConfig(privateRegistry.host(), "puller", "s3cret"));
      String image = privateRegistry.host() + "/tiny:1";

      String anonymous = unique("anon");
      master.runTask(imageTask(anonymous, image, "echo ran"));
      assertThat(master.awaitStatus(anonymous, TaskState.TASK_FAILED, LONG).getMessage())
          .startsWith("pull of " + image + " failed").containsIgnoringCase("auth");
      assertThat(privateRegistry.refused()).isPositive();

      String id = unique("private");
      TaskInfo task = imageTask(id, image, "cat /etc/os-release; ls /mnt/mesos/sandbox");
      master.runTask(task.toBuilder().addSecrets(SecretRef.newBuilder().setSource("registry-auth").setPullConfig(true))
          .build());
      master.awaitStatus(id, TaskState.TASK_FINISHED, LONG);
      String out = read(sandbox(id).resolve("stdout"));
      assertThat(out).contains("ID=corral-test");
      assertThat(out).as("the credentials are the pull's, not the task's").doesNotContain("auth");
    }
  }

  @Test
  void aSecretFileAtAnAbsolutePathIsBoundReadOnlyIntoTheContainer() throws Exception {
    startAgent("oci,process", null);
    master.secrets.put("app/tls-key", "-----BEGIN KEY-----");
    String id = unique("abs-secret");
    TaskInfo task = imageTask(id, registry.host() + "/tiny:1", "cat /etc/app/tls.key; echo;"
        + " if echo x > /etc/app/tls.key 2>/dev/null; then echo writable; else echo readonly; fi");
    master.runTask(task.toBuilder().addSecrets(SecretRef.newBuilder().setSource("app/tls-key")
        .setFilePath("/etc/app/tls.key")).build());
    assertThat(master.awaitStatus(id, TaskState.TASK_RUNNING, LONG).getMessage()).isEqualTo("containerizer: oci");
    master.awaitStatus(id, TaskState.TASK_FINISHED, LONG);
    assertThat(read(sandbox(id).resolve("stdout"))).isEqualTo("-----BEGIN KEY-----\nreadonly\n");
    assertThat(sandbox(id).resolve("etc")).as("not in the sandbox").doesNotExist();
  }

  @Test
  void dockerRunOptionsApply() throws Exception {
    startAgent("oci", null);
    String id = unique("opts");
    TaskInfo task = imageTask(id, registry.host() + "/tiny:1", "grep CapEff /proc/self/status; ulimit -n; ulimit -Hn;"
        + " cat /proc/sys/kernel/hostname; pwd; grep ' /dev/shm ' /proc/mounts");
    task = task.toBuilder().setContainer(task.getContainer().toBuilder().addCapAdd("CAP_NET_ADMIN")
        .addCapDrop("CAP_CHOWN").addRlimits(Rlimit.newBuilder().setType("RLIMIT_NOFILE").setSoft(1000).setHard(2000))
        .setHostname("tools-box").setWorkingDir("/").setShmSizeBytes(32L << 20)).build();
    master.runTask(task);
    master.awaitStatus(id, TaskState.TASK_FINISHED, LONG);
    List<String> out = read(sandbox(id).resolve("stdout")).lines().toList();
    long capEff = Long.parseLong(out.get(0).replaceAll("\\D*:\\s*", ""), 16);
    assertThat(capEff & (1L << 12)).as("CAP_NET_ADMIN (12) added").isNotZero();
    assertThat(capEff & 1L).as("CAP_CHOWN (0) dropped").isZero();
    assertThat(capEff & (1L << 5)).as("CAP_KILL (5) kept").isNotZero();
    assertThat(out.subList(1, 5)).containsExactly("1000", "2000", "tools-box", "/");
    assertThat(out.get(5)).contains("size=32768k");
  }

  @Test
  void aPrivilegedContainerRunsOnlyWhereTheAgentAllowsIt() throws Exception {
    String image = registry.host() + "/tiny:1";
    TaskInfo task = imageTask("x", image, "grep CapEff /proc/self/status; ls /dev | wc -l");
    Agent strict = startAgent("oci", null);
    String refused = unique("priv-refused");
    master.runTask(task.toBuilder().setTaskId(refused).setName(refused)
        .setContainer(task.getContainer().toBuilder().setPrivileged(true)).build());
    assertThat(master.awaitStatus(refused, TaskState.TASK_ERROR, LONG).getMessage())
        .contains("privileged containers are off on this agent (start it with --allow-privileged)");
    strict.stop(true);

    ImagesConfig images = ImagesConfig.defaults().withInsecureRegistries(List.of(registry.host()));
    startAgent(AgentTestSupport.config(workDir).withContainerizers(List.of("oci")).withAllowPrivileged(true)
        .withFetcher(FetcherConfig.defaults().withImages(images)));
    master.awaitConnected(LONG);
    String id = unique("priv");
    master.runTask(task.toBuilder().setTaskId(id).setName(id)
        .setContainer(task.getContainer().toBuilder().setPrivileged(true)).build());
    org.awaitility.Awaitility.await().atMost(LONG).until(() -> master.statuses(id).stream()
        .anyMatch(s -> s.getState() == TaskState.TASK_FINISHED || s.getState() == TaskState.TASK_FAILED));
    assertThat(master.statuses(id)).as("%s %s", master.statuses(id), read(sandbox(id).resolve("stderr")))
        .anyMatch(s -> s.getState() == TaskState.TASK_FINISHED);
    List<String> out = read(sandbox(id).resolve("stdout")).lines().toList();
    long capEff = Long.parseLong(out.get(0).replaceAll("\\D*:\\s*", ""), 16);
    assertThat(capEff & (1L << 21)).as("CAP_SYS_ADMIN (21)").isNotZero();
    int hostDevices;
    try (var list = Files.list(java.nio.file.Path.of("/dev"))) {
      hostDevices = (int) list.count();
    }
    assertThat(Integer.parseInt(out.get(1).trim())).as("the host's /dev").isGreaterThan(15)
        .isGreaterThanOrEqualTo(hostDevices - 5);
  }

  @Test
  void theImageCmdRunsWhenTheTaskHasNoCommandAndTwoTasksPullOnce() throws Exception {
    startAgent("oci", null);
    String a = unique("cmd-a");
    String b = unique("cmd-b");
    master.runTask(imageTask(a, registry.host() + "/tiny:1", null));
    master.runTask(imageTask(b, registry.host() + "/tiny:1", null));
    master.awaitStatus(a, TaskState.TASK_FINISHED, LONG);
    master.awaitStatus(b, TaskState.TASK_FINISHED, LONG);
    assertThat(read(sandbox(a).resolve("stdout"))).isEqualTo(TestRegistry.OS_RELEASE);
    assertThat(read(sandbox(b).resolve("stdout"))).isEqualTo(TestRegistry.OS_RELEASE);
    assertThat(registry.manifestGets("tiny", "1")).as("one pull for both tasks").isLessThanOrEqualTo(2);
  }

  @Test
  void failedPullsFailTheTaskClearlyWhileOtherTasksRun() throws Exception {
    Path dir = Files.createDirectories(workDir.resolve("tarballs"));
    Files.writeString(dir.resolve("corrupt:1.tar"), "not a tarball");
    startAgent("oci,process", dir);
    String missing = unique("missing");
    String corrupt = unique("corrupt");
    String plain = unique("plain");
    master.runTask(imageTask(missing, registry.host() + "/nope:1", "true"));
    master.runTask(imageTask(corrupt, "corrupt:1", "true"));
    master.runTask(shellTask(plain, "echo plain"));
    assertThat(master.awaitStatus(missing, TaskState.TASK_FAILED, LONG).getMessage())
        .startsWith("pull of " + registry.host() + "/nope:1 failed: ").contains("manifest unknown");
    assertThat(master.awaitStatus(corrupt, TaskState.TASK_FAILED, LONG).getMessage())
        .startsWith("pull of corrupt:1 failed: ");
    master.awaitStatus(plain, TaskState.TASK_FINISHED, LONG);

    registry.stop();
    String refused = unique("refused");
    master.runTask(imageTask(refused, registry.host() + "/tiny:2", "true"));
    assertThat(master.awaitStatus(refused, TaskState.TASK_FAILED, LONG).getMessage())
        .startsWith("pull of " + registry.host() + "/tiny:2 failed: ").contains("connection refused");
  }

  @Test
  void theProcessContainerizerRefusesImages() {
    startAgent("process", null);
    String id = unique("proc");
    master.runTask(imageTask(id, registry.host() + "/tiny:1", "true"));
    assertThat(master.awaitStatus(id, TaskState.TASK_ERROR, LONG).getMessage())
        .contains("only the oci containerizer runs images");
  }
}
