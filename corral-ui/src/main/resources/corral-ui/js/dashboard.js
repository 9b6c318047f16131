// Dashboard: what the services use, their health, running deployments and recent task failures.
import { useEffect, useRef } from 'preact/hooks';
import { html } from './html.js';
import { api } from './api.js';
import { useLive } from './hooks.js';
import { appStatus, healthCounts, cpus, mib, ago, links } from './format.js';
import { loadServices } from './services.js';
import { DeploymentSteps, affected } from './deployments.js';

/**
 * Resources held by running instances: each service's cpus/mem/disk × its running (and staging) instances;
 * a pod instance counts one task per container.
 */
function allocation(apps) {
  const t = { cpus: 0, mem: 0, disk: 0, gpus: 0, tasks: 0 };
  for (const a of apps) {
    const n = (a.tasksRunning || 0) + (a.tasksStaged || 0);
    t.cpus += a.cpus * n;
    t.mem += a.mem * n;
    t.disk += a.disk * n;
    t.gpus += (a.gpus || 0) * n;
    t.tasks += n * (a.pod ? a.containers : 1);
  }
  return t;
}

/** The agents' total resources. */
function capacity(agents) {
  const t = { cpus: 0, mem: 0, disk: 0, gpus: 0, agents: agents.length };
  for (const a of agents) {
    const r = a.resources || {};
    t.cpus += r.cpus || 0;
    t.mem += r.mem || 0;
    t.disk += r.disk || 0;
    t.gpus += r.gpus || 0;
  }
  return t;
}

function healthSummary(apps) {
  const s = { healthy: 0, unhealthy: 0, deploying: 0, waiting: 0, suspended: 0, running: 0 };
  for (const a of apps) {
    const status = appStatus(a);
    const h = healthCounts(a);
    if (status === 'Deploying') s.deploying++;
    else if (status === 'Waiting') s.waiting++;
    else if (status === 'Suspended') s.suspended++;
    if (h.unhealthy > 0) s.unhealthy++;
    else if (h.healthy > 0 && h.healthy === h.running && status === 'Running') s.healthy++;
    else if (status === 'Running') s.running++;
  }
  return s;
}

/** Allocated CPU and running tasks over the time this page has been open, sampled on every change. */
function History({ sample }) {
  const el = useRef(null);
  const plot = useRef(null);
  const points = useRef([[], [], []]);
  useEffect(() => {
    if (!sample) return;
    const [xs, cpuSeries, taskSeries] = points.current;
    xs.push(Date.now() / 1000);
    cpuSeries.push(sample.cpus);
    taskSeries.push(sample.tasks);
    if (xs.length > 500) points.current.forEach((s) => s.shift());
    // one sample gives uPlot no time span to scale (the axis then spans years): wait for the second
    if (xs.length < 2) return;
    // uPlot is only needed here: loaded on first use so the other pages start faster.
    import('uplot').then(({ default: UPlot }) => {
      if (!el.current) return;
      if (!plot.current) {
        plot.current = new UPlot({
          width: el.current.clientWidth || 600, height: 160,
          series: [{}, { label: 'CPU allocated', stroke: '#7b4fd6', width: 2 }, { label: 'Tasks', stroke: '#1f9d55', width: 2, scale: 'tasks' }],
          axes: [{}, { label: 'CPU' }, { side: 1, scale: 'tasks', grid: { show: false } }],
          // At least the last five minutes, so the first few samples do not stretch over years.
          scales: { x: { time: true, range: (u, min, max) => [Math.min(min, max - 300), max + 5] } },
        }, points.current, el.current);
      } else {
        plot.current.setData(points.current);
      }
    });
  }, [sample]);
  useEffect(() => () => plot.current && plot.current.destroy(), []);
  return html`<div class="chart" ref=${el}></div>`;
}

function Gauge({ label, value, unit }) {
  return html`<div class="gauge"><span class="gauge-value">${value}</span><span class="gauge-label">${label}${unit ? ` (${unit})` : ''}</span></div>`;
}

export function Dashboard() {
  const apps = useLive(loadServices);
  const deployments = useLive(() => api('/v2/deployments'));
  const agents = useLive(() => api('/master/slaves'));
  const total = capacity((agents.data && agents.data.slaves) || []);
  const list = apps.data || [];
  const used = apps.data ? allocation(list) : null;
  const health = healthSummary(list);
  const failures = list.filter((a) => a.lastTaskFailure)
    .map((a) => a.lastTaskFailure).sort((x, y) => Date.parse(y.timestamp) - Date.parse(x.timestamp)).slice(0, 10);
  return html`
    <div class="page dashboard">
      <header class="page-head"><h1>Dashboard</h1></header>
      <section class="card">
        <h2>Allocated by services</h2>
        <div class="gauges">
          <${Gauge} label="CPU" value=${used ? `${cpus(used.cpus)} of ${cpus(total.cpus)}` : '—'} />
          <${Gauge} label="Memory" value=${used ? `${mib(used.mem)} of ${mib(total.mem)}` : '—'} />
          <${Gauge} label="Disk" value=${used ? `${mib(used.disk)} of ${mib(total.disk)}` : '—'} />
          ${total.gpus > 0 && html`<${Gauge} label="GPU" value=${`${used ? used.gpus : 0} of ${total.gpus}`} />`}
          <${Gauge} label="Tasks" value=${used ? used.tasks : '—'} />
        </div>
        <p class="hint">Each service's resources × its running instances, of what ${total.agents === 1 ? 'the agent offers' : `the ${total.agents} agents offer`}.</p>
        <${History} sample=${used} />
      </section>
      <section class="card">
        <h2>Services health</h2>
        <div class="gauges health-summary">
          <a href="/ui/services"><${Gauge} label="Healthy" value=${health.healthy} /></a>
          <a href="/ui/services"><${Gauge} label="Running" value=${health.running} /></a>
          <a href="/ui/services"><${Gauge} label="Unhealthy" value=${health.unhealthy} /></a>
          <a href="/ui/deployments"><${Gauge} label="Deploying" value=${health.deploying} /></a>
          <a href="/ui/services"><${Gauge} label="Waiting" value=${health.waiting} /></a>
          <${Gauge} label="Suspended" value=${health.suspended} />
        </div>
      </section>
      <div class="two">
        <section class="card">
          <h2>Deployments</h2>
          ${(deployments.data || []).slice(0, 5).map((d) => html`<div class="dep">
            <strong>${affected(d).map((a) => a.id).join(', ')}</strong> <span class="muted">step ${d.currentStep}/${d.totalSteps}, ${ago(d.startedAt || d.version)}</span>
            <${DeploymentSteps} d=${d} /></div>`)}
          ${deployments.data && deployments.data.length === 0 && html`<p class="muted">No deployment is running.</p>`}
        </section>
        <section class="card">
          <h2>Failing tasks</h2>
          <table class="grid compact">
            <tbody>${failures.map((f) => html`<tr>
              <td><a href=${links.app(f.appId, 'debug')}>${f.appId}</a></td><td>${f.state}</td>
              <td class="failure-message">${f.message}</td><td>${ago(f.timestamp)}</td></tr>`)}</tbody>
          </table>
          ${apps.data && failures.length === 0 && html`<p class="muted">No task has failed.</p>`}
        </section>
      </div>
    </div>`;
}
