package dev.corral.agent.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which device nodes a task is kept from, on a node whose /dev lacks them (NVIDIA's numbers are assumed). */
class GpuDevicesTest {
  @TempDir
  Path dev;

  private static final List<Gpu> NODE = List.of(new Gpu(0, 0, "GPU-a", "T", 1024), new Gpu(1, 1, "GPU-b", "T", 1024),
      new Gpu(2, 4, "GPU-c", "T", 1024));

  @Test
  void aTaskIsKeptFromTheGpusItWasNotGiven() {
    List<GpuDevices.Node> denied = GpuDevices.deniedFor(Map.of(GpuDevices.MINORS, "1"), NODE, dev);
    assertThat(denied).containsExactly(new GpuDevices.Node("/dev/nvidia0", 195, 0),
        new GpuDevices.Node("/dev/nvidia4", 195, 4));
  }

  @Test
  void aTaskWithoutGpusIsKeptFromEveryGpuAndTheDriversControlNode() {
    List<GpuDevices.Node> denied = GpuDevices.deniedFor(Map.of(GpuDevices.MINORS, ""), NODE, dev);
    assertThat(denied).extracting(GpuDevices.Node::path)
        .containsExactly("/dev/nvidia0", "/dev/nvidia1", "/dev/nvidia4", "/dev/nvidiactl");
    assertThat(GpuDevices.deniedFor(Map.of(), NODE, dev)).hasSize(4);
  }

  @Test
  void nothingIsDeniedOnANodeWithoutGpus() {
    assertThat(GpuDevices.deniedFor(Map.of(), List.of(), dev)).isEmpty();
  }
}
