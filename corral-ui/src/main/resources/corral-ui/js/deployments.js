// Deployments: the plans running now, step by step, with rollback (revert the change) and stop (leave as is).
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { useLive } from './hooks.js';
import { ago, links } from './format.js';
import { ConfirmDialog, ErrorBox } from './dialogs.js';

/** A step's action names an app or a pod: a link to its page. */
const target = (a) => (a.pod ? { id: a.pod, href: links.pod(a.pod) } : { id: a.app, href: links.app(a.app) });

/** The apps and pods a deployment changes. */
export const affected = (d) => [...(d.affectedApps || []).map((id) => ({ id, href: links.app(id) })),
  ...(d.affectedPods || []).map((id) => ({ id, href: links.pod(id) }))];

export function DeploymentSteps({ d }) {
  return html`<ol class="steps">
    ${(d.steps || []).map((s, i) => html`<li class=${i + 1 < d.currentStep ? 'done' : i + 1 === d.currentStep ? 'current' : ''}>
      ${s.actions.map((a) => { const t = target(a); return html`<span class="action">${a.action} <a href=${t.href}>${t.id}</a></span>`; })}
    </li>`)}
  </ol>`;
}

export function Deployments() {
  const { data, error, reload } = useLive(() => api('/v2/deployments'));
  const [dialog, setDialog] = useState(null);
  const close = () => setDialog(null);
  const done = () => { setDialog(null); reload(); };
  const deployments = data || [];
  return html`
    <div class="page">
      <header class="page-head"><h1>Deployments</h1></header>
      <${ErrorBox} error=${error} />
      <table class="grid deployments">
        <thead><tr><th>Affected services</th><th>Step</th><th>Current actions</th><th>Started</th><th></th></tr></thead>
        <tbody>
          ${deployments.map((d) => html`<tr key=${d.id} data-deployment=${d.id}>
            <td>${affected(d).map((a) => html`<div><a href=${a.href}>${a.id}</a></div>`)}
              <div class="muted mono small">${d.id}</div></td>
            <td>${d.currentStep}/${d.totalSteps}<${DeploymentSteps} d=${d} /></td>
            <td>${(d.currentActions || []).map((a) => html`<div>${a.action} ${a.app || a.pod}
              ${a.status ? html` <span class="muted">(${a.status})</span>` : ''}</div>`)}</td>
            <td title=${d.startedAt || d.version}>${ago(d.startedAt || d.version)}</td>
            <td class="actions">
              <button class="small" onClick=${() => setDialog(html`<${ConfirmDialog} title="Roll back deployment" verb="Roll back"
                text=${`Starts a deployment that reverts ${affected(d).map((a) => a.id).join(', ')} to the version before this one.`}
                action=${() => api(`/v2/deployments/${d.id}`, { method: 'DELETE' })} onClose=${close} onDone=${done} />`)}>Rollback</button>
              <button class="small danger" onClick=${() => setDialog(html`<${ConfirmDialog} title="Stop deployment" verb="Stop"
                text="Stops the deployment where it is, without reverting: the services stay half-updated until the next change."
                action=${() => api(`/v2/deployments/${d.id}?force=true`, { method: 'DELETE' })} onClose=${close} onDone=${done} />`)}>Stop</button>
            </td>
          </tr>`)}
          ${data && deployments.length === 0 && html`<tr><td colspan="5" class="empty">No deployment is running.</td></tr>`}
        </tbody>
      </table>
      ${dialog}
    </div>`;
}
