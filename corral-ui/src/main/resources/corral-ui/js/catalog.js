// Catalog: packages of the configured repositories, a package page with an install form generated from
// the package's config.json schema, and the installed packages with Uninstall.
import { useState } from 'preact/hooks';
import { html } from './html.js';
import { cosmos } from './api.js';
import { useLive } from './hooks.js';
import { links } from './format.js';
import { ConfirmDialog, ErrorBox } from './dialogs.js';

const icon = (images, size = 'icon-medium') => images && (images[size] || images['icon-small'] || images['icon-medium']);

export function Catalog() {
  const [query, setQuery] = useState('');
  const search = useLive(() => cosmos('search', { query }), [query], { live: false });
  const packages = (search.data && search.data.packages) || [];
  return html`
    <div class="page">
      <header class="page-head"><h1>Catalog</h1>
        <div class="tools"><input type="search" name="query" placeholder="Search packages" value=${query}
          onInput=${(e) => setQuery(e.target.value)} /></div>
      </header>
      <${ErrorBox} error=${search.error} />
      <div class="tiles">
        ${packages.map((p) => html`<a class="tile" href=${links.pkg(p.name)} key=${p.name} data-package=${p.name}>
          ${icon(p.images) ? html`<img class="pkg-icon" src=${icon(p.images)} alt=${p.name + ' icon'} />` : html`<span class="pkg-icon blank"></span>`}
          <span class="tile-name">${p.name}</span>
          <span class="tile-version">${p.currentVersion}</span>
          <span class="tile-description">${p.description}</span>
        </a>`)}
      </div>
      ${search.data && packages.length === 0 && html`<p class="empty">No package matches.</p>`}
      <${Installed} />
    </div>`;
}

function Installed({ only }) {
  const { data, error, reload } = useLive(() => cosmos('list', only ? { packageName: only } : {}), [only]);
  const [dialog, setDialog] = useState(null);
  const installed = (data && data.packages) || [];
  return html`
    <section class="installed">
      <h2>Installed</h2>
      <${ErrorBox} error=${error} />
      <table class="grid">
        <thead><tr><th>Service</th><th>Package</th><th>Version</th><th></th></tr></thead>
        <tbody>
          ${installed.map((i) => {
            const def = i.packageInformation.packageDefinition;
            return html`<tr key=${i.appId} data-installed=${i.appId}>
              <td><a href=${links.group(i.appId)}>${i.appId}</a></td><td>${def.name}</td><td>${def.version}</td>
              <td><button class="small danger" onClick=${() => setDialog(html`<${ConfirmDialog}
                title=${`Uninstall ${def.name}`} verb="Uninstall"
                text=${`Removes ${i.appId} and every service it runs.`}
                action=${() => cosmos('uninstall', { packageName: def.name, appId: i.appId })}
                onClose=${() => setDialog(null)} onDone=${() => { setDialog(null); reload(); }} />`)}>Uninstall</button></td>
            </tr>`;
          })}
          ${data && installed.length === 0 && html`<tr><td colspan="4" class="empty">No package is installed.</td></tr>`}
        </tbody>
      </table>
      ${dialog}
    </section>`;
}

export function PackagePage({ name }) {
  const { data, error } = useLive(() => cosmos('describe', { packageName: name }), [name], { live: false });
  const pkg = data && data.package;
  return html`
    <div class="page">
      <header class="page-head"><nav class="crumbs"><a href="/ui/catalog">Catalog</a> / <strong>${name}</strong></nav></header>
      <${ErrorBox} error=${error} />
      ${pkg && html`
        <div class="package-head">
          ${icon(pkg.resource && pkg.resource.images, 'icon-large') && html`<img class="pkg-icon large" src=${icon(pkg.resource.images, 'icon-large')} alt="" />`}
          <div><h1>${pkg.name} <span class="muted">${pkg.version}</span></h1>
            <p class="description">${pkg.description}</p>
            ${pkg.maintainer && html`<p class="muted">Maintainer: ${pkg.maintainer}</p>`}
            ${pkg.preInstallNotes && html`<p class="notice">${pkg.preInstallNotes}</p>`}</div>
        </div>
        <${InstallForm} pkg=${pkg} key=${pkg.name + pkg.version} />
        <${Installed} only=${pkg.name} />`}
    </div>`;
}

/** The schema's defaults as an options object (what the form starts from). */
function defaults(schema) {
  if (!schema) return {};
  if (schema.type === 'object' && schema.properties) {
    const out = {};
    for (const [k, s] of Object.entries(schema.properties)) {
      const v = defaults(s);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  return schema.default;
}

function setIn(obj, path, value) {
  const copy = { ...obj };
  if (path.length === 1) {
    if (value === undefined) delete copy[path[0]];
    else copy[path[0]] = value;
    return copy;
  }
  copy[path[0]] = setIn(obj[path[0]] || {}, path.slice(1), value);
  return copy;
}

/** One schema property as a form control; objects with properties nest as fieldsets. */
function Field({ name, schema, value, path, onChange, required }) {
  const id = 'opt-' + path.join('.');
  if (schema.type === 'object' && schema.properties) {
    return html`<fieldset><legend>${name}</legend>
      ${schema.description && html`<p class="hint">${schema.description}</p>`}
      ${Object.entries(schema.properties).map(([k, s]) => html`<${Field} name=${k} schema=${s} key=${k}
        value=${(value || {})[k]} path=${[...path, k]} onChange=${onChange} required=${(schema.required || []).includes(k)} />`)}
    </fieldset>`;
  }
  let control;
  if (schema.type === 'boolean') {
    control = html`<input id=${id} name=${id} type="checkbox" checked=${!!value} onChange=${(e) => onChange(path, e.target.checked)} />`;
  } else if (schema.enum) {
    control = html`<select id=${id} name=${id} value=${value} onChange=${(e) => onChange(path, e.target.value)}>
      ${schema.enum.map((v) => html`<option value=${v}>${v}</option>`)}</select>`;
  } else if (schema.type === 'integer' || schema.type === 'number') {
    control = html`<input id=${id} name=${id} type="number" step=${schema.type === 'integer' ? 1 : 'any'}
      value=${value ?? ''} onInput=${(e) => onChange(path, e.target.value === '' ? undefined : Number(e.target.value))} />`;
  } else if (schema.type === 'array' || schema.type === 'object') {
    control = html`<textarea id=${id} name=${id} class="json" rows="3" value=${value === undefined ? '' : JSON.stringify(value)}
      onChange=${(e) => { try { onChange(path, e.target.value ? JSON.parse(e.target.value) : undefined); } catch (err) { onChange(path, e.target.value); } }}></textarea>`;
  } else {
    control = html`<input id=${id} name=${id} type="text" value=${value ?? ''}
      onInput=${(e) => onChange(path, e.target.value === '' ? undefined : e.target.value)} />`;
  }
  return html`<div class="field">
    <label for=${id}>${name}${required ? ' *' : ''}</label>${control}
    ${schema.description && html`<span class="hint">${schema.description}</span>`}
  </div>`;
}

function InstallForm({ pkg }) {
  const schema = pkg.config;
  const [options, setOptions] = useState(() => defaults(schema) || {});
  const [error, setError] = useState(null);
  const [result, setResult] = useState(null);
  const [busy, setBusy] = useState(false);
  const install = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setResult(await cosmos('install', { packageName: pkg.name, packageVersion: pkg.version, options }));
    } catch (apiError) {
      setError(apiError);
    } finally {
      setBusy(false);
    }
  };
  return html`
    <form class="install" onSubmit=${install}>
      <h2>Install</h2>
      ${schema && schema.properties ? Object.entries(schema.properties).map(([k, s]) => html`<${Field} name=${k}
        schema=${s} key=${k} value=${options[k]} path=${[k]} required=${(schema.required || []).includes(k)}
        onChange=${(path, v) => setOptions((o) => setIn(o, path, v))} />`) : html`<p class="muted">This package has no options.</p>`}
      <${ErrorBox} error=${error} />
      ${result && html`<div class="success" role="status">Installed ${result.packageName} ${result.packageVersion} as
        <a href=${links.group(result.appId)}>${result.appId}</a>.
        ${result.postInstallNotes && html`<p>${result.postInstallNotes}</p>`}</div>`}
      <footer><button type="submit" class="primary" disabled=${busy}>Install</button></footer>
    </form>`;
}
