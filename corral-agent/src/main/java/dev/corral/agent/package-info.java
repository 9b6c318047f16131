/**
 * The Corral agent: runs the master's tasks on one node with the {@code process} containerizer.
 *
 * <p>Packages, by feature:
 * <ul>
 *   <li>{@code dev.corral.agent}: {@link dev.corral.agent.Agent} (wiring, start/stop) and its config;
 *   <li>{@code resources}: what the node offers (detection, {@code --resources}, {@code --attributes});
 *   <li>{@code master}: the {@code AgentChannel.Connect} stream, registration, heartbeats, reconnects;
 *   <li>{@code tasks}: the task table on the event loop, the task lifecycle, status updates, recovery;
 *   <li>{@code fetch}: the task's artifacts into its sandbox before it starts (http, file, maven, cache);
 *   <li>{@code containerizer}: starting and stopping task processes under the task monitor;
 *   <li>{@code cgroups}: per-task cgroups v1/v2 with limits and OOM evidence;
 *   <li>{@code checkpoint}: the agent's hard state under {@code WORK_DIR/meta};
 *   <li>{@code files}: the HTTP API over sandboxes and logs, and log rotation (knows tasks only through
 *       its {@code TaskLookup});
 *   <li>{@code metrics}: node and per-container (cgroup) metrics, sampled on read, as dcos-metrics JSON and
 *       Prometheus text (knows tasks only through its {@code ContainerLookup}).
 *   <li>{@code exec}: commands run inside running tasks over a WebSocket ({@code corral task exec}).
 *   <li>{@code oci}: the OCI containerizer (runc/crun bundles); {@code image}: container images pulled with
 *       skopeo and unpacked with umoci into a digest cache; {@code net}: container network namespaces on the
 *       agent's bridge with port mappings; {@code gpu}: GPU discovery and assignment.
 * </ul>
 * Dependencies have no cycles: {@code tasks} → {@code checkpoint} → {@code containerizer} →
 * {@code cgroups} ({@code tasks} also uses the lower ones directly), {@code tasks} → {@code fetch};
 * {@code metrics} → {@code cgroups}; {@code exec} → {@code tasks}, {@code containerizer}, {@code cgroups} and
 * {@code files} (whose server it joins); {@code resources}, {@code master}, {@code fetch} and {@code files} stand
 * alone; nothing imports
 * {@code dev.corral.agent}.
 */
package dev.corral.agent;
