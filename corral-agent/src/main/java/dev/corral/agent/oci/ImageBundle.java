package dev.corral.agent.oci;

import dev.corral.agent.cgroups.CgroupLimits;
import dev.corral.agent.containerizer.LaunchRequest;
import dev.corral.agent.containerizer.TaskCommand;
import dev.corral.agent.image.Image;
import dev.corral.agent.image.ImageCommand;
import dev.corral.agent.image.ImageException;
import dev.corral.agent.image.ImageUser;
import dev.corral.api.v1.TaskInfo;
import dev.corral.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code config.json} of a task with an image: the task's and the image's settings merged, Marathon's
 * way for Docker images. Command: see {@link ImageCommand}. Environment: the task's as for any task, with
 * the image's {@code Env} over the agent's basics ({@code PATH}, {@code HOME}, ...), the task's own
 * variables over the image's. Working directory: the task's ({@code docker.parameters} workdir), else the
 * image's {@code WorkingDir}, else the sandbox. User: {@code CommandInfo.user}, else the image's {@code User},
 * looked up in the image; else root. The rest of the task's docker run options: {@link OciConfig#applyOptions}.
 */
final class ImageBundle {
  private ImageBundle() {}

  /**
   * @param netns the task's network namespace to join, or null for the host's network
   * @param resolvConf the agent's generated resolv.conf, or null for the host's
   */
  static void write(Path bundle, LaunchRequest req, Image image, Map<String, String> agentEnv, String hostname,
      String cgroupsPath, boolean swapAccounting, Path netns, Path resolvConf) throws IOException, ImageException {
    TaskInfo task = req.task();
    String userSpec = task.getCommand().getUser().isEmpty() ? image.config().user() : task.getCommand().getUser();
    ImageUser user = ImageUser.resolve(userSpec, image.rootfs());
    if (user.uid() != 0) {
      Files.setAttribute(req.sandbox(), "unix:uid", (int) user.uid());
      Files.setAttribute(req.sandbox(), "unix:gid", (int) user.gid());
    }
    String frameworkId = task.getFrameworkId().isEmpty()
        ? req.framework().getFrameworkId() : task.getFrameworkId();
    Map<String, String> env = environment(TaskCommand.environment(agentEnv, task, frameworkId, req.agentId(),
        hostname, req.sandbox(), null, List.of()), image.config().env(), task.getCommand().getEnvironmentMap());
    List<String> argv = ImageCommand.argv(task.getCommand(), image.config());
    // the signal-forwarding init is a sh script: images without a shell run the command as pid 1
    boolean hasShell = Files.exists(image.rootfs().resolve("bin/sh"), LinkOption.NOFOLLOW_LINKS);
    String workingDir = !task.getContainer().getWorkingDir().isEmpty() ? task.getContainer().getWorkingDir()
        : image.config().workingDir();
    String containerHostname = task.getContainer().getHostname().isEmpty() ? hostname
        : task.getContainer().getHostname();
    ContainerSpec spec = new ContainerSpec(hasShell ? ContainerInit.wrap(argv) : argv, env,
        workingDir.isEmpty() ? req.sandbox() : Path.of(workingDir), user.uid(), user.gid(), containerHostname,
        req.sandbox(), cgroupsPath, CgroupLimits.of(task.getResourcesList()), swapAccounting, true,
        resolvConf);
    com.fasterxml.jackson.databind.node.ObjectNode config = OciConfig.render(spec);
    OciConfig.applyOptions(config, task.getContainer());
    try {
      OciConfig.addBinds(config, dev.corral.agent.containerizer.GroupVolumes.prepare(task, req.sandbox(), false,
          OciConfig.SANDBOX_IN_IMAGE));
    } catch (dev.corral.agent.containerizer.LaunchException e) {
      throw new IOException(e.getMessage(), e);
    }
    if (netns != null) {
      OciConfig.joinNetwork(config, netns);
    }
    Json.mapper().writeValue(bundle.resolve("config.json").toFile(), config);
  }

  /** The task's environment with the image's {@code Env} merged in (see the class comment). */
  static Map<String, String> environment(Map<String, String> taskEnv, Map<String, String> imageEnv,
      Map<String, String> commandEnv) {
    Map<String, String> out = new LinkedHashMap<>(taskEnv);
    imageEnv.forEach((k, v) -> {
      boolean basic = TaskCommand.INHERITED.contains(k) || !out.containsKey(k);
      if (basic && !commandEnv.containsKey(k)) {
        out.put(k, v);
      }
    });
    return out;
  }
}
