package dev.corral.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real resolver client {@code dig} (Debian dnsutils) against Corral's DNS server on loopback. */
final class Dig {
  private final int port;

  Dig(int port) {
    this.port = port;
  }

  String run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("dig", "@127.0.0.1", "-p", Integer.toString(port), "+time=2",
        "+tries=1"));
    cmd.addAll(Arrays.asList(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("dig " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  /** The {@code +short} answer lines, sorted. */
  List<String> answer(String name, String type) throws IOException, InterruptedException {
    return run("+short", name, type).lines().map(String::trim).filter(l -> !l.isEmpty()).sorted().toList();
  }

  String status(String name, String type) throws IOException, InterruptedException {
    String out = run(name, type);
    int at = out.indexOf("status: ");
    return at < 0 ? "" : out.substring(at + 8, out.indexOf(',', at));
  }
}
