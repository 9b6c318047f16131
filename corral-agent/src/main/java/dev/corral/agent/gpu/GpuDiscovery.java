package dev.corral.agent.gpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds this node's NVIDIA GPUs: {@code nvidia-smi --query-gpu=…} first (the driver's own tool, with names and
 * memory), else the driver's {@code /proc/driver/nvidia/gpus/<bus>/information} files (no nvidia-smi
 * installed). No NVIDIA driver: no GPUs. Runs once at agent start.
 */
public final class GpuDiscovery {
  private static final Logger log = LoggerFactory.getLogger(GpuDiscovery.class);
  // not minor_number: drivers such as 580 refuse it ("not a valid field"); the minor comes from the proc files
  static final String QUERY = "--query-gpu=index,uuid,name,memory.total,pci.bus_id";

  private GpuDiscovery() {}

  /** The GPUs, by index; {@code nvidiaSmi} is the command to run (a name looked up on PATH, or a path). */
  public static List<Gpu> discover(String nvidiaSmi, Path procDriverGpus) {
    List<Gpu> fromSmi = fromNvidiaSmi(nvidiaSmi, procDriverGpus);
    if (fromSmi != null) {
      return fromSmi;
    }
    return fromProc(procDriverGpus);
  }

  /**
   * This machine's GPUs: {@code nvidia-smi} from PATH and the driver's proc files. The system properties
   * {@code corral.nvidia-smi} and {@code corral.nvidia-proc} point elsewhere (a driver installed off PATH; tests).
   */
  public static List<Gpu> discover() {
    return discover(System.getProperty("corral.nvidia-smi", "nvidia-smi"),
        Path.of(System.getProperty("corral.nvidia-proc", "/proc/driver/nvidia/gpus")));
  }

  /** Null when nvidia-smi is missing or fails (then the proc files are asked). */
  static List<Gpu> fromNvidiaSmi(String nvidiaSmi, Path procDriverGpus) {
    Process p;
    try {
      p = new ProcessBuilder(nvidiaSmi, QUERY, "--format=csv,noheader,nounits").redirectErrorStream(true).start();
    } catch (IOException e) {
      return null; // not installed
    }
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        log.warn("nvidia-smi failed ({}): {}", p.isAlive() ? "timeout" : "exit " + p.exitValue(), out.trim());
        p.destroyForcibly();
        return null;
      }
      return parseCsv(out, procDriverGpus);
    } catch (IOException | RuntimeException e) {
      log.warn("cannot read nvidia-smi's answer: {}", e.toString());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * Lines of {@code index, uuid, name, memory MiB, PCI bus id}. The device minor is read from the driver's
   * information file of that bus; where there is none, it is taken to equal the index (the driver's default).
   */
  static List<Gpu> parseCsv(String csv, Path procDriverGpus) {
    List<Gpu> out = new ArrayList<>();
    for (String line : csv.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",");
      if (f.length < 5) {
        throw new IllegalArgumentException("unexpected nvidia-smi line: " + line);
      }
      int index = Integer.parseInt(f[0].trim());
      Integer minor = minorOf(procDriverGpus.resolve(procBusId(f[4].trim())).resolve("information"));
      out.add(new Gpu(index, minor != null ? minor : index, f[1].trim(), f[2].trim(), parseLong(f[3].trim())));
    }
    out.sort(Comparator.comparingInt(Gpu::index));
    return List.copyOf(out);
  }

  /** nvidia-smi's {@code 00000000:41:00.0} is the proc folder {@code 0000:41:00.0}. */
  static String procBusId(String smiBusId) {
    String id = smiBusId.toLowerCase(java.util.Locale.ROOT);
    int colon = id.indexOf(':');
    return colon > 4 ? id.substring(colon - 4) : id;
  }

  private static Integer minorOf(Path information) {
    try {
      for (String line : Files.readAllLines(information, StandardCharsets.UTF_8)) {
        if (line.startsWith("Device Minor:")) {
          return Integer.parseInt(line.substring("Device Minor:".length()).trim());
        }
      }
    } catch (IOException | NumberFormatException e) {
      // no proc files (a container with only nvidia-smi): the index stands in
    }
    return null;
  }

  /** One folder per GPU with an {@code information} file ("Model:", "GPU UUID:", "Device Minor:"). */
  static List<Gpu> fromProc(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Gpu> found = new ArrayList<>();
    try (Stream<Path> buses = Files.list(dir)) {
      for (Path bus : buses.sorted().toList()) {
        Path info = bus.resolve("information");
        if (!Files.isRegularFile(info)) {
          continue;
        }
        String model = "";
        String uuid = "";
        int minor = -1;
        for (String line : Files.readAllLines(info, StandardCharsets.UTF_8)) {
          int colon = line.indexOf(':');
          if (colon < 0) {
            continue;
          }
          String key = line.substring(0, colon).trim();
          String value = line.substring(colon + 1).trim();
          switch (key) {
            case "Model" -> model = value;
            case "GPU UUID" -> uuid = value;
            case "Device Minor" -> minor = Integer.parseInt(value);
            default -> { }
          }
        }
        if (minor >= 0) {
          found.add(new Gpu(0, minor, uuid, model, 0));
        }
      }
    } catch (IOException | NumberFormatException e) {
      log.warn("cannot read {}: {}", dir, e.toString());
      return List.of();
    }
    // without nvidia-smi, number them by minor, which is how the driver numbers them by default
    found.sort(Comparator.comparingInt(Gpu::minor));
    List<Gpu> out = new ArrayList<>();
    for (int i = 0; i < found.size(); i++) {
      Gpu g = found.get(i);
      out.add(new Gpu(i, g.minor(), g.uuid(), g.name(), g.memoryMib()));
    }
    return List.copyOf(out);
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0; // "[N/A]" on some boards
    }
  }
}
