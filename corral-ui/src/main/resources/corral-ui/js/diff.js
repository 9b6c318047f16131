// What changed between two versions of a definition: a line diff of their pretty-printed JSON (the older
// one's fields in the newer one's order), with added and removed lines marked and long unchanged stretches folded. Shared by the app and pod Versions tabs.
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { editable, ErrorBox } from './dialogs.js';

/**
 * The lines of a and b as [{op: '=', '-', '+', text, a, b}] (a and b the 1-based line numbers where the line
 * stands), from a longest common subsequence: definitions are a few hundred lines at most, so the plain
 * O(n·m) table is fast enough, and common head and tail lines are trimmed first.
 */
export function diffLines(a, b) {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const n = endA - start;
  const m = endB - start;
  // lcs[i][j]: the longest common subsequence of a[start+i..endA) and b[start+j..endB)
  const lcs = new Uint32Array((n + 1) * (m + 1));
  const at = (i, j) => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[at(i, j)] = a[start + i] === b[start + j] ? lcs[at(i + 1, j + 1)] + 1
        : Math.max(lcs[at(i + 1, j)], lcs[at(i, j + 1)]);
    }
  }
  const out = [];
  for (let k = 0; k < start; k++) out.push({ op: '=', text: a[k], a: k + 1, b: k + 1 });
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[start + i] === b[start + j]) {
      out.push({ op: '=', text: a[start + i], a: start + i + 1, b: start + j + 1 });
      i++; j++;
    } else if (j < m && (i === n || lcs[at(i, j + 1)] >= lcs[at(i + 1, j)])) {
      out.push({ op: '+', text: b[start + j], b: start + j + 1 });
      j++;
    } else {
      out.push({ op: '-', text: a[start + i], a: start + i + 1 });
      i++;
    }
  }
  for (let k = 0; k < a.length - endA; k++) {
    out.push({ op: '=', text: a[endA + k], a: endA + k + 1, b: endB + k + 1 });
  }
  // removed lines before added ones within each change, as diff tools show them
  for (let s = 0; s < out.length;) {
    if (out[s].op === '=') { s++; continue; }
    let e = s;
    while (e < out.length && out[e].op !== '=') e++;
    const run = out.slice(s, e);
    out.splice(s, e - s, ...run.filter((l) => l.op === '-'), ...run.filter((l) => l.op === '+'));
    s = e;
  }
  return out;
}

/** Splits a diff into shown lines and folds of unchanged lines farther than `context` from a change. */
export function foldUnchanged(lines, context = 3) {
  const near = new Array(lines.length).fill(false);
  lines.forEach((l, k) => {
    if (l.op === '=') return;
    for (let d = Math.max(0, k - context); d <= Math.min(lines.length - 1, k + context); d++) near[d] = true;
  });
  const parts = [];
  for (let k = 0; k < lines.length;) {
    if (near[k]) { parts.push(lines[k]); k++; continue; }
    let e = k;
    while (e < lines.length && !near[e]) e++;
    parts.push({ fold: lines.slice(k, e) });
    k = e;
  }
  return parts;
}

const pretty = (definition) => JSON.stringify(definition, null, 2).split('\n');

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * a with its keys in b's order (keys b lacks last), at every depth: stored versions may list the same
 * fields in another order, which is no change.
 */
export function alignKeys(a, b) {
  if (Array.isArray(a) && Array.isArray(b)) return a.map((v, k) => (k < b.length ? alignKeys(v, b[k]) : v));
  if (!isObject(a) || !isObject(b)) return a;
  const out = {};
  Object.keys(b).filter((k) => k in a).forEach((k) => { out[k] = alignKeys(a[k], b[k]); });
  Object.keys(a).filter((k) => !(k in b)).forEach((k) => { out[k] = a[k]; });
  return out;
}

/** The newest first: version ids are ISO-8601 timestamps of one format, so they sort as strings. */
const newestFirst = (versions) => [...versions].sort().reverse();

/**
 * Two version pickers (by default the previous and the current version) and the diff between them.
 * load(version) answers that version's definition.
 */
export function VersionDiff({ versions, current, load }) {
  const sorted = newestFirst(versions);
  const [to, setTo] = useState(null);
  const [from, setFrom] = useState(null);
  const toVersion = to || current || sorted[0];
  const fromVersion = from || sorted.find((v) => v < toVersion) || toVersion;
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    if (!toVersion || !fromVersion) return undefined;
    let alive = true;
    Promise.all([load(fromVersion), load(toVersion)]).then(([a, b]) => {
      const older = editable(a);
      const newer = editable(b);
      const lines = diffLines(pretty(alignKeys(older, newer)), pretty(newer));
      if (alive) { setResult({ from: fromVersion, to: toVersion, lines }); setError(null); }
    }, (e) => alive && setError(e));
    return () => { alive = false; };
  }, [fromVersion, toVersion]);
  if (sorted.length < 2) return html`<p class="muted">Only one version so far: nothing to compare.</p>`;
  const option = (v) => html`<option value=${v}>${v}${v === current ? ' (current)' : ''}</option>`;
  const shown = result && result.from === fromVersion && result.to === toVersion ? result : null;
  const added = shown ? shown.lines.filter((l) => l.op === '+').length : 0;
  const removed = shown ? shown.lines.filter((l) => l.op === '-').length : 0;
  return html`
    <section class="version-diff">
      <h3>Compare versions</h3>
      <div class="inline-form">
        <label>From (older)<select name="diff-from" value=${fromVersion} onChange=${(e) => setFrom(e.target.value)}>
          ${sorted.map(option)}</select></label>
        <label>To (newer)<select name="diff-to" value=${toVersion} onChange=${(e) => setTo(e.target.value)}>
          ${sorted.map(option)}</select></label>
        <span class="diff-summary" aria-live="polite">${shown && (added + removed === 0 ? 'No difference.'
          : html`<span class="diff-count add">${added} added</span>, <span class="diff-count del">${removed} removed</span>`)}</span>
      </div>
      <${ErrorBox} error=${error} />
      ${shown && added + removed > 0 && html`<${DiffView} lines=${shown.lines} key=${fromVersion + toVersion}
        label=${`Changes from ${fromVersion} to ${toVersion}`} />`}
    </section>`;
}

function DiffView({ lines, label }) {
  const [open, setOpen] = useState(() => new Set());
  const parts = foldUnchanged(lines);
  const row = (l) => html`<div class=${'diff-line ' + (l.op === '+' ? 'add' : l.op === '-' ? 'del' : 'same')}>
    <span class="diff-no" aria-hidden="true">${l.a || ''}</span><span class="diff-no" aria-hidden="true">${l.b || ''}</span>
    <span class="diff-sign" aria-hidden="true">${l.op === '=' ? ' ' : l.op}</span>${l.op === '+'
      ? html`<span class="visually-hidden">added: </span>` : l.op === '-' ? html`<span class="visually-hidden">removed: </span>` : ''}<code>${l.text}</code>
  </div>`;
  return html`<div class="diff" role="region" aria-label=${label}>
    ${parts.map((p, k) => {
      if (!p.fold) return row(p);
      if (open.has(k)) return p.fold.map(row);
      return html`<button type="button" class="diff-fold" onClick=${() => setOpen(new Set(open).add(k))}>
        ${p.fold.length} unchanged line${p.fold.length === 1 ? '' : 's'}</button>`;
    })}
  </div>`;
}
