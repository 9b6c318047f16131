// A terminal in a running task: xterm.js over the exec WebSocket that `corral task exec -it` uses
// (/system/v1/exec/tasks/<id>, binary frames whose first byte is the channel, see docs/exec.md). The
// session cookie goes with the WebSocket as with fetch, so the page handles no token.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { ownerOf } from './logs.js';

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const STATUS = 3;
const RESIZE = 4;
const ROWS = 24;
const FONT = 13;
const FONT_FAMILY = 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';

const encoder = new TextEncoder();

function frame(channel, text) {
  const bytes = encoder.encode(text);
  const out = new Uint8Array(bytes.length + 1);
  out[0] = channel;
  out.set(bytes, 1);
  return out;
}

/** Columns that fit the element, from the width of the terminal's font. */
function columnsFor(el) {
  const probe = document.createElement('span');
  probe.style.cssText = `font: ${FONT}px ${FONT_FAMILY}; position: absolute; visibility: hidden; white-space: pre`;
  probe.textContent = 'W'.repeat(100);
  document.body.appendChild(probe);
  const cell = probe.getBoundingClientRect().width / 100 || 8;
  probe.remove();
  return Math.max(20, Math.min(400, Math.floor((el.clientWidth - 24) / cell)));
}

export function TaskTerminal({ taskId }) {
  const box = useRef(null);
  const [command, setCommand] = useState('sh');
  const [run, setRun] = useState({ command: 'sh', attempt: 0 });
  const [state, setState] = useState('connecting');
  useEffect(() => {
    let ws = null;
    let term = null;
    let alive = true;
    let ended = false;
    let onResize = null;
    setState('connecting');
    // xterm.js ships as a UMD bundle: importing it defines window.Terminal.
    import('xterm').then(() => {
      if (!alive || !box.current) return;
      box.current.textContent = '';
      const cols = columnsFor(box.current);
      term = new window.Terminal({ cols, rows: ROWS, fontSize: FONT, fontFamily: FONT_FAMILY,
        rendererType: 'dom', screenReaderMode: true, convertEol: false, cursorBlink: true });
      term.open(box.current);
      term.focus();
      const query = new URLSearchParams();
      run.command.trim().split(/\s+/).forEach((arg) => query.append('cmd', arg));
      query.set('tty', 'true');
      query.set('stdin', 'true');
      query.set('cols', String(cols));
      query.set('rows', String(ROWS));
      query.set('term', 'xterm');
      const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
      ws = new WebSocket(`${scheme}://${location.host}/system/v1/exec/tasks/${encodeURIComponent(taskId)}?${query}`);
      ws.binaryType = 'arraybuffer';
      ws.onopen = () => setState('connected');
      ws.onmessage = (e) => {
        if (typeof e.data === 'string') return; // text messages carry nothing (docs/exec.md)
        const bytes = new Uint8Array(e.data);
        if (bytes.length === 0) return;
        if (bytes[0] === STDOUT || bytes[0] === STDERR) {
          term.write(bytes.subarray(1));
        } else if (bytes[0] === STATUS) {
          ended = true;
          const status = JSON.parse(new TextDecoder().decode(bytes.subarray(1)));
          setState(status.error !== undefined ? `error: ${status.error}` : `exited with code ${status.exitCode}`);
        }
      };
      ws.onclose = () => {
        if (!ended && alive) {
          // the browser hides why an upgrade was refused: name the usual reasons
          setState((s) => (s === 'connecting'
            ? 'refused: the task is not running, or you may not exec in it (corral:task:exec)' : 'disconnected'));
        }
      };
      term.onData((data) => ws.readyState === WebSocket.OPEN && ws.send(frame(STDIN, data)));
      onResize = () => {
        const c = columnsFor(box.current);
        if (c === term.cols) return;
        term.resize(c, ROWS);
        if (ws.readyState === WebSocket.OPEN) ws.send(frame(RESIZE, JSON.stringify({ cols: c, rows: ROWS })));
      };
      addEventListener('resize', onResize);
    }).catch((e) => alive && setState(`error: ${e.message}`));
    return () => {
      alive = false;
      if (onResize) removeEventListener('resize', onResize);
      if (ws) ws.close();
      if (term) term.dispose();
    };
  }, [taskId, run]);
  const owner = ownerOf(taskId);
  const start = (e) => { e.preventDefault(); setRun({ command, attempt: run.attempt + 1 }); };
  const live = state === 'connected' || state === 'connecting';
  return html`
    <div class="page terminal-page">
      <header class="page-head">
        <nav class="crumbs">
          ${owner ? html`<a href=${owner.link}>${owner.id}</a> / ` : ''}<span class="mono">${taskId}</span>
        </nav>
        <form class="tools" onSubmit=${start}>
          <label class="check">Command <input name="command" class="mono" value=${command}
            onInput=${(e) => setCommand(e.target.value)} /></label>
          <button type="submit">${live ? 'Restart' : 'Run again'}</button>
          <span class=${'term-state ' + state.split(/[ :]/)[0]} role="status">${state}</span>
        </form>
      </header>
      <div class="term-box" ref=${box} aria-label=${`Terminal in ${taskId}`}></div>
      <p class="hint">The command runs in the task's sandbox, on a terminal of its own; closing this page ends it.</p>
    </div>`;
}
