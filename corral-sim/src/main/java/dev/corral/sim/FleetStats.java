package dev.corral.sim;

/**
 * Counters of a simulated fleet, read at one moment (each counter is exact; together they may be a few
 * events apart).
 *
 * @param agents agents in the fleet
 * @param connects streams opened to register, first ones and reconnects
 * @param registered agents registered with the master right now
 * @param registrations AgentRegistered answers received, re-registrations included
 * @param tasks tasks the agents hold: live, or ended with their last update not yet acknowledged
 * @param launched RunTask messages that started a task
 * @param running TASK_RUNNING updates sent (first sends only)
 * @param failed injected TASK_FAILED updates sent
 * @param killed TASK_KILLED updates sent
 * @param acknowledged updates acknowledged
 * @param resent updates sent again because no acknowledgement came
 * @param disconnects streams that ended other than by the fleet closing them
 */
public record FleetStats(int agents, long connects, long registered, long registrations, long tasks, long launched,
    long running, long failed, long killed, long acknowledged, long resent, long disconnects) {}
