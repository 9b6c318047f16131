package dev.corral.agent.image;

import dev.corral.api.v1.CommandInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The argv of a task with an image, by Marathon's rules for Docker images: a {@code cmd} (shell) runs as
 * {@code /bin/sh -c cmd} and ignores the image's entrypoint and command; {@code args} go after the image's
 * entrypoint, replacing its {@code Cmd}; neither runs entrypoint + {@code Cmd}. Pure.
 */
public final class ImageCommand {
  private ImageCommand() {}

  /** Throws when the result would be empty (no task command and an image without entrypoint or Cmd). */
  public static List<String> argv(CommandInfo command, ImageConfig image) throws ImageException {
    List<String> argv = new ArrayList<>();
    if (command.getShell() && !command.getValue().isEmpty()) {
      return List.of("/bin/sh", "-c", command.getValue());
    }
    argv.addAll(image.entrypoint());
    if (!command.getShell() && !command.getValue().isEmpty()) {
      // Mesos's arguments[0] is argv[0]; Marathon's args are the arguments, with value = args[0]
      List<String> args = command.getArgumentsList();
      argv.addAll(args.isEmpty() ? List.of(command.getValue()) : args);
    } else {
      argv.addAll(image.cmd());
    }
    if (argv.isEmpty()) {
      throw new ImageException("the task has no command and its image no Entrypoint or Cmd");
    }
    return List.copyOf(argv);
  }
}
