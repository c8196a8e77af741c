// Wires the page together: the form creates jobs, LiveJobs keeps their data current, and the list, chart,
// decision boundary and graph show the selected job (plus any compared ones, and the open sweep's, on the chart).
import { api, getJson, postJson, download } from './api.js';
import { isTerminal, shortId } from './format.js';
import { TrainForm } from './form.js';
import { LiveJobs } from './live.js';
import { LossChart, PALETTE } from './chart.js';
import { JobList } from './jobs.js';
import { JobGraph } from './jobgraph.js';
import { ChainRule } from './chainrule.js';
import { DecisionBoundary } from './boundary.js';
import { Explanations } from './explain.js';
import { GradientFlow } from './gradflow.js';
import { jobMeta, saveJobMeta, datasetOf, networkName, formOf } from './meta.js';
import { RunsTable } from './runs.js';
import { historyCsv, saveCsv } from './historycsv.js';
import { SweepForm } from './sweepform.js';
import { SweepView } from './sweeps.js';
import { epochSeconds } from './walltime.js';
import { runLabels } from './runlabels.js';
import { rate as rateAt, isConstant } from './lrschedule.js';

const $ = selector => document.querySelector(selector);
const state = { selected: null, compared: new Set(), colors: new Map(), order: [] };

const colorOf = id => {
  if (!state.colors.has(id)) state.colors.set(id, PALETTE[state.colors.size % PALETTE.length]);
  return state.colors.get(id);
};
// The run's name as the API has it (the network's name unless renamed); older services send none.
const labelOf = job => job.name || jobMeta(job.id)?.label || networkName(job, () => { list.invalidate(); showChart(); showSelected(); }) || 'job';

const chart = new LossChart($('#loss-chart'), { rateNote: $('#rate-note') });
chart.setLog($('#log-scale').checked);
chart.setShowRate($('#show-rate').checked);
const graph = new JobGraph($('#graph-card'));
const boundary = new DecisionBoundary($('#boundary-card'));
const explanations = new Explanations($('#explain-card'), boundary);
const gradflow = new GradientFlow($('#gradflow-card'));
new ChainRule($('#chain-card'));

const live = new LiveJobs({
  onJob: t => {
    list.invalidate();
    runs.update(t.job);
    if (t.id === state.selected) showSelected();
  },
  onPoints: t => {
    if (t.id === state.selected || state.compared.has(t.id) || sweeps.overlays(t.id)) chart.invalidate();
  },
  onConnection: s => {
    const pill = $('#connection');
    pill.dataset.state = s;
    if (s === 'live') sweeps.connected();
    pill.textContent = { live: 'live', connecting: 'connecting…', reconnecting: 'reconnecting…', offline: 'offline · polling' }[s] || s;
  },
});

// The protocol is fixed for the page's life: shown on the connection pill's tooltip, and read by the browser tests.
$('#connection').dataset.protocol = live.protocol;
$('#connection').title = `hub protocol: ${live.protocol}`;

const list = new JobList($('#job-list'), {
  onSelect: id => select(id),
  onCompare: (id, on) => { if (on) { state.compared.add(id); live.want(id); } else state.compared.delete(id); showChart(); list.invalidate(); runs.render(); },
  onCancel: async id => {
    try {
      live.receiveJob(await postJson(`/api/jobs/${encodeURIComponent(id)}/cancel`));
    } catch (e) {
      $('#jobs-error').textContent = `Cancel: ${e.message}`; // e.g. 409: the job finished meanwhile
      setTimeout(() => { $('#jobs-error').textContent = ''; }, 6000);
    }
  },
  onDownload: async id => {
    try {
      await download(`/api/jobs/${encodeURIComponent(id)}/model.onnx`, `${labelOf(live.tracks.get(id).job)}.onnx`);
    } catch (e) {
      $('#jobs-error').textContent = `Download ONNX: ${e.message}`; // e.g. 422: a graph op without an ONNX equivalent
      setTimeout(() => { $('#jobs-error').textContent = ''; }, 6000);
    }
  },
  onDelete: async id => {
    if (!confirm(`Delete job ${labelOf(live.tracks.get(id).job)} #${shortId(id)} with its history and weights?`)) return;
    try {
      await api('DELETE', `/api/jobs/${encodeURIComponent(id)}`);
    } catch (e) {
      if (e.status !== 404) { // 404: already gone, forget it all the same
        $('#jobs-error').textContent = `Delete: ${e.message}`;
        setTimeout(() => { $('#jobs-error').textContent = ''; }, 6000);
        return;
      }
    }
    forget(id);
  },
});

const runs = new RunsTable($('#runs-card'), {
  onSelect: job => { addJob(job); select(job.id); },
  onClone: async job => {
    trainForm.restore(await formOf(job));
    $('#train-card').scrollIntoView({ behavior: 'smooth', block: 'start' });
    $('#train-form [name=epochs]').focus({ preventScroll: true });
  },
  onCompare: (job, on) => {
    live.track(job);
    if (on && job.id !== state.selected) { state.compared.add(job.id); live.want(job.id); } else state.compared.delete(job.id);
    showChart();
    list.invalidate();
  },
  isCompared: id => state.compared.has(id),
  onDeleted: id => forget(id),
  onPatched: job => { if (live.tracks.has(job.id)) live.receiveJob(job); },
  networkName: job => networkName(job, () => runs.render()),
});

function forget(id) {
  state.order = state.order.filter(o => o !== id);
  state.compared.delete(id);
  live.tracks.delete(id);
  if (state.selected === id) {
    state.selected = null;
    history.replaceState(null, '', location.pathname);
    showSelected();
  }
  showChart();
  list.invalidate();
}
list.bind(() => state.order.map(id => live.tracks.get(id)).filter(Boolean).map(t => ({
  job: t.job, label: labelOf(t.job), color: colorOf(t.id), selected: t.id === state.selected, compared: state.compared.has(t.id),
})));

function showChart() {
  const ids = [state.selected, ...[...state.compared].filter(id => id !== state.selected)].filter(Boolean);
  // Getters, not copies: the chart always reads the track's current arrays (a validation series may appear later).
  const tracks = ids.map(id => live.tracks.get(id)).filter(Boolean);
  const labels = runLabels(tracks.map(t => t.job), labelOf);
  chart.show([...tracks.map((t, i) => ({
    id: t.id, label: labels[i], color: colorOf(t.id),
    get costs() { return t.costs; }, get vals() { return t.vals; }, get hasVal() { return t.hasVal; },
    get accs() { return t.accs; }, get valAccs() { return t.valAccs; },
    times: count => epochSeconds(t, count),
    rate: epoch => rateAt(t.job, epoch), get constantRate() { return isConstant(t.job) ? t.job.learningRate : null; },
  })), ...sweeps.overlayTracks().filter(o => !ids.includes(o.id))]);
}

// Epochs per second so far: how fast this job trains here.
function rate(job) {
  if (!job.startedAt || !job.epochsCompleted) return '';
  const seconds = ((job.finishedAt ? Date.parse(job.finishedAt) : Date.now()) - Date.parse(job.startedAt)) / 1000;
  return seconds > 0 ? ` · ${Math.round(job.epochsCompleted / seconds).toLocaleString('en-US')} epochs/s` : '';
}

function showSelected() {
  const t = live.tracks.get(state.selected);
  const job = t?.job ?? null;
  $('#selected-summary').textContent = job
    ? `${labelOf(job)} · ${job.status} · epoch ${(job.epochsCompleted || 0).toLocaleString('en-US')} of ${job.epochs.toLocaleString('en-US')}${rate(job)}`
    : 'no job selected';
  $('#chart-card').dataset.status = job?.status ?? '';
  graph.setJob(job);
  gradflow.setJob(job);
  const newJob = boundary.job?.id !== job?.id;
  boundary.setJob(job);
  explanations.setJob(job);
  if (newJob && job) datasetOf(job).then(ds => { boundary.setDataset(job.id, ds); explanations.setDataset(job.id, ds); });
}

function select(id) {
  if (!live.tracks.has(id)) return;
  state.selected = id;
  state.compared.delete(id);
  history.replaceState(null, '', `#job=${encodeURIComponent(id)}`);
  live.want(id);
  showChart();
  showSelected();
  list.invalidate();
}

/** Opens a job the page may not list yet (a sweep's trial): read it, list it, select it. */
async function openJob(id) {
  try {
    addJob(await getJson(`/api/jobs/${encodeURIComponent(id)}`));
  } catch (e) {
    $('#jobs-error').textContent = `Open job: ${e.message}`;
    return;
  }
  select(id);
}

function addJob(job) {
  live.track(job);
  if (!state.order.includes(job.id)) state.order.unshift(job.id);
}

async function refreshJobs() {
  try {
    const { items } = await getJson('/api/jobs?limit=25');
    const known = new Set(state.order);
    for (const job of [...items].reverse()) if (!known.has(job.id)) addJob(job); else live.track(job);
    list.invalidate();
    return items;
  } catch (e) {
    $('#jobs-error').textContent = `Could not list jobs: ${e.message}`;
    return [];
  }
}

const trainForm = new TrainForm($('#train-form'), {
  onCreated: (job, meta) => {
    saveJobMeta(job.id, meta);
    addJob(job);
    runs.add(job);
    select(job.id);
    // The page's label becomes the run's name, so the API, the list and other clients call it the same.
    if (meta.label) {
      api('PATCH', `/api/jobs/${encodeURIComponent(job.id)}`, { name: meta.label })
        .then(named => { live.track(named); list.invalidate(); showChart(); showSelected(); })
        .catch(() => { /* the network's name stays; the page still shows it */ });
    }
  },
});
trainForm.start();

const sweeps = new SweepView($('#sweep-card'), { live, onOpenJob: openJob, onOverlayChanged: () => showChart() });
new SweepForm($('#sweep-form'), {
  selectedJob: () => live.tracks.get(state.selected)?.job ?? null,
  onCreated: sweep => { sweeps.open(sweep.id); sweeps.refreshList(); },
});

$('#log-scale').addEventListener('change', e => chart.setLog(e.target.checked));
$('#show-rate').addEventListener('change', e => chart.setShowRate(e.target.checked));
$('#chart-x').addEventListener('change', e => chart.setXAxis(e.target.value));
$('#chart-metric').addEventListener('change', e => chart.setMetric(e.target.value));
$('#smoothing').addEventListener('input', e => chart.setSmoothing(Number(e.target.value)));
$('#history-csv').addEventListener('click', () => {
  const t = live.tracks.get(state.selected);
  if (t) saveCsv(historyCsv(t), `${labelOf(t.job)}-${shortId(t.id)}-history.csv`);
});

(async () => {
  await live.start();
  const items = await refreshJobs();
  runs.reload();
  sweeps.refreshList();
  const wanted = decodeURIComponent((location.hash.match(/job=([^&]+)/) || [])[1] || '');
  const initial = live.tracks.has(wanted) ? wanted : items[0]?.id;
  if (initial) select(initial);
  if (wanted && !live.tracks.has(wanted)) {
    try { addJob(await getJson(`/api/jobs/${encodeURIComponent(wanted)}`)); select(wanted); } catch { /* stays on the newest */ }
  }
  document.body.dataset.ready = 'true';
  setInterval(() => { if (!document.hidden) refreshJobs(); }, 5000);
})();

// For tests and the curious: the page's live state.
window.backprop = { state, live, sweeps, isTerminal, chart, runs };
