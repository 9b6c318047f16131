// Settings › Secrets: the cluster's secret store (/secrets/v1/secret/default/…, docs/secrets.md). Paths are
// listed, values are written here but never shown: reading one back is the CLI's `corral secret get`.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { useLive } from './hooks.js';
import { ConfirmDialog, ErrorBox } from './dialogs.js';

const STORE = '/secrets/v1/secret/default/';
const url = (path) => STORE + path.split('/').map(encodeURIComponent).join('/');

export function Secrets() {
  const { data, error, reload } = useLive(() => api(`${STORE}?list=true`), [], { live: false });
  const [path, setPath] = useState('');
  const [value, setValue] = useState('');
  const [replace, setReplace] = useState(false);
  const [saveError, setSaveError] = useState(null);
  const [dialog, setDialog] = useState(null);
  const paths = (data && data.array) || [];
  const save = async (e) => {
    e.preventDefault();
    setSaveError(null);
    try {
      await api(url(path), { method: replace ? 'PATCH' : 'PUT', body: { value } });
      setPath('');
      setValue('');
      setReplace(false);
      reload();
    } catch (apiError) {
      setSaveError(apiError);
    }
  };
  return html`
    <section class="secrets">
      <h2>Secrets</h2>
      <p class="muted">Apps and pods name them under <code>secrets</code>; their tasks get the values as environment
        variables or files. A secret under a path (<code>team-a/db</code>) serves the apps under that path only.</p>
      <${ErrorBox} error=${error} />
      <table class="grid secrets">
        <thead><tr><th>Path</th><th></th></tr></thead>
        <tbody>
          ${paths.map((p) => html`<tr key=${p} data-secret=${p}>
            <td class="mono">${p}</td>
            <td><span class="actions">
              <button class="small" aria-label=${`Replace secret ${p}`} onClick=${() => { setPath(p); setReplace(true); }}>Replace value</button>
              <button class="small danger" aria-label=${`Delete secret ${p}`} onClick=${() => setDialog(html`<${ConfirmDialog}
                title=${`Delete ${p}`} verb="Delete" text="Running tasks keep the value they were given; tasks that start later and name it fail until it exists again."
                action=${() => api(url(p), { method: 'DELETE' })}
                onClose=${() => setDialog(null)} onDone=${() => { setDialog(null); reload(); }} />`)}>Delete</button>
            </span></td>
          </tr>`)}
          ${data && paths.length === 0 && html`<tr><td colspan="2" class="empty">No secret yet.</td></tr>`}
        </tbody>
      </table>
      <form class="inline-form add-secret" onSubmit=${save}>
        <label>Path <input name="secret-path" placeholder="db/password" value=${path} readOnly=${replace}
          onInput=${(e) => setPath(e.target.value)} required /></label>
        <label>Value <textarea name="secret-value" rows="2" cols="40" autocomplete="off" spellcheck="false" value=${value}
          onInput=${(e) => setValue(e.target.value)} required></textarea></label>
        <button type="submit" class="primary">${replace ? 'Replace value' : 'Create secret'}</button>
        ${replace && html`<button type="button" onClick=${() => { setPath(''); setReplace(false); }}>Cancel</button>`}
      </form>
      <${ErrorBox} error=${saveError} />
      ${dialog}
    </section>`;
}
