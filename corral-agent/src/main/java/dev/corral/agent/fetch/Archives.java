package dev.corral.agent.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Unpacks the archives Mesos's fetcher unpacks: tar (plain, gzip, bzip2, xz) with the host's {@code tar},
 * which keeps permission bits and refuses members that would land outside the directory; zip with
 * {@code java.util.zip}, refusing such members itself; a lone {@code .gz} is decompressed beside itself.
 * The archive stays where it is, as with Mesos. Blocking; stateless.
 */
final class Archives {
  private static final List<String> TARS = List.of(".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz");
  private static final long TAR_TIMEOUT_MINUTES = 30;

  private Archives() {}

  /** Whether {@code fileName} names an archive this class unpacks. */
  static boolean isArchive(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    return TARS.stream().anyMatch(name::endsWith) || name.endsWith(".zip") || name.endsWith(".gz");
  }

  /** Unpacks {@code archive} into {@code dir} (created if needed). */
  static void extract(Path archive, Path dir) throws FetchException, InterruptedException {
    String name = archive.getFileName().toString().toLowerCase(Locale.ROOT);
    try {
      Files.createDirectories(dir);
      if (TARS.stream().anyMatch(name::endsWith)) {
        untar(archive, dir);
      } else if (name.endsWith(".zip")) {
        unzip(archive, dir);
      } else if (name.endsWith(".gz")) {
        String plain = archive.getFileName().toString();
        gunzip(archive, dir.resolve(plain.substring(0, plain.length() - 3)));
      } else {
        throw new FetchException("not an archive this agent can extract: " + archive.getFileName());
      }
    } catch (IOException e) {
      throw new FetchException("cannot extract " + archive.getFileName() + ": " + e.getMessage(), e);
    }
  }

  private static void untar(Path archive, Path dir) throws IOException, FetchException, InterruptedException {
    // GNU tar detects the compression itself; --no-same-owner so that root does not recreate foreign uids
    Process p = new ProcessBuilder("tar", "-xf", archive.toString(), "-C", dir.toString(), "--no-same-owner")
        .redirectErrorStream(true).start();
    String output;
    try (InputStream out = p.getInputStream()) {
      output = new String(out.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      output = e.toString();
    }
    try {
      if (!p.waitFor(TAR_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new FetchException("tar did not finish within " + TAR_TIMEOUT_MINUTES + " minutes");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      throw e;
    }
    if (p.exitValue() != 0) {
      throw new FetchException("cannot extract " + archive.getFileName() + ": tar exited with " + p.exitValue()
          + (output.isEmpty() ? "" : ": " + output));
    }
  }

  private static void unzip(Path archive, Path dir) throws IOException, FetchException {
    Path root = dir.toAbsolutePath().normalize();
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        Path out = root.resolve(entry.getName()).normalize();
        if (!out.startsWith(root)) {
          throw new FetchException("zip member '" + entry.getName() + "' would land outside " + dir);
        }
        if (entry.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(zip, out, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void gunzip(Path archive, Path out) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
      Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
