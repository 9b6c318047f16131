// Small formatting and status helpers shared by the pages.

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
  logs: (taskId, file = 'stdout') => `/ui/logs/${encodeURIComponent(taskId)}/${file}`,
  pkg: (name) => `/ui/catalog/${encodeURIComponent(name)}`,
};
