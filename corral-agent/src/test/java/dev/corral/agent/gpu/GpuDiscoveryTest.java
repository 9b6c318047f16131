package dev.corral.agent.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuDiscoveryTest {
  @TempDir
  Path dir;

  /** A stand-in nvidia-smi that answers the query as the real one does (and checks it is asked that). */
  static Path fakeNvidiaSmi(Path dir, String csv) throws Exception {
    Path smi = dir.resolve("nvidia-smi");
    Files.writeString(smi, "#!/bin/sh\n[ \"$1\" = \"" + GpuDiscovery.QUERY + "\" ] || { echo bad query >&2; exit 9; }\n"
        + "cat <<'CSV'\n" + csv + "CSV\n");
    Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
    return smi;
  }

  @Test
  void nvidiaSmiListsEveryGpuAndTheProcFilesGiveTheMinor() throws Exception {
    // as an H200 with driver 580 answers (recorded on one), plus a second board
    Path smi = fakeNvidiaSmi(dir, "1, GPU-bbbb, NVIDIA H200, 143771, 00000000:00:07.0\n"
        + "0, GPU-ef120a50-6554-c7b9-0015-f87835f33ddd, NVIDIA H200, 143771, 00000000:00:06.0\n");
    Path proc = dir.resolve("gpus");
    Files.createDirectories(proc.resolve("0000:00:06.0"));
    Files.writeString(proc.resolve("0000:00:06.0/information"), "Model: \t\t NVIDIA H200\nIRQ:   \t\t 41\n"
        + "GPU UUID: \t GPU-ef120a50-6554-c7b9-0015-f87835f33ddd\nBus Location: \t 0000:00:06.0\nDevice Minor: \t 4\n");
    List<Gpu> gpus = GpuDiscovery.discover(smi.toString(), proc);
    assertThat(gpus).containsExactly(new Gpu(0, 4, "GPU-ef120a50-6554-c7b9-0015-f87835f33ddd", "NVIDIA H200", 143771),
        new Gpu(1, 1, "GPU-bbbb", "NVIDIA H200", 143771));
  }

  @Test
  void withoutNvidiaSmiTheDriversProcFilesAreRead() throws Exception {
    Path proc = dir.resolve("gpus");
    Files.createDirectories(proc.resolve("0000:41:00.0"));
    Files.writeString(proc.resolve("0000:41:00.0/information"),
        "Model: \t\t NVIDIA H200\nIRQ:   \t\t 90\nGPU UUID: \t GPU-cccc\nDevice Minor: \t 1\n");
    Files.createDirectories(proc.resolve("0000:01:00.0"));
    Files.writeString(proc.resolve("0000:01:00.0/information"),
        "Model: \t\t NVIDIA H200\nGPU UUID: \t GPU-dddd\nDevice Minor: \t 0\n");
    List<Gpu> gpus = GpuDiscovery.discover(dir.resolve("no-such-nvidia-smi").toString(), proc);
    assertThat(gpus).containsExactly(new Gpu(0, 0, "GPU-dddd", "NVIDIA H200", 0),
        new Gpu(1, 1, "GPU-cccc", "NVIDIA H200", 0));
  }

  @Test
  void noDriverMeansNoGpusAndAFailingNvidiaSmiFallsBack() throws Exception {
    assertThat(GpuDiscovery.discover(dir.resolve("absent").toString(), dir.resolve("absent-too"))).isEmpty();
    Path broken = dir.resolve("broken-smi");
    Files.writeString(broken, "#!/bin/sh\necho 'NVIDIA-SMI has failed' ; exit 9\n");
    Files.setPosixFilePermissions(broken, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(GpuDiscovery.discover(broken.toString(), dir.resolve("absent"))).isEmpty();
  }

  @Test
  void theAllocatorHandsOutDistinctGpusAndTakesThemBack() {
    GpuAllocator a = new GpuAllocator(List.of(new Gpu(0, 0, "a", "x", 1), new Gpu(1, 1, "b", "x", 1),
        new Gpu(2, 2, "c", "x", 1)));
    assertThat(a.assign("t1", 2)).extracting(Gpu::index).containsExactly(0, 1);
    assertThat(a.assign("t2", 2)).isNull();
    assertThat(a.assign("t3", 0)).isEmpty();
    a.release("t1");
    a.restore("t4", List.of(1));
    assertThat(a.assign("t5", 2)).extracting(Gpu::index).containsExactly(0, 2);
    assertThat(a.freeCount()).isZero();
  }
}
