// Dialogs of the Services pages: the JSON app editor (Create / Edit), Scale, and a confirmation.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { api, ApiError } from './api.js';

export function Modal({ title, onClose, children, wide }) {
  return html`
    <div class="overlay" onClick=${(e) => e.target === e.currentTarget && onClose()}>
      <div class=${'modal' + (wide ? ' wide' : '')} role="dialog" aria-label=${title}>
        <header><h2>${title}</h2><button class="icon" aria-label="Close" onClick=${onClose}>×</button></header>
        ${children}
      </div>
    </div>`;
}

/** What an API failure says, as lines: Marathon's 422 details by field path, or the message. */
export function errorLines(error) {
  if (!(error instanceof ApiError)) return [String(error.message || error)];
  const body = error.body || {};
  const lines = [];
  for (const d of body.details || []) {
    for (const e of d.errors || []) lines.push({ path: d.path || '/', message: e });
  }
  const cosmos = (body.data && body.data.errors) || [];
  for (const e of cosmos) lines.push({ path: e.path || '/', message: e.message });
  return lines.length ? [body.message || `HTTP ${error.status}`, ...lines] : [body.message || `HTTP ${error.status}`];
}

export function ErrorBox({ error }) {
  if (!error) return null;
  const [head, ...paths] = errorLines(error);
  return html`
    <div class="error" role="alert">
      <strong>${head}</strong>
      ${paths.length > 0 && html`<ul class="field-errors">
        ${paths.map((p) => html`<li><code class="path">${p.path}</code> ${p.message}</li>`)}
      </ul>`}
    </div>`;
}

const TEMPLATE = {
  id: '/my-service',
  cmd: 'python3 -m http.server $PORT0',
  cpus: 0.1,
  mem: 64,
  disk: 0,
  instances: 1,
  portDefinitions: [{ port: 0, name: 'http' }],
};

// What GET adds to a definition at run time; PUT would reject or ignore it, so the editor leaves it out.
const RUNTIME_FIELDS = ['tasks', 'tasksStaged', 'tasksRunning', 'tasksHealthy', 'tasksUnhealthy', 'deployments',
  'lastTaskFailure', 'waiting', 'version', 'versionInfo', 'taskStats', 'readinessCheckResults'];

export function editable(app) {
  const copy = { ...app };
  RUNTIME_FIELDS.forEach((f) => delete copy[f]);
  return copy;
}

const POD_TEMPLATE = {
  id: '/my-pod',
  scaling: { kind: 'fixed', instances: 1 },
  containers: [
    { name: 'web', resources: { cpus: 0.1, mem: 64 },
      exec: { command: { shell: 'exec python3 -m http.server $ENDPOINT_HTTP' } },
      endpoints: [{ name: 'http', hostPort: 0, protocol: ['http'] }] },
    { name: 'sidecar', resources: { cpus: 0.1, mem: 32 }, exec: { command: { shell: 'exec sleep 3600' } } },
  ],
  networks: [{ mode: 'host' }],
};

/** Whether a definition is a pod's: pods have containers, apps a cmd, args or container. */
export const isPodDefinition = (d) => !!d && Array.isArray(d.containers);

/**
 * Create (app null) or Edit an app or a pod as JSON; errors from the API are shown by field path. A new
 * definition with `containers` is posted to /v2/pods, any other to /v2/apps; `pod` marks an edited pod.
 */
export function AppEditor({ app, pod, onClose, onSaved }) {
  const [text, setText] = useState(JSON.stringify(app ? editable(app) : TEMPLATE, null, 2));
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  let parsed = null;
  try { parsed = JSON.parse(text); } catch (e) { /* shown on submit */ }
  const asPod = app ? !!pod : isPodDefinition(parsed);
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
      const base = asPod ? '/v2/pods' : '/v2/apps';
      if (app) {
        await api(`${base}${app.id}`, { method: 'PUT', body: definition });
      } else {
        await api(base, { method: 'POST', body: definition });
      }
      onSaved(definition.id || (app && app.id), asPod);
    } catch (apiError) {
      setError(apiError);
    } finally {
      setBusy(false);
    }
  };
  const template = (t) => { setText(JSON.stringify(t, null, 2)); setError(null); };
  return html`
    <${Modal} title=${app ? `Edit ${app.id}` : 'Create service'} onClose=${onClose} wide>
      <form onSubmit=${submit}>
        <p class="hint">${asPod ? 'A Marathon pod definition (JSON): containers that run together on one node.'
          : 'A Marathon app definition (JSON).'} ${app ? 'Saving starts a deployment.' : ''}</p>
        ${!app && html`<div class="kind-switch" role="group" aria-label="Kind of service">
          <span class="hint">Start from</span>
          <button type="button" class="small" aria-pressed=${!asPod} onClick=${() => template(TEMPLATE)}>App template</button>
          <button type="button" class="small" aria-pressed=${asPod} onClick=${() => template(POD_TEMPLATE)}>Pod template</button>
          <span class="hint">— a definition with <code>containers</code> is created as a pod.</span>
        </div>`}
        <textarea name="definition" class="json" spellcheck="false" rows="18" aria-label="Definition (JSON)"
          value=${text} onInput=${(e) => setText(e.target.value)}></textarea>
        <${ErrorBox} error=${error} />
        <footer>
          <button type="button" onClick=${onClose}>Cancel</button>
          <button type="submit" class="primary" disabled=${busy}>${app ? 'Save' : asPod ? 'Create pod' : 'Create'}</button>
        </footer>
      </form>
    <//>`;
}

/** Scales an app (PUT of instances) or, given `scale`, whatever scale(count) does (a pod's whole definition). */
export function ScaleDialog({ app, scale, onClose, onDone }) {
  const [count, setCount] = useState(String(app.instances));
  const [error, setError] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    try {
      if (scale) await scale(Number(count));
      else await api(`/v2/apps${app.id}`, { method: 'PUT', body: { instances: Number(count) } });
      onDone();
    } catch (apiError) {
      setError(apiError);
    }
  };
  return html`
    <${Modal} title=${`Scale ${app.id}`} onClose=${onClose}>
      <form onSubmit=${submit}>
        <label>Instances <input name="instances" type="number" min="0" value=${count}
          onInput=${(e) => setCount(e.target.value)} autofocus /></label>
        <${ErrorBox} error=${error} />
        <footer>
          <button type="button" onClick=${onClose}>Cancel</button>
          <button type="submit" class="primary">Scale</button>
        </footer>
      </form>
    <//>`;
}

/** Asks before a destructive action; action() runs on confirm and its failure is shown. */
export function ConfirmDialog({ title, text, verb, action, onClose, onDone }) {
  const [error, setError] = useState(null);
  const confirm = async () => {
    try {
      await action();
      onDone();
    } catch (apiError) {
      setError(apiError);
    }
  };
  return html`
    <${Modal} title=${title} onClose=${onClose}>
      <p>${text}</p>
      <${ErrorBox} error=${error} />
      <footer>
        <button type="button" onClick=${onClose}>Cancel</button>
        <button type="button" class="danger" onClick=${confirm}>${verb}</button>
      </footer>
    <//>`;
}
