// Services: the table of apps and pods in a group, with group folders, status, health and allocation, and actions.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { useLive } from './hooks.js';
import { navigate } from './router.js';
import { appStatus, healthCounts, podAsService, cpus, mib, baseName, links } from './format.js';
import { AppEditor, ScaleDialog, ConfirmDialog, ErrorBox } from './dialogs.js';

export const APPS_URL = '/v2/apps?embed=apps.counts&embed=apps.deployments&embed=apps.lastTaskFailure';
export const PODS_STATUS_URL = '/v2/pods/::status';

/** Apps and pods together, pods in the shape of apps (see podAsService). */
export async function loadServices() {
  const [apps, pods] = await Promise.all([api(APPS_URL), api(PODS_STATUS_URL)]);
  return [...((apps && apps.apps) || []), ...(pods || []).map(podAsService)];
}

/** PUT of a pod's definition with another instance count (the pods API takes whole definitions only). */
export async function scalePod(id, count) {
  const spec = await api(`/v2/pods${id}`);
  delete spec.version;
  spec.scaling = { ...(spec.scaling || { kind: 'fixed' }), instances: count };
  return api(`/v2/pods${id}`, { method: 'PUT', body: spec });
}

/** The instance health bar: healthy, unhealthy, running (no health known), staging, missing. */
export function HealthBar({ app }) {
  const c = healthCounts(app);
  const total = Math.max(1, c.healthy + c.unhealthy + c.unknown + c.staged + c.missing);
  const seg = (n, cls, label) => n > 0 && html`
    <span class=${'seg ' + cls} style=${{ width: `${(100 * n) / total}%` }} title=${`${n} ${label}`}></span>`;
  return html`<span class="healthbar" data-healthy=${c.healthy} data-running=${c.running}>
    ${seg(c.healthy, 'healthy', 'healthy')}${seg(c.unhealthy, 'unhealthy', 'unhealthy')}
    ${seg(c.unknown, 'running', 'running, health unknown')}${seg(c.staged, 'staged', 'staging')}
    ${seg(c.missing, 'missing', 'not running')}</span>`;
}

export function StatusBadge({ status }) {
  return html`<span class=${'status ' + status.toLowerCase()}>${status}</span>`;
}

/** Rows for a group: one per direct app, one folder per direct subgroup (its totals summed). */
function rowsOf(apps, group, filter) {
  const prefix = group === '/' ? '/' : group + '/';
  const inGroup = apps.filter((a) => a.id.startsWith(prefix));
  if (filter) {
    const f = filter.toLowerCase();
    return inGroup.filter((a) => a.id.toLowerCase().includes(f)).map((app) => ({ app }));
  }
  const folders = new Map();
  const rows = [];
  for (const app of inGroup) {
    const rest = app.id.substring(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) {
      rows.push({ app });
      continue;
    }
    const id = prefix + rest.substring(0, slash);
    const f = folders.get(id) || { folder: id, apps: [] };
    f.apps.push(app);
    folders.set(id, f);
  }
  const byName = (a, b) => (a.folder || a.app.id).localeCompare(b.folder || b.app.id);
  return [...[...folders.values()].sort(byName), ...rows.sort(byName)];
}

// Drawn inline: emoji glyphs depend on the fonts of the viewer's machine.
export const PodIcon = () => html`<svg class="pod-icon" viewBox="0 0 16 16" role="img" aria-label="Pod">
  <title>Pod</title><rect x="1.5" y="1.5" width="6" height="6" rx="1" /><rect x="8.5" y="1.5" width="6" height="6" rx="1" />
  <rect x="1.5" y="8.5" width="6" height="6" rx="1" /><rect x="8.5" y="8.5" width="6" height="6" rx="1" /></svg>`;

const FolderIcon = () => html`<svg class="folder-icon" viewBox="0 0 16 16" aria-hidden="true">
  <path d="M1 3.5A1.5 1.5 0 0 1 2.5 2h3.6l1.5 1.6h5.9A1.5 1.5 0 0 1 15 5.1v7.4a1.5 1.5 0 0 1-1.5 1.5h-11A1.5 1.5 0 0 1 1 12.5z" /></svg>`;

function folderTotals(apps) {
  const sum = (f) => apps.reduce((s, a) => s + f(a), 0);
  const statuses = apps.map(appStatus);
  const status = ['Waiting', 'Deploying', 'Running'].find((s) => statuses.includes(s)) || 'Suspended';
  return {
    status,
    health: {
      instances: sum((a) => a.instances), tasksRunning: sum((a) => a.tasksRunning || 0),
      tasksHealthy: sum((a) => a.tasksHealthy || 0), tasksUnhealthy: sum((a) => a.tasksUnhealthy || 0),
      tasksStaged: sum((a) => a.tasksStaged || 0),
    },
    cpus: sum((a) => a.cpus * a.instances), mem: sum((a) => a.mem * a.instances), disk: sum((a) => a.disk * a.instances),
  };
}

function Breadcrumbs({ group }) {
  const parts = group.split('/').filter((s) => s);
  return html`<nav class="crumbs">
    <a href="/ui/services">Services</a>
    ${parts.map((p, i) => html` / <a href=${links.group('/' + parts.slice(0, i + 1).join('/'))}>${p}</a>`)}
  </nav>`;
}

export function Services({ group }) {
  const { data, error, reload } = useLive(loadServices);
  const [filter, setFilter] = useState('');
  const [dialog, setDialog] = useState(null);
  const [actionError, setActionError] = useState(null);
  const apps = data || [];
  const rows = rowsOf(apps, group, filter);
  const close = () => setDialog(null);
  const done = () => { setDialog(null); reload(); };

  const podActions = (pod) => html`<span class="actions">
    <button class="small" title="Edit" aria-label=${`Edit ${pod.id}`} onClick=${async () => {
      setActionError(null);
      try {
        const spec = await api(`/v2/pods${pod.id}`);
        setDialog(html`<${AppEditor} app=${spec} pod onClose=${close} onSaved=${done} />`);
      } catch (e) {
        setActionError(e);
      }
    }}>Edit</button>
    <button class="small" title="Scale" aria-label=${`Scale ${pod.id}`} onClick=${() => setDialog(html`<${ScaleDialog} app=${pod}
      scale=${(n) => scalePod(pod.id, n)} onClose=${close} onDone=${done} />`)}>Scale</button>
    <button class="small danger" title="Delete" aria-label=${`Delete ${pod.id}`} onClick=${() => setDialog(html`<${ConfirmDialog} title=${`Delete ${pod.id}`}
      text="Stops every instance of the pod and removes it. This cannot be undone." verb="Delete"
      action=${() => api(`/v2/pods${pod.id}`, { method: 'DELETE' })} onClose=${close} onDone=${done} />`)}>Delete</button>
  </span>`;

  const actions = (app) => app.pod ? podActions(app) : html`<span class="actions">
    <button class="small" title="Edit" onClick=${() => setDialog(html`<${AppEditor} app=${app} onClose=${close} onSaved=${done} />`)}>Edit</button>
    <button class="small" title="Scale" onClick=${() => setDialog(html`<${ScaleDialog} app=${app} onClose=${close} onDone=${done} />`)}>Scale</button>
    <button class="small" title="Restart" onClick=${() => setDialog(html`<${ConfirmDialog} title=${`Restart ${app.id}`}
      text="Replaces every instance with a new one, keeping the definition." verb="Restart"
      action=${() => api(`/v2/apps${app.id}/restart`, { method: 'POST' })} onClose=${close} onDone=${done} />`)}>Restart</button>
    <button class="small danger" title="Delete" onClick=${() => setDialog(html`<${ConfirmDialog} title=${`Delete ${app.id}`}
      text="Stops every instance and removes the service. This cannot be undone." verb="Delete"
      action=${() => api(`/v2/apps${app.id}`, { method: 'DELETE' })} onClose=${close} onDone=${done} />`)}>Delete</button>
  </span>`;

  return html`
    <div class="page">
      <header class="page-head">
        <${Breadcrumbs} group=${group} />
        <div class="tools">
          <input type="search" name="filter" placeholder="Filter by name" value=${filter}
            onInput=${(e) => setFilter(e.target.value)} />
          <button class="primary" onClick=${() => setDialog(html`<${AppEditor} onClose=${close}
            onSaved=${(id, pod) => { setDialog(null); reload(); if (id) navigate(pod ? links.pod(id) : links.app(id)); }} />`)}>Create</button>
        </div>
      </header>
      <${ErrorBox} error=${error || actionError} />
      <table class="grid services">
        <thead><tr>
          <th>Name</th><th>Status</th><th>Health</th><th class="num">Instances</th>
          <th class="num">CPU</th><th class="num">Mem</th><th class="num">Disk</th><th></th>
        </tr></thead>
        <tbody>
          ${rows.map((r) => r.folder ? html`
            <tr class="folder" key=${r.folder}>
              ${(() => {
                const t = folderTotals(r.apps);
                return html`
                  <td><a href=${links.group(r.folder)} class="folder-link"><${FolderIcon} /> ${baseName(r.folder)}</a></td>
                  <td><${StatusBadge} status=${t.status} /></td>
                  <td><${HealthBar} app=${t.health} /></td>
                  <td class="num">${t.health.tasksRunning}/${t.health.instances}</td>
                  <td class="num">${cpus(t.cpus)}</td><td class="num">${mib(t.mem)}</td><td class="num">${mib(t.disk)}</td>
                  <td></td>`;
              })()}
            </tr>` : html`
            <tr key=${r.app.id} data-app=${r.app.pod ? undefined : r.app.id} data-pod=${r.app.pod ? r.app.id : undefined}>
              <td>${r.app.pod && html`<${PodIcon} />`}<a href=${r.app.pod ? links.pod(r.app.id) : links.app(r.app.id)}>${filter ? r.app.id : baseName(r.app.id)}</a></td>
              <td><${StatusBadge} status=${appStatus(r.app)} /></td>
              <td><${HealthBar} app=${r.app} /></td>
              <td class="num instances">${r.app.tasksRunning || 0}/${r.app.instances}</td>
              <td class="num">${cpus(r.app.cpus * r.app.instances)}</td>
              <td class="num">${mib(r.app.mem * r.app.instances)}</td>
              <td class="num">${mib(r.app.disk * r.app.instances)}</td>
              <td>${actions(r.app)}</td>
            </tr>`)}
          ${data && rows.length === 0 && html`<tr><td colspan="8" class="empty">
            ${filter ? 'No service matches the filter.' : 'No services yet. Create one, or install a package from the Catalog.'}
          </td></tr>`}
        </tbody>
      </table>
      ${dialog}
    </div>`;
}
