// A task's stdout or stderr, followed live through the gateway (/system/v1/logs/…?follow=true, an event stream).
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { eventSource } from './api.js';
import { links } from './format.js';

const TAIL_LINES = 200;
const KEEP_LINES = 5000; // the page keeps the newest lines only, so a chatty task cannot exhaust the browser

export function TaskLogs({ taskId, file }) {
  const [lines, setLines] = useState([]);
  const [state, setState] = useState('connecting');
  const [attempt, setAttempt] = useState(0);
  const [follow, setFollow] = useState(true);
  const box = useRef(null);
  useEffect(() => {
    setLines([]);
    setState('connecting');
    const url = `/system/v1/logs/tasks/${encodeURIComponent(taskId)}/${file}?lines=${TAIL_LINES}&follow=true`;
    const source = eventSource(url);
    let pending = [];
    let frame = 0;
    // Lines arrive one event each; render at most once per animation frame.
    const flush = () => {
      frame = 0;
      const add = pending;
      pending = [];
      setLines((old) => old.concat(add).slice(-KEEP_LINES));
    };
    source.addEventListener('meta', () => setState('following'));
    source.onmessage = (e) => {
      pending.push(e.data);
      if (!frame) frame = requestAnimationFrame(flush);
    };
    source.addEventListener('eof', () => { setState('ended'); source.close(); });
    // The browser would reconnect on its own and replay the tail twice: stop, and offer a reconnect instead.
    source.onerror = () => { setState((s) => (s === 'ended' ? s : 'disconnected')); source.close(); };
    return () => { source.close(); if (frame) cancelAnimationFrame(frame); };
  }, [taskId, file, attempt]);
  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines, follow]);
  const owner = ownerOf(taskId);
  return html`
    <div class="page logs-page">
      <header class="page-head">
        <nav class="crumbs">
          ${owner ? html`<a href=${owner.link}>${owner.id}</a> / ` : ''}<span class="mono">${taskId}</span>
        </nav>
        <div class="tools">
          <nav class="tabs inline">
            <a href=${links.logs(taskId, 'stdout')} class=${file === 'stdout' ? 'active' : ''}>stdout</a>
            <a href=${links.logs(taskId, 'stderr')} class=${file === 'stderr' ? 'active' : ''}>stderr</a>
          </nav>
          <label class="check"><input type="checkbox" checked=${follow} onChange=${(e) => setFollow(e.target.checked)} /> Follow</label>
          <span class=${'log-state ' + state}>${state === 'ended' ? 'task ended' : state}</span>
          ${state === 'disconnected' && html`<button onClick=${() => setAttempt(attempt + 1)}>Reconnect</button>`}
        </div>
      </header>
      <pre class="log" ref=${box}>${lines.map((l) => html`<div class="line">${l}</div>`)}</pre>
    </div>`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The service a task belongs to, for the way back. App tasks are "<app id, _ for />.<uuid>"; a pod's
 * container tasks are "<pod id, _ for />.<uuid>.<container name>".
 */
export function ownerOf(taskId) {
  const parts = taskId.split('.');
  const idOf = (segments) => '/' + segments.join('.').replace(/_/g, '/');
  if (parts.length >= 3 && UUID.test(parts[parts.length - 2])) {
    const id = idOf(parts.slice(0, -2));
    return { id, link: links.pod(id) };
  }
  if (parts.length >= 2) {
    const id = idOf(parts.slice(0, -1));
    return { id, link: links.app(id) };
  }
  return null;
}
