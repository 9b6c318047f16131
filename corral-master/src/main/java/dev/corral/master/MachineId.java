package dev.corral.master;

/**
 * A machine in a maintenance schedule, as Mesos names it: its hostname, its IP address, or both. An agent
 * is on the machine when every part given matches (the hostname its agent reports; the IP against the
 * agent's hostname or advertised HTTP address). Immutable.
 */
public record MachineId(String hostname, String ip) {
  public MachineId {
    hostname = hostname == null ? "" : hostname;
    ip = ip == null ? "" : ip;
    if (hostname.isEmpty() && ip.isEmpty()) {
      throw new IllegalArgumentException("a machine id needs a hostname or an ip");
    }
  }

  boolean matches(String agentHostname, String agentAddress) {
    boolean host = hostname.isEmpty() || hostname.equals(agentHostname);
    boolean address = ip.isEmpty() || ip.equals(agentAddress) || ip.equals(agentHostname);
    return host && address;
  }

  @Override
  public String toString() {
    return hostname.isEmpty() ? ip : ip.isEmpty() ? hostname : hostname + "/" + ip;
  }
}
