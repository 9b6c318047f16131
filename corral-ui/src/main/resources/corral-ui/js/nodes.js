// Nodes: the agents that run tasks, as seen from the tasks themselves (Corral has no agents API yet, so an
// idle agent does not show here).
import { html } from './html.js';
import { api } from './api.js';
import { useLive } from './hooks.js';
import { cpus, mib, links } from './format.js';

export function Nodes() {
  const { data } = useLive(() => api('/v2/apps?embed=apps.tasks'));
  const nodes = new Map();
  for (const app of (data && data.apps) || []) {
    for (const t of app.tasks || []) {
      const key = t.slaveId || t.host;
      const n = nodes.get(key) || { host: t.host, agentId: t.slaveId, tasks: 0, cpus: 0, mem: 0, disk: 0, apps: new Set() };
      n.tasks++;
      n.cpus += app.cpus;
      n.mem += app.mem;
      n.disk += app.disk;
      n.apps.add(app.id);
      nodes.set(key, n);
    }
  }
  return html`
    <div class="page">
      <header class="page-head"><h1>Nodes</h1></header>
      <p class="hint">Agents running at least one task. Idle agents and agents' total resources need an agents API, which Corral does not have yet.</p>
      <table class="grid nodes">
        <thead><tr><th>Host</th><th>Agent</th><th class="num">Tasks</th><th class="num">CPU</th><th class="num">Mem</th><th class="num">Disk</th><th>Services</th></tr></thead>
        <tbody>
          ${[...nodes.values()].map((n) => html`<tr>
            <td>${n.host}</td><td class="mono small">${n.agentId}</td><td class="num">${n.tasks}</td>
            <td class="num">${cpus(n.cpus)}</td><td class="num">${mib(n.mem)}</td><td class="num">${mib(n.disk)}</td>
            <td>${[...n.apps].map((id) => html`<a href=${links.app(id)}>${id}</a> `)}</td></tr>`)}
          ${data && nodes.size === 0 && html`<tr><td colspan="7" class="empty">No task is running.</td></tr>`}
        </tbody>
      </table>
    </div>`;
}
