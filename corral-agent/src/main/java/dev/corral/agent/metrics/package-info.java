/**
 * The agent's metrics: the node's from {@code /proc} ({@link dev.corral.agent.metrics.NodeSampler}) and each
 * running container's from its cgroup files ({@link dev.corral.agent.metrics.CgroupSampler}), sampled when
 * read and cached for a second ({@link dev.corral.agent.metrics.AgentMetrics}), served as dcos-metrics API v0
 * JSON and Prometheus text ({@link dev.corral.agent.metrics.MetricsApi}). See {@code docs/metrics.md}.
 */
package dev.corral.agent.metrics;
