// Nodes: every agent the master knows (/master/slaves), with its state, attributes, resources in use and
// total, the services running there, and its maintenance state with Drain / Deactivate / Reactivate.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { useLive } from './hooks.js';
import { cpus, mib, links } from './format.js';
import { ErrorBox } from './dialogs.js';

/** The operator's wish for the agent, or unreachable when it has lost its connection. */
function maintenanceOf(a) {
  if (!a.active) return 'unreachable';
  return String(a.maintenance || 'ACTIVE').toLowerCase();
}

/** "used / total" for one scalar resource. */
function share(used, total, fmt) {
  return `${fmt(used || 0)} / ${fmt(total || 0)}`;
}

export function Nodes() {
  // maintenance changes send no Marathon event: poll as well
  const agents = useLive(() => api('/master/slaves'), [], { every: 3000 });
  const [actionError, setActionError] = useState(null);
  const act = async (id, verb) => {
    setActionError(null);
    try {
      await api(`/master/agents/${encodeURIComponent(id)}/${verb}`, { method: 'POST', body: {} });
      agents.reload();
    } catch (e) {
      setActionError(e);
    }
  };
  const apps = useLive(() => api('/v2/apps?embed=apps.tasks'));
  const servicesByAgent = new Map();
  for (const app of (apps.data && apps.data.apps) || []) {
    for (const t of app.tasks || []) {
      const set = servicesByAgent.get(t.slaveId) || new Map();
      set.set(app.id, (set.get(app.id) || 0) + 1);
      servicesByAgent.set(t.slaveId, set);
    }
  }
  const list = (agents.data && agents.data.slaves) || [];
  return html`
    <div class="page">
      <header class="page-head"><h1>Nodes</h1></header>
      <${ErrorBox} error=${agents.error || actionError} />
      <table class="grid nodes">
        <thead><tr><th>Host</th><th>Agent</th><th>State</th><th>Attributes</th><th class="num">CPU</th>
          <th class="num">Mem</th><th class="num">Disk</th><th class="num">GPU</th><th>Services</th><th>Maintenance</th></tr></thead>
        <tbody>
          ${list.map((a) => {
            const services = servicesByAgent.get(a.id) || new Map();
            const used = a.used_resources || {};
            const total = a.resources || {};
            const m = maintenanceOf(a);
            return html`<tr key=${a.id} data-agent=${a.id}>
              <td>${a.hostname}</td><td class="mono small">${a.id}</td><td>${a.active ? a.state : 'disconnected'}</td>
              <td class="small">${Object.entries(a.attributes || {}).map(([k, v]) => `${k}:${v}`).join(' ')}</td>
              <td class="num">${share(used.cpus, total.cpus, cpus)}</td>
              <td class="num">${share(used.mem, total.mem, mib)}</td>
              <td class="num">${share(used.disk, total.disk, mib)}</td>
              <td class="num">${total.gpus ? `${used.gpus || 0} / ${total.gpus}` : '—'}</td>
              <td>${[...services.entries()].map(([id, n]) => html`<a href=${links.app(id)}>${id}</a>${n > 1 ? ` ×${n}` : ''} `)}</td>
              <td class="maint-cell"><span class=${'maint ' + m}>${m}</span><span class="actions">
                ${(m === 'active' || m === 'unreachable') && html`
                  <button class="small" aria-label=${`Drain ${a.hostname}`} title="Stop offering it; its tasks are killed and rescheduled elsewhere"
                    onClick=${() => act(a.id, 'drain')}>Drain</button>`}
                ${m !== 'deactivated' && html`<button class="small danger" aria-label=${`Deactivate ${a.hostname}`}
                  title="Remove it from scheduling until reactivated" onClick=${() => act(a.id, 'deactivate')}>Deactivate</button>`}
                ${m !== 'active' && m !== 'unreachable' && html`<button class="small" aria-label=${`Reactivate ${a.hostname}`}
                  onClick=${() => act(a.id, 'reactivate')}>Reactivate</button>`}
              </span></td>
            </tr>`;
          })}
          ${agents.data && list.length === 0 && html`<tr><td colspan="10" class="empty">No agent has registered.</td></tr>`}
        </tbody>
      </table>
    </div>`;
}
