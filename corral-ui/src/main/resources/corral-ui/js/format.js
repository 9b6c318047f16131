// Small formatting and status helpers shared by the pages.

/**
 * A pod's status (Marathon's PodStatus) in the shape of an app with its counts, so that the Services table,
 * its folders and the health bar treat pods and apps alike. Resources are per instance, summed over containers.
 */
export function podAsService(status) {
  const spec = status.spec || {};
  const containers = spec.containers || [];
  const sum = (key) => containers.reduce((s, c) => s + ((c.resources && c.resources[key]) || 0), 0);
  const checked = containers.some((c) => c.healthCheck);
  let running = 0;
  let healthy = 0;
  let unhealthy = 0;
  let staged = 0;
  for (const i of status.instances || []) {
    if (i.status === 'STAGING' || i.status === 'PENDING') staged++;
    if (i.status !== 'STABLE' && i.status !== 'DEGRADED') continue;
    running++;
    if (checked && i.status === 'STABLE') healthy++;
    // degraded by a failing check or a container that is not running; no result yet is unknown health
    const failing = (i.containers || []).some((c) => c.status !== 'TASK_RUNNING' || containerHealth(c) === 'Unhealthy');
    if (i.status === 'DEGRADED' && failing) unhealthy++;
  }
  return {
    id: status.id, pod: true, instances: (spec.scaling && spec.scaling.instances) || 0,
    tasksRunning: running, tasksHealthy: healthy, tasksUnhealthy: unhealthy, tasksStaged: staged,
    cpus: sum('cpus'), mem: sum('mem'), disk: sum('disk'), containers: containers.length,
    deployments: status.status === 'DEPLOYING' ? [{}] : [],
    waiting: status.message ? { reason: status.message } : null,
    podStatus: status,
  };
}

/** A pod container's health from its endpoints and conditions: Healthy, Unhealthy, Unknown, or '—'. */
export function containerHealth(c) {
  const cond = (c.conditions || []).find((x) => x.name === 'healthy');
  if (!cond) return '—';
  if (cond.value === 'true') return 'Healthy';
  if (cond.value === 'false') return 'Unhealthy';
  return 'Unknown';
}

/** DC/OS's service status: Deploying, Waiting (instances queued and no offer fits), Suspended, Running. */
export function appStatus(app) {
  if (app.waiting) return 'Waiting';
  if (app.deployments && app.deployments.length > 0) return 'Deploying';
  if (app.instances === 0 && (app.tasksRunning || 0) === 0) return 'Suspended';
  return 'Running';
}

/** Health of an app's instances: healthy / unhealthy / running with unknown health / staged / missing. */
export function healthCounts(app) {
  const healthy = app.tasksHealthy || 0;
  const unhealthy = app.tasksUnhealthy || 0;
  const running = app.tasksRunning || 0;
  const staged = app.tasksStaged || 0;
  const unknown = Math.max(0, running - healthy - unhealthy);
  const missing = Math.max(0, (app.instances || 0) - running - staged);
  return { healthy, unhealthy, unknown, staged, missing, running };
}

/** The health a task reports: Healthy, Unhealthy, or '—' without health checks. */
export function taskHealth(task) {
  const results = task.healthCheckResults || [];
  if (results.length === 0) return '—';
  return results.every((r) => r.alive) ? 'Healthy' : 'Unhealthy';
}

export const cpus = (n) => (n == null ? '—' : (Math.round(n * 100) / 100).toString());
export function mib(n) {
  if (n == null) return '—';
  return n >= 1024 ? `${(n / 1024).toFixed(n % 1024 === 0 ? 0 : 1)} GiB` : `${Math.round(n)} MiB`;
}

/** "3 min ago" for an ISO time. */
export function ago(iso) {
  if (!iso) return '—';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** The last segment of an id: /data/kafka/brokers → brokers. */
export const baseName = (id) => id.substring(id.lastIndexOf('/') + 1);

/** Link targets of the pages (history routes under /ui/). */
export const links = {
  group: (group) => '/ui/services' + (group === '/' ? '' : group),
  app: (id, tab = 'tasks') => `/ui/services/detail/${encodeURIComponent(id)}/${tab}`,
  pod: (id, tab = 'instances') => `/ui/services/pod/${encodeURIComponent(id)}/${tab}`,
  logs: (taskId, file = 'stdout') => `/ui/logs/${encodeURIComponent(taskId)}/${file}`,
  exec: (taskId) => `/ui/exec/${encodeURIComponent(taskId)}`,
  pkg: (name) => `/ui/catalog/${encodeURIComponent(name)}`,
};

/** A task or pod instance in a chart legend: the first characters of its unique (last) part. */
export function shortTask(id) {
  return id.substring(id.lastIndexOf('.') + 1).replace(/^instance-/, '').substring(0, 8);
}
