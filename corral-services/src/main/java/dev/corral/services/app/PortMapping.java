package dev.corral.services.app;

/**
 * One port of a task with a container network ({@code container.portMappings}).
 *
 * @param containerPort the port the task listens on inside its network namespace
 * @param hostPort the host port forwarded to it: 0 for one from the offer, null for none (reachable only on
 *     the container's own address; Marathon's default in {@code container} mode)
 * @param protocol "tcp", "udp" or "udp,tcp"
 * @param name optional name, exported as {@code PORT_<NAME>}; null when absent
 */
public record PortMapping(int containerPort, Integer hostPort, String protocol, String name) {}
