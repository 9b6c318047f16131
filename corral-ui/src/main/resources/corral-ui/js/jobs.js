// Jobs: Metronome's jobs with their last result and schedules, Run now, Create (JSON) and Delete; a job's
// page lists its active runs (Stop) and its finished runs. The jobs API sends no events: these pages poll.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { useLive } from './hooks.js';
import { navigate } from './router.js';
import { ago } from './format.js';
import { Modal, ConfirmDialog, ErrorBox } from './dialogs.js';

const POLL_MS = 2000;
const path = (id) => `/v1/jobs/${encodeURIComponent(id)}`;
export const jobLink = (id) => `/ui/jobs/${encodeURIComponent(id)}`;

/** Running while a run is active; otherwise the result of the last finished run. */
function jobStatus(job) {
  if ((job.activeRuns || []).length > 0) return 'Running';
  const h = job.historySummary || {};
  const ok = h.lastSuccessAt ? Date.parse(h.lastSuccessAt) : 0;
  const bad = h.lastFailureAt ? Date.parse(h.lastFailureAt) : 0;
  if (!ok && !bad) return 'Never run';
  return ok >= bad ? 'Succeeded' : 'Failed';
}

const statusClass = (s) => 'status job-' + s.toLowerCase().replace(/\s+/g, '-');

function Schedules({ schedules }) {
  if (!schedules || schedules.length === 0) return html`<span class="muted">—</span>`;
  return schedules.map((s) => html`<div class="schedule">
    <code>${s.cron}</code>${s.timezone && s.timezone !== 'UTC' ? ` (${s.timezone})` : ''}
    ${s.enabled === false ? html` <span class="tag">disabled</span>` : s.nextRunAt && html` <span class="muted small"
      title=${s.nextRunAt}>next ${new Date(s.nextRunAt).toLocaleString()}</span>`}</div>`);
}

const TEMPLATE = {
  id: 'my-job',
  description: 'Says hello',
  run: { cmd: 'echo hello', cpus: 0.1, mem: 32, disk: 0 },
};

// What GET embeds beside the definition; PUT takes the definition alone.
const EMBEDDED = ['activeRuns', 'history', 'historySummary', 'schedules'];

function definitionOf(job) {
  const copy = { ...job };
  EMBEDDED.forEach((f) => delete copy[f]);
  return copy;
}

/** Create (job null) or Edit a job as JSON; errors from the API are shown by field path. */
function JobEditor({ job, onClose, onSaved }) {
  const [text, setText] = useState(JSON.stringify(job ? definitionOf(job) : TEMPLATE, null, 2));
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    let definition;
    try {
      definition = JSON.parse(text);
    } catch (parseError) {
      setError(new Error(`Not valid JSON: ${parseError.message}`));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const saved = job
        ? await api(path(job.id), { method: 'PUT', body: definition })
        : await api('/v1/jobs', { method: 'POST', body: definition });
      onSaved((saved && saved.id) || definition.id);
    } catch (apiError) {
      setError(apiError);
    } finally {
      setBusy(false);
    }
  };
  return html`
    <${Modal} title=${job ? `Edit ${job.id}` : 'Create job'} onClose=${onClose} wide>
      <form onSubmit=${submit}>
        <p class="hint">A Metronome job definition (JSON); schedules are added on the job's page.
          ${job ? ' Active runs keep the definition they started with.' : ''}</p>
        <textarea name="definition" aria-label="Job definition" class="json" spellcheck="false" rows="14"
          value=${text} onInput=${(e) => setText(e.target.value)}></textarea>
        <${ErrorBox} error=${error} />
        <footer>
          <button type="button" onClick=${onClose}>Cancel</button>
          <button type="submit" class="primary" disabled=${busy}>${job ? 'Save' : 'Create'}</button>
        </footer>
      </form>
    <//>`;
}

export function Jobs() {
  const { data, error, reload } = useLive(() => api('/v1/jobs?embed=activeRuns,historySummary,schedules'), [],
    { live: false, every: POLL_MS });
  const [dialog, setDialog] = useState(null);
  const [actionError, setActionError] = useState(null);
  const jobs = data || [];
  const close = () => setDialog(null);
  const runNow = async (id) => {
    setActionError(null);
    try {
      await api(`${path(id)}/runs`, { method: 'POST' });
      reload();
    } catch (e) {
      setActionError(e);
    }
  };
  return html`
    <div class="page">
      <header class="page-head"><h1>Jobs</h1>
        <div class="tools"><button class="primary" onClick=${() => setDialog(html`<${JobEditor} onClose=${close}
          onSaved=${(id) => { setDialog(null); reload(); navigate(jobLink(id)); }} />`)}>Create job</button></div>
      </header>
      <${ErrorBox} error=${error || actionError} />
      <table class="grid jobs">
        <thead><tr><th>Job</th><th>Description</th><th>Status</th><th class="num">Succeeded</th>
          <th class="num">Failed</th><th>Schedule</th><th></th></tr></thead>
        <tbody>
          ${jobs.map((j) => {
            const h = j.historySummary || {};
            const status = jobStatus(j);
            return html`<tr key=${j.id} data-job=${j.id}>
              <td><a href=${jobLink(j.id)}>${j.id}</a></td>
              <td>${j.description || ''}</td>
              <td><span class=${statusClass(status)}>${status}</span></td>
              <td class="num successes">${h.successCount || 0}</td>
              <td class="num failures">${h.failureCount || 0}</td>
              <td><${Schedules} schedules=${j.schedules} /></td>
              <td><span class="actions">
                <button class="small" aria-label=${`Run ${j.id} now`} onClick=${() => runNow(j.id)}>Run now</button>
                <button class="small danger" aria-label=${`Delete ${j.id}`} onClick=${() => setDialog(html`<${ConfirmDialog}
                  title=${`Delete ${j.id}`} verb="Delete" text="Removes the job, its schedules and its history; active runs are stopped."
                  action=${() => api(`${path(j.id)}?stopCurrentJobRuns=true`, { method: 'DELETE' })}
                  onClose=${close} onDone=${() => { setDialog(null); reload(); }} />`)}>Delete</button></span></td>
            </tr>`;
          })}
          ${data && jobs.length === 0 && html`<tr><td colspan="7" class="empty">No jobs yet.</td></tr>`}
        </tbody>
      </table>
      ${dialog}
    </div>`;
}

/** A job's schedules with Remove, and a form that adds one (POST /v1/jobs/<id>/schedules). */
function ScheduleTable({ id, schedules, act }) {
  const [sid, setSid] = useState('default');
  const [cron, setCron] = useState('');
  const [timezone, setTimezone] = useState('UTC');
  const add = (e) => {
    e.preventDefault();
    act(async () => {
      await api(`${path(id)}/schedules`, { method: 'POST', body: { id: sid, cron, timezone, enabled: true } });
      setCron('');
    });
  };
  return html`
    <table class="grid schedules">
      <thead><tr><th>Schedule</th><th>Cron</th><th>Time zone</th><th>Next run</th><th></th></tr></thead>
      <tbody>
        ${schedules.map((s) => html`<tr key=${s.id} data-schedule=${s.id}>
          <td>${s.id}</td><td><code>${s.cron}</code></td><td>${s.timezone}</td>
          <td class="next-run" title=${s.nextRunAt || ''}>${s.enabled === false ? 'disabled'
            : s.nextRunAt ? new Date(s.nextRunAt).toLocaleString() : '—'}</td>
          <td><button class="small danger" aria-label=${`Remove schedule ${s.id}`} onClick=${() => act(() =>
            api(`${path(id)}/schedules/${encodeURIComponent(s.id)}`, { method: 'DELETE' }))}>Remove</button></td>
        </tr>`)}
        ${schedules.length === 0 && html`<tr><td colspan="5" class="empty">No schedule: the job runs only when started.</td></tr>`}
      </tbody>
    </table>
    <form class="inline-form add-schedule" onSubmit=${add}>
      <label>Schedule id <input name="schedule-id" value=${sid} onInput=${(e) => setSid(e.target.value)} required /></label>
      <label>Cron <input name="cron" placeholder="*/5 * * * *" value=${cron} onInput=${(e) => setCron(e.target.value)} required /></label>
      <label>Time zone <input name="timezone" value=${timezone} onInput=${(e) => setTimezone(e.target.value)} /></label>
      <button type="submit">Add schedule</button>
    </form>`;
}

const duration = (from, to) => {
  if (!from || !to) return '—';
  const s = Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
};

export function JobPage({ id }) {
  const { data: job, error, reload } = useLive(() => api(`${path(id)}?embed=activeRuns,history,schedules`), [id],
    { live: false, every: POLL_MS });
  const [actionError, setActionError] = useState(null);
  const [dialog, setDialog] = useState(null);
  const act = async (fn) => {
    setActionError(null);
    try {
      await fn();
      reload();
    } catch (e) {
      setActionError(e);
    }
  };
  const history = (job && job.history) || {};
  const finished = [
    ...(history.successfulFinishedRuns || []).map((r) => ({ ...r, result: 'Succeeded' })),
    ...(history.failedFinishedRuns || []).map((r) => ({ ...r, result: 'Failed' })),
  ].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  const active = (job && job.activeRuns) || [];
  return html`
    <div class="page">
      <header class="page-head"><nav class="crumbs"><a href="/ui/jobs">Jobs</a> / <strong>${id}</strong></nav>
        ${job && html`<div class="tools">
          <button onClick=${() => setDialog(html`<${JobEditor} job=${job} onClose=${() => setDialog(null)}
            onSaved=${() => { setDialog(null); reload(); }} />`)}>Edit</button>
          <button class="primary" onClick=${() => act(() => api(`${path(id)}/runs`, { method: 'POST' }))}>Run now</button></div>`}
      </header>
      <${ErrorBox} error=${error || actionError} />
      ${job && html`
        <p class="description">${job.description}</p>
        <p><code class="mono small">${job.run && job.run.cmd}</code></p>
        <h3>Schedules</h3>
        <${ScheduleTable} id=${id} schedules=${job.schedules || []} act=${act} />
        <h3>Active runs</h3>
        <table class="grid runs active">
          <thead><tr><th>Run</th><th>Status</th><th>Started</th><th>Tasks</th><th></th></tr></thead>
          <tbody>
            ${active.map((r) => html`<tr key=${r.id} data-run=${r.id}>
              <td class="mono small">${r.id}</td><td>${r.status}</td><td title=${r.createdAt}>${ago(r.createdAt)}</td>
              <td class="small">${(r.tasks || []).map((t) => t.status).join(', ')}</td>
              <td><button class="small danger" aria-label=${`Stop run ${r.id}`} onClick=${() => act(() =>
                api(`${path(id)}/runs/${encodeURIComponent(r.id)}/actions/stop`, { method: 'POST' }))}>Stop</button></td>
            </tr>`)}
            ${active.length === 0 && html`<tr><td colspan="5" class="empty">No run is active.</td></tr>`}
          </tbody>
        </table>
        <h3>History</h3>
        <table class="grid runs history">
          <thead><tr><th>Run</th><th>Result</th><th>Started</th><th class="num">Took</th></tr></thead>
          <tbody>
            ${finished.map((r) => html`<tr key=${r.id} data-run=${r.id}>
              <td class="mono small">${r.id}</td><td><span class=${statusClass(r.result)}>${r.result}</span></td>
              <td title=${r.createdAt}>${ago(r.createdAt)}</td><td class="num">${duration(r.createdAt, r.finishedAt)}</td>
            </tr>`)}
            ${finished.length === 0 && html`<tr><td colspan="4" class="empty">No run has finished yet.</td></tr>`}
          </tbody>
        </table>`}
      ${dialog}
    </div>`;
}
