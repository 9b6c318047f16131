/**
 * Container networking for OCI tasks: a network namespace per task, a veth pair to the agent's bridge
 * {@code corral0}, an address from a checkpointed lease, and iptables DNAT rules for its port mappings.
 * See docs/containers.md, "Networking".
 */
package dev.corral.agent.net;
