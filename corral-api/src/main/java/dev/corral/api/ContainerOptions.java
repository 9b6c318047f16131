package dev.corral.api;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Names shared by the scheduler, which checks Marathon's {@code docker.parameters}, and the agent, which applies
 * them to a container: Linux capabilities and resource limits as {@code docker run} names them.
 */
public final class ContainerOptions {
  /** Every Linux capability (capabilities(7)), as the OCI runtime spec names them. */
  public static final List<String> CAPABILITIES = List.of("CAP_AUDIT_CONTROL", "CAP_AUDIT_READ", "CAP_AUDIT_WRITE",
      "CAP_BLOCK_SUSPEND", "CAP_BPF", "CAP_CHECKPOINT_RESTORE", "CAP_CHOWN", "CAP_DAC_OVERRIDE",
      "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_KILL", "CAP_LEASE",
      "CAP_LINUX_IMMUTABLE", "CAP_MAC_ADMIN", "CAP_MAC_OVERRIDE", "CAP_MKNOD", "CAP_NET_ADMIN",
      "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_RAW", "CAP_PERFMON", "CAP_SETFCAP", "CAP_SETGID",
      "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_CHROOT", "CAP_SYS_MODULE",
      "CAP_SYS_NICE", "CAP_SYS_PACCT", "CAP_SYS_PTRACE", "CAP_SYS_RAWIO", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
      "CAP_SYS_TTY_CONFIG", "CAP_SYSLOG", "CAP_WAKE_ALARM");
  /** The capabilities by number (capability.h): bit N of a capability mask is {@code BY_NUMBER.get(N)}. */
  public static final List<String> BY_NUMBER = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH",
      "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
      "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
      "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN",
      "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
      "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
      "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
      "CAP_CHECKPOINT_RESTORE");

  /** The capabilities a mask (as {@code /proc/PID/status} shows {@code CapBnd}, in hex) holds. */
  public static List<String> fromMask(String hex) {
    long mask = Long.parseUnsignedLong(hex.trim(), 16);
    List<String> out = new java.util.ArrayList<>();
    for (int bit = 0; bit < BY_NUMBER.size(); bit++) {
      if ((mask & (1L << bit)) != 0) {
        out.add(BY_NUMBER.get(bit));
      }
    }
    return List.copyOf(out);
  }

  /** {@code --cap-add ALL} / {@code --cap-drop ALL}. */
  public static final String ALL = "ALL";

  /** {@code --ulimit} names and the rlimits they set. */
  public static final Map<String, String> RLIMITS = Map.ofEntries(Map.entry("as", "RLIMIT_AS"),
      Map.entry("core", "RLIMIT_CORE"), Map.entry("cpu", "RLIMIT_CPU"), Map.entry("data", "RLIMIT_DATA"),
      Map.entry("fsize", "RLIMIT_FSIZE"), Map.entry("locks", "RLIMIT_LOCKS"), Map.entry("memlock", "RLIMIT_MEMLOCK"),
      Map.entry("msgqueue", "RLIMIT_MSGQUEUE"), Map.entry("nice", "RLIMIT_NICE"), Map.entry("nofile", "RLIMIT_NOFILE"),
      Map.entry("nproc", "RLIMIT_NPROC"), Map.entry("rss", "RLIMIT_RSS"), Map.entry("rtprio", "RLIMIT_RTPRIO"),
      Map.entry("rttime", "RLIMIT_RTTIME"), Map.entry("sigpending", "RLIMIT_SIGPENDING"),
      Map.entry("stack", "RLIMIT_STACK"));

  private ContainerOptions() {}

  /** {@code NET_ADMIN}, {@code net_admin} or {@code CAP_NET_ADMIN} as {@code CAP_NET_ADMIN}; {@code ALL}; null when unknown. */
  public static String capability(String name) {
    String upper = name.trim().toUpperCase(Locale.ROOT);
    if (upper.equals(ALL)) {
      return ALL;
    }
    String cap = upper.startsWith("CAP_") ? upper : "CAP_" + upper;
    return CAPABILITIES.contains(cap) ? cap : null;
  }
}
