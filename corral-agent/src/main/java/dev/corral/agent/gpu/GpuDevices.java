package dev.corral.agent.gpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The device nodes a container needs for its GPUs: {@code /dev/nvidia<minor>} of each assigned GPU, and the
 * driver's shared control nodes ({@code nvidiactl}, {@code nvidia-uvm}, {@code nvidia-uvm-tools},
 * {@code nvidia-modeset}) where the host has them. Major and minor come from the host's nodes, since
 * {@code nvidia-uvm}'s major is assigned at module load. Other GPUs' nodes are not there at all.
 */
public final class GpuDevices {
  /** Set with the GPUs' env (see {@link GpuEnvironment}): the device minors, comma-separated. */
  public static final String MINORS = "CORRAL_GPU_MINORS";
  private static final List<String> CONTROL = List.of("nvidiactl", "nvidia-uvm", "nvidia-uvm-tools", "nvidia-modeset");

  /** A character device node. */
  public record Node(String path, int major, int minor) {}

  private GpuDevices() {}

  /**
   * Where the host's device nodes are: {@code /dev}, or the system property {@code corral.gpu-dev-dir} (tests
   * stand fake GPUs' nodes in there, as they stand a fake nvidia-smi on the path).
   */
  public static Path hostDevDir() {
    return Path.of(System.getProperty("corral.gpu-dev-dir", "/dev"));
  }

  /**
   * The device nodes a task must be kept from: every GPU of the node whose minor it was not given, and, for a
   * task without GPUs, the driver's control nodes as well (as Mesos' GPU isolator does), so that it cannot
   * even open the driver. Majors and minors come from the host's nodes; a GPU whose node is missing gets NVIDIA's
   * major 195 with its minor, and a missing {@code nvidiactl} 195:255. Empty on a node without GPUs.
   */
  public static List<Node> deniedFor(Map<String, String> env, List<Gpu> nodeGpus, Path dev) {
    List<Node> out = new ArrayList<>();
    if (nodeGpus.isEmpty()) {
      return out;
    }
    List<String> given = new ArrayList<>();
    for (String m : env.getOrDefault(MINORS, "").split(",")) {
      if (!m.isBlank()) {
        given.add(m.trim());
      }
    }
    for (Gpu g : nodeGpus) {
      String minor = Integer.toString(g.minor());
      if (given.contains(minor)) {
        continue;
      }
      int before = out.size();
      node(dev.resolve("nvidia" + minor), "/dev/nvidia" + minor, out);
      if (out.size() == before) {
        out.add(new Node("/dev/nvidia" + minor, Gpu.DEVICE_MAJOR, g.minor()));
      }
    }
    if (given.isEmpty()) {
      for (String name : CONTROL) {
        int before = out.size();
        node(dev.resolve(name), "/dev/" + name, out);
        if (out.size() == before && name.equals("nvidiactl")) {
          out.add(new Node("/dev/nvidiactl", Gpu.DEVICE_MAJOR, 255));
        }
      }
    }
    return out;
  }

  /** The nodes for a task with this environment; empty for a task without GPUs. */
  public static List<Node> forTask(Map<String, String> env, Path dev) {
    String minors = env.getOrDefault(MINORS, "");
    List<Node> out = new ArrayList<>();
    if (minors.isBlank()) {
      return out;
    }
    for (String m : minors.split(",")) {
      node(dev.resolve("nvidia" + m.trim()), "/dev/nvidia" + m.trim(), out);
    }
    for (String name : CONTROL) {
      node(dev.resolve(name), "/dev/" + name, out);
    }
    return out;
  }

  private static void node(Path host, String inContainer, List<Node> out) {
    if (!Files.exists(host)) {
      return;
    }
    try {
      long rdev = ((Number) Files.getAttribute(host, "unix:rdev")).longValue();
      // Linux's dev_t encoding (glibc's major()/minor())
      int major = (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
      int minor = (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
      out.add(new Node(inContainer, major, minor));
    } catch (IOException | UnsupportedOperationException e) {
      // not a device we can describe: the task goes without it
    }
  }
}
