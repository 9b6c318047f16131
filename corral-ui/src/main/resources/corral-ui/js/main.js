// The application shell: navigation, history routing under /ui/, and the page for the current address.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { onStreamStatus, authStatus, logout } from './api.js';
import { Login } from './login.js';
import './router.js';
import { Dashboard } from './dashboard.js';
import { Services } from './services.js';
import { ServiceDetail } from './detail.js';
import { PodDetail } from './pod.js';
import { TaskLogs } from './logs.js';
import { TaskTerminal } from './terminal.js';
import { Deployments } from './deployments.js';
import { Catalog, PackagePage } from './catalog.js';
import { Nodes } from './nodes.js';
import { Jobs, JobPage } from './jobs.js';
import { Settings } from './settings.js';

/** The page for a path under /ui/, and which navigation entry it belongs to. */
function route(path, auth) {
  const p = path.replace(/^\/ui\/?/, '').split('/').filter((s) => s !== '');
  const [first, second, third, fourth] = p;
  if (first === 'services' && second === 'detail' && third) {
    return { nav: 'services', page: html`<${ServiceDetail} id=${decodeURIComponent(third)} tab=${fourth || 'tasks'} />` };
  }
  if (first === 'services' && second === 'pod' && third) {
    return { nav: 'services', page: html`<${PodDetail} id=${decodeURIComponent(third)} tab=${fourth || 'instances'} />` };
  }
  if (first === 'services') {
    return { nav: 'services', page: html`<${Services} group=${'/' + p.slice(1).join('/')} />` };
  }
  if (first === 'logs' && second) {
    return { nav: 'services', page: html`<${TaskLogs} taskId=${decodeURIComponent(second)} file=${third || 'stdout'} />` };
  }
  if (first === 'exec' && second) {
    return { nav: 'services', page: html`<${TaskTerminal} taskId=${decodeURIComponent(second)} />` };
  }
  if (first === 'deployments') return { nav: 'deployments', page: html`<${Deployments} />` };
  if (first === 'catalog' && second) return { nav: 'catalog', page: html`<${PackagePage} name=${decodeURIComponent(second)} />` };
  if (first === 'catalog') return { nav: 'catalog', page: html`<${Catalog} />` };
  if (first === 'jobs' && second) return { nav: 'jobs', page: html`<${JobPage} id=${decodeURIComponent(second)} />` };
  if (first === 'jobs') return { nav: 'jobs', page: html`<${Jobs} />` };
  if (first === 'settings') return { nav: 'settings', page: html`<${Settings} auth=${auth} tab=${second || 'repositories'} />` };
  if (first === 'nodes') return { nav: 'nodes', page: html`<${Nodes} />` };
  if (!first || first === 'dashboard') return { nav: 'dashboard', page: html`<${Dashboard} />` };
  return { nav: '', page: html`<div class="page"><h1>Not found</h1><p>No page at ${path}.</p></div>` };
}

const NAV = [
  ['dashboard', 'Dashboard', '/ui/'],
  ['services', 'Services', '/ui/services'],
  ['deployments', 'Deployments', '/ui/deployments'],
  ['jobs', 'Jobs', '/ui/jobs'],
  ['nodes', 'Nodes', '/ui/nodes'],
  ['catalog', 'Catalog', '/ui/catalog'],
  ['settings', 'Settings', '/ui/settings'],
];

function LiveBadge() {
  const [live, setLive] = useState(false);
  useEffect(() => onStreamStatus(setLive), []);
  return html`<span class=${'live ' + (live ? 'on' : 'off')} title="Updates arrive through /v2/events">
    ${live ? 'Live' : 'Reconnecting…'}</span>`;
}

/** Who is logged in, or that authentication is off (then a banner says so). */
function Account({ auth }) {
  if (!auth.authentication) {
    return html`<div class="auth-state off" role="status">Authentication is off</div>`;
  }
  const out = async () => {
    try { await logout(); } catch (e) { /* the cookie is gone either way */ }
    location.reload();
  };
  return html`<div class="auth-state">
    <span class="uid" title="Logged in">${auth.uid}</span>
    <button class="small" type="button" onClick=${out}>Log out</button></div>`;
}

function Root() {
  const [auth, setAuth] = useState(null);
  const refresh = () => authStatus().then(setAuth).catch(() => setAuth({ authentication: true, uid: null }));
  useEffect(() => {
    refresh();
    const onUnauthorized = () => setAuth((a) => (a && a.authentication ? { ...a, uid: null } : a));
    addEventListener('corral-unauthorized', onUnauthorized);
    return () => removeEventListener('corral-unauthorized', onUnauthorized);
  }, []);
  if (!auth) return null;
  if (auth.authentication && !auth.uid) return html`<${Login} onDone=${refresh} />`;
  return html`<${App} auth=${auth} />`;
}

function App({ auth }) {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const onPop = () => { setPath(location.pathname); window.scrollTo(0, 0); };
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  const { nav, page } = route(path, auth);
  return html`
    <div class="shell">
      <aside class="sidebar">
        <a class="brand" href="/ui/"><img src="/ui/favicon.svg" alt="" /> Corral</a>
        <nav>
          ${NAV.map(([key, label, href]) => html`
            <a href=${href} class=${key === nav ? 'active' : ''} data-nav=${key}>${label}</a>`)}
        </nav>
        <div class="sidebar-foot"><${Account} auth=${auth} /><${LiveBadge} /></div>
      </aside>
      <main key=${path}>
        ${!auth.authentication && html`<div class="banner warn" role="alert">Authentication is off on this cluster
          (started with --no-auth): anyone who can reach it may change anything.</div>`}
        ${page}</main>
    </div>`;
}

render(html`<${Root} />`, document.getElementById('app'));
