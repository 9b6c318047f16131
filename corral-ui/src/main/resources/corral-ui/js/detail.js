// One service: its tasks (with logs), configuration, persistent volumes, version history, and Debug ("why is it
// not running?").
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { useLive } from './hooks.js';
import { navigate } from './router.js';
import { appStatus, taskHealth, ago, links, cpus, mib, shortTask } from './format.js';
import { HealthBar, StatusBadge } from './services.js';
import { AppEditor, ScaleDialog, ConfirmDialog, ErrorBox, editable } from './dialogs.js';
import { VersionDiff } from './diff.js';
import { TaskMetrics } from './metrics.js';

const TABS = [['tasks', 'Tasks'], ['configuration', 'Configuration'], ['versions', 'Versions'], ['debug', 'Debug']];
const VOLUMES_TAB = ['volumes', 'Volumes'];

/** The app's persistent volumes (a resident app's): container.volumes entries with "persistent". */
function persistentVolumes(app) {
  return ((app.container && app.container.volumes) || []).filter((v) => v.persistent);
}

export function ServiceDetail({ id, tab }) {
  const { data, error, reload } = useLive(() => api(`/v2/apps${id}?embed=app.taskStats`), [id]);
  const [dialog, setDialog] = useState(null);
  const app = data && data.app;
  const close = () => setDialog(null);
  const done = () => { setDialog(null); reload(); };
  const parent = id.substring(0, id.lastIndexOf('/')) || '/';
  const tabs = app && persistentVolumes(app).length > 0 ? [...TABS.slice(0, 2), VOLUMES_TAB, ...TABS.slice(2)] : TABS;
  return html`
    <div class="page">
      <header class="page-head">
        <nav class="crumbs"><a href=${links.group(parent)}>Services${parent === '/' ? '' : parent}</a> / <strong>${id.substring(parent.length).replace(/^\//, '')}</strong></nav>
        ${app && html`<div class="tools">
          <${StatusBadge} status=${appStatus(app)} /> <${HealthBar} app=${app} />
          <span class="muted instances">${app.tasksRunning || 0}/${app.instances} running</span>
          <button onClick=${() => setDialog(html`<${AppEditor} app=${app} onClose=${close} onSaved=${done} />`)}>Edit</button>
          <button onClick=${() => setDialog(html`<${ScaleDialog} app=${app} onClose=${close} onDone=${done} />`)}>Scale</button>
          <button onClick=${() => setDialog(html`<${ConfirmDialog} title=${`Restart ${id}`} verb="Restart"
            text="Replaces every instance with a new one, keeping the definition."
            action=${() => api(`/v2/apps${id}/restart`, { method: 'POST' })} onClose=${close} onDone=${done} />`)}>Restart</button>
          <button class="danger" onClick=${() => setDialog(html`<${ConfirmDialog} title=${`Delete ${id}`} verb="Delete"
            text="Stops every instance and removes the service. This cannot be undone."
            action=${() => api(`/v2/apps${id}`, { method: 'DELETE' })} onClose=${close}
            onDone=${() => navigate(links.group(parent))} />`)}>Delete</button>
        </div>`}
      </header>
      ${app && app.waiting && html`<div class="notice">Waiting: ${app.waiting.reason} <a href=${links.app(id, 'debug')}>Debug</a></div>`}
      <${ErrorBox} error=${error} />
      <nav class="tabs">${tabs.map(([key, label]) => html`
        <a href=${links.app(id, key)} class=${key === tab ? 'active' : ''}>${label}</a>`)}</nav>
      ${app && tab === 'tasks' && html`<${Tasks} app=${app} />`}
      ${app && tab === 'configuration' && html`<${Configuration} app=${app} />`}
      ${app && tab === 'volumes' && html`<${Volumes} app=${app} />`}
      ${app && tab === 'versions' && html`<${Versions} app=${app} onApplied=${reload} />`}
      ${app && tab === 'debug' && html`<${Debug} app=${app} />`}
      ${dialog}
    </div>`;
}

function Tasks({ app }) {
  const tasks = app.tasks || [];
  return html`
    <table class="grid tasks">
      <thead><tr><th>Task</th><th>Host</th><th>Ports</th><th>Status</th><th>Health</th><th>Started</th><th>Logs</th><th><span class="visually-hidden">Exec</span></th></tr></thead>
      <tbody>
        ${tasks.map((t) => html`<tr key=${t.id} data-task=${t.id}>
          <td class="mono">${t.id}</td>
          <td>${t.host}</td>
          <td class="mono">${(t.ports || []).join(', ') || '—'}</td>
          <td><span class=${'state ' + (t.state || '').toLowerCase()}>${(t.state || '').replace('TASK_', '')}</span></td>
          <td>${taskHealth(t)}</td>
          <td title=${t.startedAt || ''}>${ago(t.startedAt)}</td>
          <td class="logs"><a href=${links.logs(t.id, 'stdout')}>stdout</a> · <a href=${links.logs(t.id, 'stderr')}>stderr</a></td>
          <td>${t.state === 'TASK_RUNNING' && html`<button class="small" aria-label=${`Terminal in ${t.id}`}
            title="Open a shell in this task" onClick=${() => navigate(links.exec(t.id))}>Terminal</button>`}</td>
        </tr>`)}
        ${tasks.length === 0 && html`<tr><td colspan="8" class="empty">No running tasks.
          ${app.instances > 0 ? html` See <a href=${links.app(app.id, 'debug')}>Debug</a> for why.` : ''}</td></tr>`}
      </tbody>
    </table>
    <${TaskMetrics} tasks=${tasks.filter((t) => t.state === 'TASK_RUNNING').map((t) => ({ id: t.id, label: shortTask(t.id) }))} />`;
}

// Where each task's persistent volumes are: DC/OS's Volumes tab. A stopped instance's volumes stay on its
// agent without a task, so they are not listed here.
function Volumes({ app }) {
  const sizes = Object.fromEntries(persistentVolumes(app).map((v) => [v.containerPath, v.persistent.size]));
  const rows = (app.tasks || []).flatMap((t) => (t.localVolumes || []).map((v) => ({ ...v, task: t })));
  return html`
    <table class="grid volumes">
      <thead><tr><th>Volume</th><th>Size</th><th>Task</th><th>Host</th><th>Persistence ID</th></tr></thead>
      <tbody>
        ${rows.map((r) => html`<tr key=${r.persistenceId} data-volume=${r.persistenceId}>
          <td class="mono">${r.containerPath}</td>
          <td>${mib(sizes[r.containerPath])}</td>
          <td class="mono">${shortTask(r.task.id)}</td>
          <td>${r.task.host}</td>
          <td class="mono">${r.persistenceId}</td>
        </tr>`)}
        ${rows.length === 0 && html`<tr><td colspan="5" class="empty">No task holds a volume now; stopped
          instances keep theirs on their agents.</td></tr>`}
      </tbody>
    </table>`;
}

function Configuration({ app }) {
  return html`
    <div class="config">
      <dl class="facts">
        <dt>CPU</dt><dd>${cpus(app.cpus)}</dd><dt>Memory</dt><dd>${mib(app.mem)}</dd>
        <dt>Disk</dt><dd>${mib(app.disk)}</dd><dt>Version</dt><dd class="mono">${app.version}</dd>
      </dl>
      <pre class="json">${JSON.stringify(editable(app), null, 2)}</pre>
    </div>`;
}

function Versions({ app, onApplied }) {
  const { data, error } = useLive(() => api(`/v2/apps${app.id}/versions`), [app.id, app.version]);
  const [shown, setShown] = useState(null);
  const [applyError, setApplyError] = useState(null);
  const show = async (v) => setShown({ version: v, definition: await api(`/v2/apps${app.id}/versions/${v}`) });
  const apply = async () => {
    try {
      await api(`/v2/apps${app.id}`, { method: 'PUT', body: editable(shown.definition) });
      setShown(null);
      onApplied();
    } catch (e) {
      setApplyError(e);
    }
  };
  return html`
    <div class="versions">
      <${ErrorBox} error=${error || applyError} />
      <ul class="version-list">
        ${((data && data.versions) || []).map((v) => html`<li key=${v}>
          <a href="#" onClick=${(e) => { e.preventDefault(); show(v); }} class="mono">${v}</a>
          ${v === app.version ? html` <span class="tag">current</span>` : ''}
        </li>`)}
      </ul>
      ${data && html`<${VersionDiff} versions=${data.versions || []} current=${app.version}
        load=${(v) => api(`/v2/apps${app.id}/versions/${v}`)} />`}
      ${shown && html`<div>
        <h3>Version ${shown.version}</h3>
        ${shown.version !== app.version && html`<button onClick=${apply}>Apply this version</button>`}
        <pre class="json">${JSON.stringify(editable(shown.definition), null, 2)}</pre>
      </div>`}
    </div>`;
}

/** Why is it not running: the last failure, and how the latest offers fared against the app. */
function Debug({ app }) {
  const { data, error } = useLive(() => api('/v2/queue?embed=lastUnusedOffers'), [app.id]);
  const entry = data && (data.queue || []).find((q) => q.app && q.app.id === app.id);
  const failure = app.lastTaskFailure;
  return html`
    <div class="debug">
      <section>
        <h3>Last task failure</h3>
        ${failure ? html`<dl class="facts">
          <dt>Task</dt><dd class="mono">${failure.taskId}</dd>
          <dt>State</dt><dd>${failure.state}</dd>
          <dt>Message</dt><dd class="failure-message">${failure.message}</dd>
          <dt>Host</dt><dd>${failure.host}</dd>
          <dt>When</dt><dd title=${failure.timestamp}>${ago(failure.timestamp)}</dd>
          <dt>Version</dt><dd class="mono">${failure.version}</dd>
        </dl>` : html`<p class="muted">No task of this service has failed.</p>`}
      </section>
      <section>
        <h3>Waiting for resources</h3>
        <${ErrorBox} error=${error} />
        ${!entry ? html`<p class="muted">No instance is waiting for an offer.</p>` : html`
          <p class="waiting-reason">${entry.count} instance(s) waiting since ${ago(entry.since)}.
            ${entry.waitingReason ? html` <strong>${entry.waitingReason}</strong>` : ''}
            ${entry.delay && entry.delay.timeLeftSeconds > 0 ? ` Backoff: next attempt in ${entry.delay.timeLeftSeconds} s.` : ''}</p>
          <${OfferSummary} summary=${entry.processedOffersSummary || {}} />
          <h4>Last unused offers</h4>
          <table class="grid offers">
            <thead><tr><th>Host</th><th>Declined because</th><th>Resources</th><th>When</th></tr></thead>
            <tbody>
              ${(entry.lastUnusedOffers || []).map((o) => html`<tr>
                <td>${o.offer.hostname}</td>
                <td>${(o.reason || []).map((r) => html`<span class="tag reason">${r}</span> `)}</td>
                <td class="mono small">${(o.offer.resources || []).map(resourceText).join(', ')}</td>
                <td>${ago(o.timestamp)}</td>
              </tr>`)}
              ${(entry.lastUnusedOffers || []).length === 0 && html`<tr><td colspan="4" class="empty">No offer seen yet.</td></tr>`}
            </tbody>
          </table>`}
      </section>
    </div>`;
}

function resourceText(r) {
  if (r.ranges) return `${r.name} ${r.ranges.map((x) => `${x.begin}-${x.end}`).join(',')}`;
  return `${r.name} ${Math.round(r.scalar * 100) / 100}`;
}

function OfferSummary({ summary }) {
  const rows = summary.rejectSummaryLaunchAttempt || [];
  return html`
    <p>${summary.processedOffersCount || 0} offers processed, ${summary.unusedOffersCount || 0} unused.</p>
    <table class="grid funnel">
      <thead><tr><th>Requirement</th><th class="num">Offers checked</th><th class="num">Declined</th></tr></thead>
      <tbody>${rows.map((r) => html`<tr class=${r.declined > 0 ? 'declined' : ''}>
        <td>${r.reason}</td><td class="num">${r.processed}</td><td class="num">${r.declined}</td></tr>`)}</tbody>
    </table>`;
}
