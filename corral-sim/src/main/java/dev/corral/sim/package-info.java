/**
 * Simulated agents for scale and failover tests: {@link dev.corral.sim.SimulatedAgents} starts thousands of
 * agents in one JVM that speak the real {@code AgentChannel} protocol to a real master (in-process or over
 * TCP) and run nothing.
 *
 * <p>What they copy from the real agent ({@code dev.corral.agent.master.MasterLink},
 * {@code dev.corral.agent.tasks.TaskSupervisor}): registration and re-registration with the agent id and
 * every task still held; heartbeats at the interval the master asks for; reconnects with backoff (100 ms
 * doubling to 5 s); status updates kept until acknowledged, resent on a timer and after each registration,
 * in order per task; TASK_LOST without uuid for a kill of an unknown task; a repeated RunTask ignored;
 * ShutdownAgent forgets the id and the tasks. What they add: TASK_STARTING before TASK_RUNNING (optional),
 * a launch-to-running delay, a share of tasks that fail, and faults on demand (offline, silent).
 *
 * <p>Cost: agents are plain objects spread over a few shard threads ({@link dev.corral.sim.Shard}); each
 * stream's gRPC callbacks run on its agent's shard, so no state is shared between threads and no thread is
 * started per agent. Update uuids come from a seeded generator, not {@code UUID.randomUUID}.
 *
 * <p>Only {@code corral-api} and gRPC are used: the harness knows nothing of the master's internals, so it
 * drives a master in a test, a benchmark ({@code corral bench services}) or another process alike.
 */
package dev.corral.sim;
