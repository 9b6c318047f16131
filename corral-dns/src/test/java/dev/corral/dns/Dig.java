package dev.corral.dns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real resolver client {@code dig} (Debian dnsutils) against a server on loopback. */
final class Dig {
  private Dig() {}

  /** {@code dig @127.0.0.1 -p PORT ARGS…}; the output, failing unless dig exits 0. */
  static String run(int port, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("dig", "@127.0.0.1", "-p", Integer.toString(port), "+time=2",
        "+tries=1"));
    cmd.addAll(Arrays.asList(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("dig " + args[0] + " failed: " + out);
    }
    return out;
  }

  /** The {@code +short} answer lines, sorted. */
  static List<String> shortAnswer(int port, String name, String type) throws IOException, InterruptedException {
    return run(port, "+short", name, type).lines().map(String::trim).filter(l -> !l.isEmpty()).sorted().toList();
  }

  /** The response status, e.g. NOERROR or NXDOMAIN. */
  static String status(int port, String name, String type) throws IOException, InterruptedException {
    String out = run(port, name, type);
    int at = out.indexOf("status: ");
    return at < 0 ? "" : out.substring(at + 8, out.indexOf(',', at));
  }
}
