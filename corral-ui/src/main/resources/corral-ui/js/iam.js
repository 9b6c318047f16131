// Access management (DC/OS's Organization) through the IAM API under /acs/api/v1: groups and their members,
// service accounts (log in with a key pair), and the permissions (resource id + actions) of users and groups.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { useLive } from './hooks.js';
import { ConfirmDialog, ErrorBox } from './dialogs.js';

const ACS = '/acs/api/v1';
const ACTIONS = ['read', 'create', 'update', 'delete', 'full'];
// Resource ids that Corral checks, offered as suggestions; any id starting with corral: may be granted.
const KNOWN_RESOURCES = ['corral:superuser', 'corral:service:marathon', 'corral:service:marathon:/*',
  'corral:jobs', 'corral:package', 'corral:package:install', 'corral:package:repository', 'corral:operator',
  'corral:logs', 'corral:metrics', 'corral:task:exec', 'corral:service:proxy', 'corral:acs'];

const enc = encodeURIComponent;
/** A resource id in a path: encoded twice (a / as %252F), as DC/OS clients send it. */
const ridPath = (rid) => enc(rid).replace(/%/g, '%25');
const listOf = (data) => (data && (data.array || data)) || [];
const actionNames = (actions) => (actions || []).map((a) => a.name || a);

/** The grants of a user (direct, and through groups) or of a group, as rows {rid, actions, via}. */
async function grantsOf(kind, subject) {
  if (kind === 'users') {
    const p = await api(`${ACS}/users/${enc(subject)}/permissions`);
    return [...(p.direct || []).map((g) => ({ rid: g.rid, actions: actionNames(g.actions), via: null })),
      ...(p.groups || []).map((g) => ({ rid: g.rid, actions: actionNames(g.actions), via: g.gid }))];
  }
  // no per-group listing in the API: every ACL's permissions, this group's entries
  const acls = listOf(await api(`${ACS}/acls`));
  const perms = await Promise.all(acls.map((a) => api(`${ACS}/acls/${ridPath(a.rid)}/permissions`)
    .then((p) => ({ rid: a.rid, p }))));
  const rows = [];
  for (const { rid, p } of perms) {
    for (const g of p.groups || []) {
      if (g.gid === subject) rows.push({ rid, actions: actionNames(g.actions), via: null });
    }
  }
  return rows;
}

/** What a user or group may do, with a form to grant a resource's actions and a Revoke per grant. */
export function Grants({ kind, subject }) {
  const { data, error, reload } = useLive(() => grantsOf(kind, subject), [kind, subject], { live: false });
  const [rid, setRid] = useState('');
  const [chosen, setChosen] = useState(['read']);
  const [actionError, setActionError] = useState(null);
  const [dialog, setDialog] = useState(null);
  const rows = data || [];
  const path = (r, action) => `${ACS}/acls/${ridPath(r)}/${kind}/${enc(subject)}/${action}`;
  const grant = async (e) => {
    e.preventDefault();
    setActionError(null);
    if (chosen.length === 0) {
      setActionError(new Error('Choose at least one action.'));
      return;
    }
    try {
      for (const action of chosen) await api(path(rid.trim(), action), { method: 'PUT', body: {} });
      setRid('');
      reload();
    } catch (apiError) {
      setActionError(apiError);
      reload();
    }
  };
  const toggle = (action, on) => setChosen((c) => (on ? [...c, action] : c.filter((a) => a !== action)));
  const listId = `resources-${kind}-${subject}`;
  return html`<div class="grants" data-grants=${`${kind}/${subject}`}>
    <${ErrorBox} error=${error} />
    <table class="grid compact">
      <thead><tr><th>Resource</th><th>Actions</th><th>Granted</th><th></th></tr></thead>
      <tbody>
        ${rows.map((r) => html`<tr key=${`${r.rid} ${r.via}`} data-rid=${r.rid}>
          <td class="mono small">${r.rid}</td><td class="grant-actions">${r.actions.join(', ')}</td>
          <td>${r.via ? `group ${r.via}` : 'direct'}</td>
          <td>${!r.via && html`<button class="small danger" aria-label=${`Revoke ${r.rid} from ${subject}`}
            onClick=${() => setDialog(html`<${ConfirmDialog} title=${`Revoke ${r.rid}`} verb="Revoke"
              text=${`${subject} loses ${r.actions.join(', ')} on ${r.rid}.`}
              action=${async () => { for (const a of r.actions) await api(path(r.rid, a), { method: 'DELETE' }); }}
              onClose=${() => setDialog(null)} onDone=${() => { setDialog(null); reload(); }} />`)}>Revoke</button>`}</td>
        </tr>`)}
        ${data && rows.length === 0 && html`<tr><td colspan="4" class="empty">No permission.</td></tr>`}
      </tbody>
    </table>
    <form class="inline-form grant-form" onSubmit=${grant}>
      <label>Resource <input name="rid" size="36" list=${listId} placeholder="corral:service:marathon:/prod/*"
        value=${rid} onInput=${(e) => setRid(e.target.value)} required /></label>
      <datalist id=${listId}>${KNOWN_RESOURCES.map((r) => html`<option value=${r} />`)}</datalist>
      <fieldset class="action-choice"><legend>Actions</legend>
        ${ACTIONS.map((a) => html`<label class="check"><input type="checkbox" name="action" value=${a}
          checked=${chosen.includes(a)} onChange=${(e) => toggle(a, e.target.checked)} /> ${a}</label>`)}
      </fieldset>
      <button type="submit" class="primary" aria-label=${`Grant to ${subject}`}>Grant</button>
    </form>
    <${ErrorBox} error=${actionError} />
    ${dialog}
  </div>`;
}

export function Groups() {
  const { data, error, reload } = useLive(() => api(`${ACS}/groups`), [], { live: false });
  const [gid, setGid] = useState('');
  const [description, setDescription] = useState('');
  const [addError, setAddError] = useState(null);
  const [dialog, setDialog] = useState(null);
  const [open, setOpen] = useState(null);
  const groups = listOf(data);
  const add = async (e) => {
    e.preventDefault();
    setAddError(null);
    try {
      await api(`${ACS}/groups/${enc(gid.trim())}`, { method: 'PUT', body: { description } });
      setOpen(gid.trim());
      setGid('');
      setDescription('');
      reload();
    } catch (apiError) {
      setAddError(apiError);
    }
  };
  const shown = groups.find((g) => g.gid === open);
  return html`
    <section class="groups">
      <h2>Groups</h2>
      <p class="hint">Members of a group may do what the group is granted.</p>
      <${ErrorBox} error=${error} />
      <table class="grid groups">
        <thead><tr><th>Group</th><th>Description</th><th class="num">Members</th><th></th></tr></thead>
        <tbody>
          ${groups.map((g) => html`<tr key=${g.gid} data-group=${g.gid} class=${g.gid === open ? 'selected' : ''}>
            <td>${g.gid}</td><td>${g.description}</td><td class="num members">${(g.members || []).length}</td>
            <td><span class="actions">
              <button class="small" aria-expanded=${g.gid === open} aria-label=${`Manage group ${g.gid}`}
                onClick=${() => setOpen(open === g.gid ? null : g.gid)}>Members and permissions</button>
              <button class="small danger" aria-label=${`Delete group ${g.gid}`} onClick=${() => setDialog(html`<${ConfirmDialog}
                title=${`Delete ${g.gid}`} verb="Delete" text="The group and its grants are removed; its members keep their own."
                action=${() => api(`${ACS}/groups/${enc(g.gid)}`, { method: 'DELETE' })}
                onClose=${() => setDialog(null)} onDone=${() => { setDialog(null); setOpen(null); reload(); }} />`)}>Delete</button>
            </span></td>
          </tr>`)}
          ${data && groups.length === 0 && html`<tr><td colspan="4" class="empty">No group yet.</td></tr>`}
        </tbody>
      </table>
      <form class="inline-form add-group" onSubmit=${add}>
        <label>Group ID <input name="gid" value=${gid} onInput=${(e) => setGid(e.target.value)} required /></label>
        <label>Description <input name="group-description" value=${description}
          onInput=${(e) => setDescription(e.target.value)} /></label>
        <button type="submit" class="primary">Create group</button>
      </form>
      <${ErrorBox} error=${addError} />
      ${shown && html`<${GroupPanel} group=${shown} key=${shown.gid} onChanged=${reload} />`}
      ${dialog}
    </section>`;
}

/** A group's members (added from the accounts, removed one by one) and its permissions. */
function GroupPanel({ group, onChanged }) {
  const accounts = useLive(() => api(`${ACS}/users`), [], { live: false });
  const [uid, setUid] = useState('');
  const [memberError, setMemberError] = useState(null);
  const members = group.members || [];
  const candidates = listOf(accounts.data).map((a) => a.uid).filter((u) => !members.includes(u));
  const change = async (member, add) => {
    setMemberError(null);
    try {
      await api(`${ACS}/groups/${enc(group.gid)}/users/${enc(member)}`, { method: add ? 'PUT' : 'DELETE', body: add ? {} : undefined });
      if (add) setUid('');
      onChanged();
    } catch (apiError) {
      setMemberError(apiError);
    }
  };
  return html`<div class="group-panel" data-group-panel=${group.gid}>
    <h3>Members of ${group.gid}</h3>
    <ul class="members">
      ${members.map((m) => html`<li key=${m} data-member=${m}><span>${m}</span>
        <button class="small danger" aria-label=${`Remove ${m} from ${group.gid}`} onClick=${() => change(m, false)}>Remove</button></li>`)}
      ${members.length === 0 && html`<li class="muted">No member.</li>`}
    </ul>
    <form class="inline-form add-member" onSubmit=${(e) => { e.preventDefault(); if (uid) change(uid, true); }}>
      <label>Account <select name="member" value=${uid} onChange=${(e) => setUid(e.target.value)} required>
        <option value="">Choose a user or service account</option>
        ${candidates.map((c) => html`<option value=${c}>${c}</option>`)}
      </select></label>
      <button type="submit" class="primary">Add member</button>
    </form>
    <${ErrorBox} error=${memberError || accounts.error} />
    <h3>Permissions of ${group.gid}</h3>
    <${Grants} kind="groups" subject=${group.gid} />
  </div>`;
}

/** Service accounts: accounts that log in with a signed token from their RSA key instead of a password. */
export function ServiceAccounts() {
  const { data, error, reload } = useLive(() => api(`${ACS}/users`), [], { live: false });
  const [uid, setUid] = useState('');
  const [description, setDescription] = useState('');
  const [key, setKey] = useState('');
  const [addError, setAddError] = useState(null);
  const [dialog, setDialog] = useState(null);
  const [open, setOpen] = useState(null);
  const accounts = listOf(data).filter((a) => a.is_service);
  const add = async (e) => {
    e.preventDefault();
    setAddError(null);
    try {
      await api(`${ACS}/users/${enc(uid.trim())}`, { method: 'PUT', body: { description, public_key: key.trim() } });
      setUid('');
      setDescription('');
      setKey('');
      reload();
    } catch (apiError) {
      setAddError(apiError);
    }
  };
  return html`
    <section class="service-accounts">
      <h2>Service accounts</h2>
      <p class="hint">A service account logs in with a token it signs with its private key
        (<code>corral auth login --private-key</code>); only its public key is stored here.</p>
      <${ErrorBox} error=${error} />
      <table class="grid service-accounts">
        <thead><tr><th>Account</th><th>Description</th><th>Public key</th><th></th></tr></thead>
        <tbody>
          ${accounts.map((a) => html`<tr key=${a.uid} data-service-account=${a.uid}>
            <td>${a.uid}</td><td>${a.description}</td>
            <td class="mono small key" title=${a.public_key || ''}>${keySummary(a.public_key)}</td>
            <td><span class="actions">
              <button class="small" aria-expanded=${open === a.uid} aria-label=${`Permissions of ${a.uid}`}
                onClick=${() => setOpen(open === a.uid ? null : a.uid)}>Permissions</button>
              <button class="small danger" aria-label=${`Delete service account ${a.uid}`} onClick=${() => setDialog(html`<${ConfirmDialog}
                title=${`Delete ${a.uid}`} verb="Delete" text="The account and its grants are removed; its tokens stop working."
                action=${() => api(`${ACS}/users/${enc(a.uid)}`, { method: 'DELETE' })}
                onClose=${() => setDialog(null)} onDone=${() => { setDialog(null); setOpen(null); reload(); }} />`)}>Delete</button>
            </span></td>
          </tr>`)}
          ${data && accounts.length === 0 && html`<tr><td colspan="4" class="empty">No service account yet.</td></tr>`}
        </tbody>
      </table>
      ${open && html`<div class="permissions" data-permissions=${open}>
        <h3>Permissions of ${open}</h3><${Grants} kind="users" subject=${open} key=${open} /></div>`}
      <form class="add-service-account" onSubmit=${add}>
        <div class="inline-form">
          <label>Account ID <input name="sa-uid" value=${uid} onInput=${(e) => setUid(e.target.value)} required /></label>
          <label>Description <input name="sa-description" value=${description} onInput=${(e) => setDescription(e.target.value)} /></label>
        </div>
        <label class="block">Public key (PEM)
          <textarea name="public-key" class="json" rows="6" spellcheck="false" required
            placeholder="-----BEGIN PUBLIC KEY-----" value=${key} onInput=${(e) => setKey(e.target.value)}></textarea></label>
        <button type="submit" class="primary">Create service account</button>
      </form>
      <${ErrorBox} error=${addError} />
      ${dialog}
    </section>`;
}

/** The end of a PEM key's body (its start is the same for every key of a size): enough to tell keys apart. */
function keySummary(pem) {
  if (!pem) return '—';
  const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  return body.length > 24 ? `…${body.substring(body.length - 24)}` : body;
}
