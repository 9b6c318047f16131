// CPU and memory of a service's tasks over the time the page is open, from the container metrics the
// gateway forwards to each task's agent (/system/v1/metrics/v0/containers/<task id>, dcos-metrics JSON).
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';

const POLL_MS = 3000;
const KEEP = 200; // samples per chart: ten minutes at one every three seconds
const COLORS = ['#7b4fd6', '#1f9d55', '#3b82f6', '#d98c1c', '#d93c3c', '#0f9fb0', '#8a5a2b', '#6b7280'];

/** The named datapoints of a dcos-metrics answer, and the time they were sampled (seconds). */
function datapoints(body) {
  const values = {};
  let time = 0;
  for (const d of (body && body.datapoints) || []) {
    values[d.name] = d.value;
    if (d.timestamp) time = Math.max(time, Date.parse(d.timestamp) / 1000);
  }
  return { values, time };
}

/** Cumulative CPU seconds: the total when the kernel reports it, else user + system. */
function cpuSeconds(v) {
  if (v['cpus.total.time'] !== undefined) return v['cpus.total.time'];
  if (v['cpus.user.time'] !== undefined || v['cpus.system.time'] !== undefined) {
    return (v['cpus.user.time'] || 0) + (v['cpus.system.time'] || 0);
  }
  return undefined;
}

/**
 * Polls every task's container metrics while mounted: tasks is [{id, label}]. CPU is the cores used between
 * two samples (the difference of cumulative CPU seconds over the difference of their timestamps); memory
 * is `mem.total`, the memory in use.
 */
export function TaskMetrics({ tasks }) {
  const key = tasks.map((t) => t.id).join(' ');
  const history = useRef({ xs: [], cpu: new Map(), mem: new Map(), last: new Map() });
  const [tick, setTick] = useState(0);
  const [note, setNote] = useState(null);
  useEffect(() => {
    let alive = true;
    const poll = async () => {
      const h = history.current;
      const answers = await Promise.allSettled(tasks.map((t) => api(`/system/v1/metrics/v0/containers/${encodeURIComponent(t.id)}`)));
      if (!alive) return;
      let any = false;
      const x = Date.now() / 1000;
      h.xs.push(x);
      tasks.forEach((t, k) => {
        if (!h.cpu.has(t.id)) { h.cpu.set(t.id, new Array(h.xs.length - 1).fill(null)); h.mem.set(t.id, new Array(h.xs.length - 1).fill(null)); }
        let cpu = null;
        let mem = null;
        if (answers[k].status === 'fulfilled') {
          const { values, time } = datapoints(answers[k].value);
          const seconds = cpuSeconds(values);
          const prev = h.last.get(t.id);
          if (seconds !== undefined && prev && time > prev.time) cpu = Math.max(0, (seconds - prev.seconds) / (time - prev.time));
          if (seconds !== undefined && (!prev || time > prev.time)) h.last.set(t.id, { seconds, time });
          if (values['mem.total'] !== undefined) mem = values['mem.total'] / (1024 * 1024);
          if (seconds !== undefined || mem !== null) any = true;
        }
        h.cpu.get(t.id).push(cpu);
        h.mem.get(t.id).push(mem);
      });
      // tasks no longer listed keep their line, with gaps from now on
      for (const [id, series] of h.cpu) {
        if (series.length < h.xs.length) { series.push(null); h.mem.get(id).push(null); }
      }
      if (h.xs.length > KEEP) {
        h.xs.shift();
        for (const s of [...h.cpu.values(), ...h.mem.values()]) s.shift();
      }
      const failed = answers.find((a) => a.status === 'rejected');
      setNote(any || tasks.length === 0 ? null
        : failed ? `No metrics: ${failed.reason.message}` : 'No container metrics: the agent runs these tasks without cgroups.');
      setTick((n) => n + 1);
    };
    poll();
    const timer = setInterval(poll, POLL_MS);
    return () => { alive = false; clearInterval(timer); };
  }, [key]);
  const h = history.current;
  const ids = [...h.cpu.keys()];
  const label = (id) => (tasks.find((t) => t.id === id) || { label: id }).label;
  const cpuData = [h.xs, ...ids.map((id) => h.cpu.get(id))];
  const memData = [h.xs, ...ids.map((id) => h.mem.get(id))];
  return html`
    <section class="card metrics" aria-label="Metrics">
      <h2>Metrics</h2>
      <p class="hint">Each task's container, sampled every ${POLL_MS / 1000} s while this page is open.</p>
      ${note && html`<p class="muted metrics-note">${note}</p>`}
      <div class="two">
        <${TimeChart} title="CPU (cores)" name="cpu" data=${cpuData} labels=${ids.map(label)} tick=${tick}
          format=${(v) => (v == null ? '—' : v.toFixed(3))} />
        <${TimeChart} title="Memory (MiB)" name="memory" data=${memData} labels=${ids.map(label)} tick=${tick}
          format=${(v) => (v == null ? '—' : v.toFixed(1))} />
      </div>
    </section>`;
}

/** A uPlot line chart over time, one series per label; redrawn on every tick. */
function TimeChart({ title, name, data, labels, tick, format }) {
  const el = useRef(null);
  const plot = useRef(null);
  const shape = labels.join('\n');
  const points = data[0].length;
  // polls that brought a value for some task (a CPU rate needs two)
  const samples = data[0].filter((x, i) => data.slice(1).some((s) => s[i] != null)).length;
  useEffect(() => {
    // one sample gives uPlot no time span to scale: wait for the second, as the dashboard does
    if (points < 2) return;
    import('uplot').then(({ default: UPlot }) => {
      if (!el.current) return;
      if (plot.current && plot.current.corralShape !== shape) { plot.current.destroy(); plot.current = null; }
      if (!plot.current) {
        plot.current = new UPlot({
          width: el.current.clientWidth || 500, height: 180,
          series: [{}, ...labels.map((l, k) => ({ label: l, stroke: COLORS[k % COLORS.length], width: 2, value: (u, v) => format(v) }))],
          // three significant digits: uPlot's fixed decimals repeat labels on small CPU scales
          axes: [{}, { size: 60, values: (u, vals) => vals.map((v) => String(+v.toPrecision(3))) }],
          // at least a minute wide from the first sample, so the lines grow from the left
          scales: { x: { time: true, range: (u, min, max) => [min, Math.max(max, min + 60)] }, y: { range: (u, min, max) => [0, Math.max(max * 1.2, 0.001)] } },
        }, data, el.current);
        plot.current.corralShape = shape;
      } else {
        plot.current.setData(data);
      }
    });
  }, [tick, shape]);
  useEffect(() => {
    const resize = () => plot.current && el.current && plot.current.setSize({ width: el.current.clientWidth, height: 180 });
    addEventListener('resize', resize);
    return () => { removeEventListener('resize', resize); if (plot.current) plot.current.destroy(); };
  }, []);
  return html`<figure class="metric-chart" data-chart=${name} data-samples=${samples}>
    <figcaption>${title}</figcaption>
    ${points < 2 && html`<p class="muted small">Collecting samples…</p>`}
    <div class="chart" ref=${el} role="img" aria-label=${`${title} of ${labels.length} task${labels.length === 1 ? '' : 's'} over time`}></div>
  </figure>`;
}
