// Nodes: every agent the master knows (/master/slaves), with its state, attributes, resources in use and
// total, the services running there, and its maintenance state with Drain / Deactivate / Reactivate; and the
// Mesos-style maintenance schedule (/master/maintenance/schedule): windows for chosen nodes, machines taken
// down (their agents drained now) and brought up again.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { useLive } from './hooks.js';
import { cpus, mib, links } from './format.js';
import { ConfirmDialog, ErrorBox } from './dialogs.js';

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
  const apps = useLive(() => Promise.all([api('/v2/apps?embed=apps.tasks'), api('/v2/pods/::status')]));
  const servicesByAgent = new Map();
  const count = (agentId, id, link) => {
    const set = servicesByAgent.get(agentId) || new Map();
    const seen = set.get(id) || { n: 0, link };
    seen.n++;
    set.set(id, seen);
    servicesByAgent.set(agentId, set);
  };
  const [appList, podList] = apps.data || [{}, []];
  for (const app of appList.apps || []) {
    for (const t of app.tasks || []) count(t.slaveId, app.id, links.app(app.id));
  }
  for (const pod of podList || []) {
    for (const i of pod.instances || []) if (i.agentId) count(i.agentId, pod.id, links.pod(pod.id));
  }
  const list = (agents.data && agents.data.slaves) || [];
  const [selected, setSelected] = useState([]);
  const select = (host, on) => setSelected((s) => (on ? [...s.filter((h) => h !== host), host] : s.filter((h) => h !== host)));
  return html`
    <div class="page">
      <header class="page-head"><h1>Nodes</h1></header>
      <${ErrorBox} error=${agents.error || actionError} />
      <table class="grid nodes">
        <thead><tr><th><span class="visually-hidden">Select</span></th><th>Host</th><th>Agent</th><th>State</th><th>Attributes</th><th class="num">CPU</th>
          <th class="num">Mem</th><th class="num">Disk</th><th class="num">GPU</th><th>Services</th><th>Maintenance</th></tr></thead>
        <tbody>
          ${list.map((a) => {
            const services = servicesByAgent.get(a.id) || new Map();
            const used = a.used_resources || {};
            const total = a.resources || {};
            const m = maintenanceOf(a);
            return html`<tr key=${a.id} data-agent=${a.id}>
              <td><input type="checkbox" aria-label=${`Select ${a.hostname}`} checked=${selected.includes(a.hostname)}
                onChange=${(e) => select(a.hostname, e.target.checked)} /></td>
              <td>${a.hostname}</td><td class="mono small">${a.id}</td><td>${a.active ? a.state : 'disconnected'}</td>
              <td class="small">${Object.entries(a.attributes || {}).map(([k, v]) => `${k}:${v}`).join(' ')}</td>
              <td class="num">${share(used.cpus, total.cpus, cpus)}</td>
              <td class="num">${share(used.mem, total.mem, mib)}</td>
              <td class="num">${share(used.disk, total.disk, mib)}</td>
              <td class="num">${total.gpus ? `${used.gpus || 0} / ${total.gpus}` : '—'}</td>
              <td>${[...services.entries()].map(([id, s]) => html`<a href=${s.link}>${id}</a>${s.n > 1 ? ` ×${s.n}` : ''} `)}</td>
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
          ${agents.data && list.length === 0 && html`<tr><td colspan="11" class="empty">No agent has registered.</td></tr>`}
        </tbody>
      </table>
      <${Schedule} selected=${selected} onChanged=${() => { setSelected([]); agents.reload(); }} />
    </div>`;
}

const SCHEDULE = '/master/maintenance/schedule';
const NS_PER_MS = 1000000;

// Mesos' times are nanoseconds since the epoch, past what a JavaScript number holds exactly: the page keeps
// milliseconds and writes the nanoseconds as digits.
const msOf = (n) => (n && n.nanoseconds != null ? Math.round(Number(n.nanoseconds) / NS_PER_MS) : null);

/** The schedule as {windows: [{machines, start, duration}]}, times in milliseconds. */
async function loadSchedule() {
  const s = await api(SCHEDULE);
  return ((s && s.windows) || []).map((w) => ({
    machines: w.machine_ids || [],
    start: msOf(w.unavailability && w.unavailability.start),
    duration: msOf(w.unavailability && w.unavailability.duration),
  }));
}

/** POSTs the whole schedule (the API replaces it), the nanoseconds spelled out exactly. */
function saveSchedule(windows) {
  const body = JSON.stringify({
    windows: windows.map((w) => ({
      machine_ids: w.machines,
      unavailability: {
        start: { nanoseconds: `@${w.start}` },
        ...(w.duration ? { duration: { nanoseconds: `@${w.duration}` } } : {}),
      },
    })),
  }).replace(/"@(\d+)"/g, (m, ms) => `${ms}000000`);
  return api(SCHEDULE, { method: 'POST', body });
}

const machineText = (m) => [m.hostname, m.ip].filter((x) => x).join(' / ');

function durationText(ms) {
  if (!ms) return 'open-ended';
  const min = Math.round(ms / 60000);
  if (min < 60) return `${min} min`;
  return min % 60 === 0 ? `${min / 60} h` : `${Math.floor(min / 60)} h ${min % 60} min`;
}

function windowState(w, now) {
  if (now < w.start) return 'upcoming';
  if (!w.duration || now < w.start + w.duration) return 'in progress';
  return 'over';
}

/** A datetime-local value (local time, minutes) for a time in milliseconds. */
function localInput(ms) {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60000);
  return d.toISOString().substring(0, 16);
}

/** The maintenance windows, with Take down / Bring up / Remove, and a form for a window of the chosen nodes. */
function Schedule({ selected, onChanged }) {
  const schedule = useLive(loadSchedule, [], { every: 5000 });
  const [start, setStart] = useState(() => localInput(Math.ceil(Date.now() / 3600000) * 3600000 + 3600000));
  const [hours, setHours] = useState('1');
  const [error, setError] = useState(null);
  const [dialog, setDialog] = useState(null);
  const windows = schedule.data || [];
  const now = Date.now();
  const run = async (action) => {
    setError(null);
    try {
      await action();
      schedule.reload();
      onChanged();
    } catch (e) {
      setError(e);
    }
  };
  const add = (e) => {
    e.preventDefault();
    if (selected.length === 0) {
      setError(new Error('Select the nodes of the window in the table above.'));
      return;
    }
    const startMs = Date.parse(start);
    if (Number.isNaN(startMs)) {
      setError(new Error('start: choose a date and time'));
      return;
    }
    const durationMs = Math.round(Number(hours) * 3600000);
    if (!(durationMs > 0)) {
      setError(new Error('duration: must be a positive number of hours'));
      return;
    }
    run(() => saveSchedule([...windows, { machines: selected.map((h) => ({ hostname: h })), start: startMs, duration: durationMs }]));
  };
  return html`
    <section class="maintenance-schedule">
      <h2>Maintenance schedule</h2>
      <p class="hint">Offers of a node in a window carry it as their unavailability, so that frameworks can move
        work away in time. Taking a window's machines down drains their agents now; bringing them up reactivates them.</p>
      <table class="grid windows">
        <thead><tr><th>Machines</th><th>Starts</th><th>Duration</th><th>State</th><th></th></tr></thead>
        <tbody>
          ${windows.map((w, i) => {
            const hosts = w.machines.map(machineText).join(', ');
            return html`<tr key=${i} data-window=${i}>
              <td class="machines">${hosts}</td>
              <td title=${new Date(w.start).toISOString()}>${new Date(w.start).toLocaleString()}</td>
              <td class="duration">${durationText(w.duration)}</td>
              <td><span class=${'window-state ' + windowState(w, now).replace(' ', '-')}>${windowState(w, now)}</span></td>
              <td><span class="actions">
                <button class="small" aria-label=${`Take down ${hosts}`} title="Drain the agents on these machines now"
                  onClick=${() => setDialog(html`<${ConfirmDialog} title=${`Take down ${hosts}`} verb="Take down"
                    text="Their agents are drained now: their tasks are killed and rescheduled elsewhere."
                    action=${() => api('/master/machine/down', { method: 'POST', body: w.machines })}
                    onClose=${() => setDialog(null)} onDone=${() => { setDialog(null); schedule.reload(); onChanged(); }} />`)}>Take down</button>
                <button class="small" aria-label=${`Bring up ${hosts}`}
                  onClick=${() => run(() => api('/master/machine/up', { method: 'POST', body: w.machines }))}>Bring up</button>
                <button class="small danger" aria-label=${`Remove window ${i + 1}`}
                  onClick=${() => run(() => saveSchedule(windows.filter((x, j) => j !== i)))}>Remove</button>
              </span></td>
            </tr>`;
          })}
          ${schedule.data && windows.length === 0 && html`<tr><td colspan="5" class="empty">No maintenance is scheduled.</td></tr>`}
        </tbody>
      </table>
      <form class="inline-form add-window" onSubmit=${add}>
        <span class="hint">${selected.length ? `For ${selected.join(', ')}` : 'Select nodes in the table above'}</span>
        <label>Start <input type="datetime-local" name="window-start" value=${start} onInput=${(e) => setStart(e.target.value)} required /></label>
        <label>Duration (hours) <input type="number" name="window-hours" min="0.25" step="0.25" value=${hours}
          onInput=${(e) => setHours(e.target.value)} required /></label>
        <button type="submit" class="primary">Schedule maintenance</button>
      </form>
      <${ErrorBox} error=${error || schedule.error} />
      ${dialog}
    </section>`;
}
