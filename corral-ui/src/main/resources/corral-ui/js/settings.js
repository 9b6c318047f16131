// Settings: the package repositories the Catalog reads (Cosmos /package/repository/*), the secret store
// (secrets.js), and access management through the IAM API (/acs/api/v1): users, groups with their members,
// service accounts, and what each may do.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { api, cosmos } from './api.js';
import { useLive } from './hooks.js';
import { ConfirmDialog, ErrorBox } from './dialogs.js';
import { Groups, ServiceAccounts, Grants } from './iam.js';
import { Secrets } from './secrets.js';

const TABS = [['repositories', 'Repositories'], ['secrets', 'Secrets'], ['users', 'Users'], ['groups', 'Groups'],
  ['service-accounts', 'Service accounts']];

export function Settings({ auth, tab = 'repositories' }) {
  const known = TABS.some(([key]) => key === tab) ? tab : 'repositories';
  return html`
    <div class="page settings">
      <header class="page-head"><h1>Settings</h1></header>
      <nav class="tabs" aria-label="Settings">${TABS.map(([key, label]) => html`
        <a href=${key === 'repositories' ? '/ui/settings' : `/ui/settings/${key}`} class=${key === known ? 'active' : ''}
          aria-current=${key === known ? 'page' : undefined} data-tab=${key}>${label}</a>`)}</nav>
      ${known === 'repositories' && html`<${Repositories} />`}
      ${known === 'secrets' && html`<${Secrets} />`}
      ${!['repositories', 'secrets'].includes(known) && !auth.authentication && html`<section class=${known}>
        <p class="notice" role="status">Authentication is off on this cluster (--no-auth): there are no accounts to manage.</p>
      </section>`}
      ${known === 'users' && auth.authentication && html`<${UserTable} auth=${auth} />`}
      ${known === 'groups' && auth.authentication && html`<${Groups} />`}
      ${known === 'service-accounts' && auth.authentication && html`<${ServiceAccounts} />`}
    </div>`;
}

function Repositories() {
  const { data, error, reload } = useLive(() => cosmos('repository/list'), [], { live: false });
  const [name, setName] = useState('');
  const [uri, setUri] = useState('');
  const [addError, setAddError] = useState(null);
  const [dialog, setDialog] = useState(null);
  const repos = (data && data.repositories) || [];
  const add = async (e) => {
    e.preventDefault();
    setAddError(null);
    try {
      await cosmos('repository/add', { name, uri });
      setName('');
      setUri('');
      reload();
    } catch (apiError) {
      setAddError(apiError);
    }
  };
  return html`
    <section class="repositories">
      <h2>Package repositories</h2>
      <${ErrorBox} error=${error} />
      <table class="grid repos">
        <thead><tr><th>Name</th><th>URI</th><th></th></tr></thead>
        <tbody>
          ${repos.map((r) => html`<tr key=${r.name} data-repo=${r.name}>
            <td>${r.name}</td><td class="mono small">${r.uri}</td>
            <td><button class="small danger" aria-label=${`Remove repository ${r.name}`} onClick=${() => setDialog(html`<${ConfirmDialog}
              title=${`Remove ${r.name}`} verb="Remove" text="The Catalog stops showing this repository's packages; installed packages keep running."
              action=${() => cosmos('repository/delete', { name: r.name })}
              onClose=${() => setDialog(null)} onDone=${() => { setDialog(null); reload(); }} />`)}>Remove</button></td>
          </tr>`)}
          ${data && repos.length === 0 && html`<tr><td colspan="3" class="empty">No repository: the Catalog is empty.</td></tr>`}
        </tbody>
      </table>
      <form class="inline-form add-repo" onSubmit=${add}>
        <label>Name <input name="repo-name" value=${name} onInput=${(e) => setName(e.target.value)} required /></label>
        <label>URI <input name="repo-uri" size="50" placeholder="https://… or file://…" value=${uri}
          onInput=${(e) => setUri(e.target.value)} required /></label>
        <button type="submit" class="primary">Add repository</button>
      </form>
      <${ErrorBox} error=${addError} />
      ${dialog}
    </section>`;
}

function UserTable({ auth }) {
  const { data, error, reload } = useLive(() => api('/acs/api/v1/users'), [], { live: false });
  const [uid, setUid] = useState('');
  const [password, setPassword] = useState('');
  const [description, setDescription] = useState('');
  const [addError, setAddError] = useState(null);
  const [dialog, setDialog] = useState(null);
  const [open, setOpen] = useState(null);
  const users = ((data && (data.array || data)) || []).filter((u) => !u.is_service);
  const add = async (e) => {
    e.preventDefault();
    setAddError(null);
    try {
      await api(`/acs/api/v1/users/${encodeURIComponent(uid)}`, { method: 'PUT', body: { password, description } });
      setUid('');
      setPassword('');
      setDescription('');
      reload();
    } catch (apiError) {
      setAddError(apiError);
    }
  };
  return html`
    <section class="users">
      <h2>Users</h2>
      <${ErrorBox} error=${error} />
      <table class="grid users">
        <thead><tr><th>User</th><th>Description</th><th></th></tr></thead>
        <tbody>
          ${users.map((u) => html`<tr key=${u.uid} data-user=${u.uid}>
            <td>${u.uid}${u.uid === auth.uid ? html` <span class="tag">you</span>` : ''}</td><td>${u.description}</td>
            <td><span class="actions">
              <button class="small" aria-label=${`Permissions of ${u.uid}`} onClick=${() => setOpen(open === u.uid ? null : u.uid)}>Permissions</button>
              <button class="small danger" aria-label=${`Delete user ${u.uid}`} disabled=${u.uid === auth.uid} onClick=${() => setDialog(html`<${ConfirmDialog}
                title=${`Delete ${u.uid}`} verb="Delete" text="The account and its grants are removed; its sessions end."
                action=${() => api(`/acs/api/v1/users/${encodeURIComponent(u.uid)}`, { method: 'DELETE' })}
                onClose=${() => setDialog(null)} onDone=${() => { setDialog(null); setOpen(null); reload(); }} />`)}>Delete</button>
            </span></td>
          </tr>`)}
        </tbody>
      </table>
      ${open && html`<${UserPermissions} uid=${open} key=${open} />`}
      <form class="inline-form add-user" onSubmit=${add}>
        <label>Username <input name="uid" value=${uid} onInput=${(e) => setUid(e.target.value)} required /></label>
        <label>Password <input name="password" type="password" autocomplete="new-password" value=${password}
          onInput=${(e) => setPassword(e.target.value)} required /></label>
        <label>Description <input name="description" value=${description} onInput=${(e) => setDescription(e.target.value)} /></label>
        <button type="submit" class="primary">Create user</button>
      </form>
      <${ErrorBox} error=${addError} />
      ${dialog}
    </section>`;
}

/** A user's groups, and what it may do, directly (granted and revoked here) and through its groups. */
function UserPermissions({ uid }) {
  const groups = useLive(() => api(`/acs/api/v1/users/${encodeURIComponent(uid)}/groups`), [uid], { live: false });
  const groupList = (groups.data && (groups.data.array || groups.data)) || [];
  return html`<div class="permissions" data-permissions=${uid}>
    <h3>${uid}: groups and permissions</h3>
    <${ErrorBox} error=${groups.error} />
    <p>Groups: ${groupList.length ? groupList.map((g) => (g.group || g).gid).join(', ') : html`<span class="muted">none</span>`}</p>
    <${Grants} kind="users" subject=${uid} />
  </div>`;
}
