// The gradient-flow chart: for a job trained with recordGradientNorms, the L2 norm of each layer's weight gradient
// (its last batch of every epoch, before clipping) on a log scale, one line per layer. In a deep sigmoid net the
// lines of the first layers lie decades below the last one's: the gradient vanishes on its way back.
// Self-contained: it reads the norms from /history (polling while the job runs) rather than from the live stream.
/* global uPlot */
import { getJson } from './api.js';
import { TERMINAL, fmt } from './format.js';
import { PALETTE } from './chart.js';

const MAX_POINTS = 2000; // per line kept in memory; beyond it every other point goes and the stride doubles
const PAGE = 10000;
const POLL_MS = 1500;

/** The parameters drawn: every layer's weights ("layers.{i}.weights"), or every parameter of a graph-form network. */
function drawnNames(names) {
  const weights = names.filter(n => /^layers\.\d+\.weights$/.test(n));
  return weights.length ? weights : names;
}

function labelOf(name) {
  const layer = name.match(/^layers\.(\d+)\.weights$/);
  return layer ? `layer ${layer[1]}` : name;
}

export class GradientFlow {
  constructor(card) {
    this.card = card;
    this.el = card.querySelector('[data-role=gradflow-chart]');
    this.note = card.querySelector('[data-role=gradflow-note]');
    this.job = null;
    this.generation = 0;
    this.timer = 0;
    this.loading = false;
    this.plot = null;
    this.reset();
    new ResizeObserver(() => this.plot?.setSize(this.size())).observe(this.el);
  }

  size() {
    return { width: Math.max(200, this.el.clientWidth), height: 260 };
  }

  /** The selected job (or null); called again on each of its status changes. Hidden unless it records norms. */
  setJob(job) {
    const same = job && this.job?.id === job.id;
    this.job = job;
    if (!job?.recordGradientNorms) {
      this.card.hidden = true;
      this.reset();
      return;
    }
    this.card.hidden = false;
    if (!same) {
      this.reset();
      this.note.textContent = 'Loading gradient norms…';
    }
    // Called on every update of the job: a finished job whose epochs are all here needs no further request.
    const complete = TERMINAL.has(job.status) && this.names && this.lastEpoch >= job.epochsCompleted;
    if (!this.loading && !this.timer && !complete) this.load();
  }

  reset() {
    this.generation++;
    clearTimeout(this.timer);
    this.timer = 0;
    this.loading = false;
    this.epochs = [];
    this.lastEpoch = 0;
    this.names = null;
    this.lines = [];
    this.stride = 1;
    this.plot?.destroy();
    this.plot = null;
    this.el.dataset.pointCount = '0';
    this.el.dataset.lines = '';
  }

  async load() {
    const generation = this.generation, id = this.job.id;
    this.loading = true;
    try {
      for (;;) {
        const after = this.lastEpoch;
        const page = await getJson(`/api/jobs/${encodeURIComponent(id)}/history?after=${after}&limit=${PAGE}`);
        if (generation !== this.generation) return;
        for (const point of page.points) this.add(point);
        if (page.points.length) this.lastEpoch = page.points.at(-1).epoch;
        if (page.points.length < PAGE) break;
      }
      this.draw();
    } catch (e) {
      if (generation === this.generation) this.note.textContent = `Could not load the gradient norms: ${e.message}`;
    } finally {
      if (generation === this.generation) this.loading = false;
    }
    // The job may have finished while this load ran (its last epochs stored after the page was read): keep polling
    // until a finished job's epochs are all here.
    const complete = TERMINAL.has(this.job.status) && this.lastEpoch >= this.job.epochsCompleted;
    if (generation === this.generation && !complete) {
      this.timer = setTimeout(() => { this.timer = 0; this.load(); }, POLL_MS);
    }
  }

  add(point) {
    const norms = point.gradientNorms;
    if (!norms) return;
    if (!this.names) {
      this.names = drawnNames(Object.keys(norms));
      this.lines = this.names.map(() => []);
    }
    if (this.epochs.length && point.epoch < this.epochs.at(-1) + this.stride) return;
    this.epochs.push(point.epoch);
    // A log scale has no place for 0 (a dead layer) or a missing value: both are gaps.
    this.names.forEach((name, i) => this.lines[i].push(norms[name] > 0 ? norms[name] : null));
    if (this.epochs.length > MAX_POINTS) {
      const keep = (_, i) => i % 2 === 0;
      this.epochs = this.epochs.filter(keep);
      this.lines = this.lines.map(line => line.filter(keep));
      this.stride *= 2;
    }
  }

  draw() {
    this.el.dataset.pointCount = String(this.epochs.length);
    this.el.dataset.lines = (this.names || []).join(',');
    if (!this.epochs.length) {
      this.note.textContent = 'No gradient norms stored yet.';
      return;
    }
    const last = this.lines.map(line => line.at(-1));
    this.note.textContent = `‖∂C/∂W‖ of each layer's weights, last batch of each epoch, before clipping; at epoch ${this.epochs.at(-1).toLocaleString('en-US')}: ` +
      this.names.map((name, i) => `${labelOf(name)} ${last[i] == null ? '—' : fmt(last[i], 3)}`).join(' · ');
    const data = [this.epochs, ...this.lines];
    if (this.plot && this.plot.series.length === data.length) {
      this.plot.setData(data);
      return;
    }
    this.plot?.destroy();
    this.plot = new uPlot({
      ...this.size(),
      scales: { x: { time: false }, y: { distr: 3 } },
      axes: [{ label: 'epoch' }, { label: 'gradient norm (log)', size: 70, values: (_, ticks) => ticks.map(t => fmt(t, 2)) }],
      series: [{ label: 'epoch' }, ...this.names.map((name, i) => ({ label: labelOf(name), stroke: PALETTE[i % PALETTE.length], width: 1.5, spanGaps: false }))],
    }, data, this.el);
  }
}
