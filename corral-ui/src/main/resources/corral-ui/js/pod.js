// One pod: its instances with each container (status, host, endpoints with their allocated ports, health,
// logs), its configuration and version history; Edit, Scale, Delete, and killing one instance (which the
// pod's scaling replaces).
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { useLive } from './hooks.js';
import { navigate } from './router.js';
import { appStatus, podAsService, containerHealth, ago, links, cpus, mib, shortTask } from './format.js';
import { HealthBar, StatusBadge, PodIcon, scalePod } from './services.js';
import { AppEditor, ScaleDialog, ConfirmDialog, ErrorBox, editable } from './dialogs.js';
import { VersionDiff } from './diff.js';
import { TaskMetrics } from './metrics.js';

const TABS = [['instances', 'Instances'], ['configuration', 'Configuration'], ['versions', 'Versions']];

export function PodDetail({ id, tab }) {
  const { data, error, reload } = useLive(() => api(`/v2/pods${id}::status`), [id]);
  const [dialog, setDialog] = useState(null);
  const [actionError, setActionError] = useState(null);
  const pod = data && podAsService(data);
  const close = () => setDialog(null);
  const done = () => { setDialog(null); reload(); };
  const parent = id.substring(0, id.lastIndexOf('/')) || '/';
  const edit = async () => {
    setActionError(null);
    try {
      const spec = await api(`/v2/pods${id}`);
      setDialog(html`<${AppEditor} app=${spec} pod onClose=${close} onSaved=${done} />`);
    } catch (e) {
      setActionError(e);
    }
  };
  return html`
    <div class="page">
      <header class="page-head">
        <nav class="crumbs"><a href=${links.group(parent)}>Services${parent === '/' ? '' : parent}</a> /
          <${PodIcon} /><strong>${id.substring(parent.length).replace(/^\//, '')}</strong></nav>
        ${pod && html`<div class="tools">
          <${StatusBadge} status=${appStatus(pod)} /> <${HealthBar} app=${pod} />
          <span class="muted instances">${pod.tasksRunning}/${pod.instances} running</span>
          <button onClick=${edit}>Edit</button>
          <button onClick=${() => setDialog(html`<${ScaleDialog} app=${pod} scale=${(n) => scalePod(id, n)}
            onClose=${close} onDone=${done} />`)}>Scale</button>
          <button class="danger" onClick=${() => setDialog(html`<${ConfirmDialog} title=${`Delete ${id}`} verb="Delete"
            text="Stops every instance of the pod and removes it. This cannot be undone."
            action=${() => api(`/v2/pods${id}`, { method: 'DELETE' })} onClose=${close}
            onDone=${() => navigate(links.group(parent))} />`)}>Delete</button>
        </div>`}
      </header>
      ${pod && pod.waiting && html`<div class="notice">Waiting: ${pod.waiting.reason}</div>`}
      <${ErrorBox} error=${error || actionError} />
      <nav class="tabs">${TABS.map(([key, label]) => html`
        <a href=${links.pod(id, key)} class=${key === tab ? 'active' : ''}>${label}</a>`)}</nav>
      ${data && tab === 'instances' && html`<${Instances} status=${data}
        onKill=${(instance) => setDialog(html`<${ConfirmDialog} title=${`Kill instance ${instance}`} verb="Kill"
          text="Stops every container of this instance; the pod starts a new instance in its place."
          action=${() => api(`/v2/pods${id}::instances/${instance}`, { method: 'DELETE' })}
          onClose=${close} onDone=${done} />`)} />`}
      ${data && tab === 'configuration' && html`<${Configuration} status=${data} />`}
      ${data && tab === 'versions' && html`<${Versions} status=${data} onApplied=${reload} />`}
      ${dialog}
    </div>`;
}

function endpointText(e) {
  return e.allocatedHostPort ? `${e.name}:${e.allocatedHostPort}` : e.name;
}

/** Every instance, and under it one row per container. */
function Instances({ status, onKill }) {
  const instances = status.instances || [];
  const history = status.terminationHistory || [];
  return html`
    <table class="grid pod-instances">
      <thead><tr><th>Container</th><th>Status</th><th>Host</th><th>Endpoints</th><th>Health</th><th>Since</th><th>Logs</th><th><span class="visually-hidden">Exec</span></th></tr></thead>
      ${instances.map((i) => html`<tbody key=${i.id} data-instance=${i.id}>
        <tr class="instance">
          <td colspan="8"><div class="instance-head">
            <span>Instance <span class="mono small">${i.id}</span></span>
            <span>${i.agentHostname || 'not placed yet'}</span>
            <span class=${'pod-state ' + (i.status || '').toLowerCase()}>${i.status}</span>
            <span class="muted" title=${i.statusSince || ''}>${ago(i.statusSince)}</span>
            <button class="small danger" aria-label=${`Kill instance ${i.id}`} title="Kill it; the pod starts a new instance"
              onClick=${() => onKill(i.id)}>Kill</button>
          </div></td>
        </tr>
        ${(i.containers || []).map((c) => html`<tr key=${c.containerId} class="container" data-container=${c.name}>
          <td class="container-name">${c.name}</td>
          <td><span class=${'state ' + (c.status || '').toLowerCase()}>${(c.status || '').replace('TASK_', '')}</span>
            ${c.message && c.status !== 'TASK_RUNNING' ? html`<div class="small muted">${c.message}</div>` : ''}</td>
          <td>${i.agentHostname || '—'}</td>
          <td class="mono endpoints">${(c.endpoints || []).map(endpointText).join(', ') || '—'}</td>
          <td class="health">${containerHealth(c)}</td>
          <td title=${c.statusSince || ''}>${ago(c.statusSince)}</td>
          <td class="logs"><a href=${links.logs(c.containerId, 'stdout')} aria-label=${`stdout of ${c.name}`}>stdout</a>${' · '}<a href=${links.logs(c.containerId, 'stderr')} aria-label=${`stderr of ${c.name}`}>stderr</a></td>
          <td>${c.status === 'TASK_RUNNING' && html`<button class="small" aria-label=${`Terminal in ${c.name} of ${i.id}`}
            title="Open a shell in this container" onClick=${() => navigate(links.exec(c.containerId))}>Terminal</button>`}</td>
        </tr>`)}
      </tbody>`)}
      ${instances.length === 0 && html`<tbody><tr><td colspan="8" class="empty">No instance is running.</td></tr></tbody>`}
    </table>
    <${TaskMetrics} tasks=${instances.flatMap((i) => (i.containers || []).filter((c) => c.status === 'TASK_RUNNING')
      .map((c) => ({ id: c.containerId, label: `${c.name} ${shortTask(i.id)}` })))} />
    ${history.length > 0 && html`<section class="termination">
      <h3>Last termination</h3>
      ${history.map((h) => html`<dl class="facts" key=${h.instanceID}>
        <dt>Instance</dt><dd class="mono">${h.instanceID}</dd>
        <dt>When</dt><dd title=${h.terminatedAt}>${ago(h.terminatedAt)}</dd>
        <dt>Message</dt><dd class="failure-message">${h.message}</dd>
      </dl>`)}
    </section>`}`;
}

function Configuration({ status }) {
  const spec = status.spec || {};
  const pod = podAsService(status);
  return html`
    <div class="config">
      <dl class="facts">
        <dt>Containers</dt><dd>${(spec.containers || []).map((c) => c.name).join(', ')}</dd>
        <dt>CPU</dt><dd>${cpus(pod.cpus)}</dd><dt>Memory</dt><dd>${mib(pod.mem)}</dd>
        <dt>Disk</dt><dd>${mib(pod.disk)}</dd><dt>Version</dt><dd class="mono">${spec.version}</dd>
      </dl>
      <pre class="json">${JSON.stringify(editable(spec), null, 2)}</pre>
    </div>`;
}

function Versions({ status, onApplied }) {
  const id = status.id;
  const current = status.spec && status.spec.version;
  const { data, error } = useLive(() => api(`/v2/pods${id}::versions`), [id, current]);
  const [shown, setShown] = useState(null);
  const [applyError, setApplyError] = useState(null);
  const show = async (v) => {
    try {
      setShown({ version: v, definition: await api(`/v2/pods${id}::versions/${v}`) });
    } catch (e) {
      setApplyError(e);
    }
  };
  const apply = async () => {
    try {
      await api(`/v2/pods${id}`, { method: 'PUT', body: editable(shown.definition) });
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
        ${(data || []).map((v) => html`<li key=${v}>
          <a href="#" onClick=${(e) => { e.preventDefault(); show(v); }} class="mono">${v}</a>
          ${v === current ? html` <span class="tag">current</span>` : ''}
        </li>`)}
      </ul>
      ${data && html`<${VersionDiff} versions=${data} current=${current}
        load=${(v) => api(`/v2/pods${id}::versions/${v}`)} />`}
      ${shown && html`<div>
        <h3>Version ${shown.version}</h3>
        ${shown.version !== current && html`<button onClick=${apply}>Apply this version</button>`}
        <pre class="json">${JSON.stringify(editable(shown.definition), null, 2)}</pre>
      </div>`}
    </div>`;
}
