// The loss chart: uPlot, one training (solid) and one validation (dashed) series per shown job, and each job's
// learning rate (dotted) on a secondary axis, redrawn at most once per animation frame however fast `epochs`
// messages arrive.
/* global uPlot */
import { fmt, ticks } from './format.js';
import { rateTracks, rateAxisIsLog } from './rateseries.js';

const MAX_POINTS = 4000; // per series on screen; longer histories are drawn with a stride (last epoch always kept)
// Tableau 10, a palette made for categorical data: neighbours differ in hue and lightness.
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

/** Exponential moving average as TensorBoard draws it: s = w·s + (1 − w)·v, gaps (null) left as they are. */
export function ema(values, weight) {
  let s = null;
  return values.map(v => {
    if (v === null || v === undefined) return v;
    s = s === null ? v : weight * s + (1 - weight) * v;
    return s;
  });
}

const measureContext = document.createElement('canvas').getContext('2d');
function measure(text) {
  measureContext.font = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  return Math.ceil(measureContext.measureText(String(text ?? '')).width);
}

export class LossChart {
  /** rateNote: where to say why no rate is drawn (e.g. "constant 0.5"). */
  constructor(el, { rateNote } = {}) {
    this.el = el;
    this.rateNote = rateNote;
    this.tracks = [];
    this.log = false;
    this.metric = 'cost';   // or 'accuracy' (classification jobs)
    this.smoothing = 0;     // EMA weight of the previous smoothed value, 0 (off) to 0.99
    this.xAxis = 'epoch';   // or 'time': seconds since each job started (walltime.js)
    this.showRate = true;   // each job's learning rate per epoch, on the right-hand axis
    this.rates = rateTracks([], false);
    this.rateLog = false;
    this.plot = null;
    this.signature = '';
    this.frame = 0;
    new ResizeObserver(() => this.plot?.setSize(this.size())).observe(el);
  }

  size() {
    // The legend sits below the plot inside the same element, so the plot's height is fixed rather than measured.
    return { width: Math.max(200, this.el.clientWidth), height: 300 };
  }

  /**
   * tracks: [{ id, label, color, width?, costs: number[], vals: (number|null)[], hasVal, rate?(epoch), constantRate? }]
   * with index i = epoch i + 1; a track with `rate` may get a learning-rate line (rateseries.js).
   */
  show(tracks) {
    this.tracks = tracks;
    this.invalidate();
  }

  setMetric(metric) {
    this.metric = metric;
    this.signature = '';
    this.invalidate();
  }

  setSmoothing(smoothing) {
    this.smoothing = smoothing;
    this.invalidate();
  }

  setXAxis(xAxis) {
    this.xAxis = xAxis;
    this.signature = '';
    this.invalidate();
  }

  setShowRate(show) {
    this.showRate = show;
    this.invalidate();
  }

  setLog(log) {
    this.log = log;
    this.signature = '';
    this.invalidate();
  }

  invalidate() {
    if (!this.frame) this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
  }

  data() {
    const length = Math.max(0, ...this.tracks.map(t => t.costs.length));
    const stride = Math.max(1, Math.ceil(length / MAX_POINTS));
    const idx = [];
    for (let i = 0; i < length; i += stride) idx.push(i);
    if (length && idx[idx.length - 1] !== length - 1) idx.push(length - 1);
    const accuracy = this.metric === 'accuracy';
    this.rates = rateTracks(this.tracks, this.showRate);
    // What each column after x holds, in order: the y metric, or a learning rate (never smoothed, on its own axis).
    this.kinds = this.tracks.flatMap(t => this.seriesOf(t));
    const columns = (t, indexes) => {
      const [main, validation] = accuracy ? [t.accs || [], t.valAccs || []] : [t.costs, t.vals];
      const series = [indexes.map(i => (i < main.length ? main[i] : null))];
      if (this.hasValidation(t)) series.push(indexes.map(i => (i < validation.length ? validation[i] : null)));
      // The rate of the epochs trained so far, so the line ends where the job's cost does.
      if (this.rates.drawn.has(t)) series.push(indexes.map(i => (i < t.costs.length ? t.rate(i + 1) : null)));
      return series;
    };
    let raw;
    if (this.xAxis === 'time' && this.tracks.length) {
      // Each job has its own times: one table per job, joined on x (a job's missing x values are undefined, which
      // uPlot draws through).
      raw = uPlot.join(this.tracks.map(t => {
        const own = t.costs.length, seconds = own ? t.times?.(own) : null;
        const indexes = [];
        if (seconds) for (const i of idx.filter(i => i < own).concat(idx.includes(own - 1) ? [] : [own - 1])) {
          if (!indexes.length || seconds[i] > seconds[indexes.at(-1)]) indexes.push(i);
        }
        return [indexes.map(i => seconds[i]), ...columns(t, indexes)];
      }));
    } else {
      raw = [idx.map(i => i + 1), ...this.tracks.flatMap(t => columns(t, idx))];
    }
    const isRate = s => this.kinds[s - 1] === 'rate';
    if (this.smoothing > 0) for (let s = 1; s < raw.length; s++) if (!isRate(s)) raw[s] = ema(raw[s], this.smoothing);
    this.rateLog = rateAxisIsLog(raw.filter((_, s) => s > 0 && isRate(s)));
    // The legend reads the true values; a log axis cannot show 0, so a cost of exactly 0 is drawn on the axis'
    // floor (a decade under the smallest positive cost) instead of leaving a gap in the line.
    this.raw = raw;
    if (!this.log || accuracy) return raw;
    let smallest = Infinity;
    for (const series of raw.filter((_, s) => s > 0 && !isRate(s))) for (const v of series) if (v > 0 && v < smallest) smallest = v;
    const floor = Number.isFinite(smallest) ? 10 ** (Math.floor(Math.log10(smallest)) - 1) : 1e-8;
    return [raw[0], ...raw.slice(1).map((series, s) => (isRate(s + 1) ? series : series.map(v => (v === null || v === undefined ? v : v > 0 ? v : floor))))];
  }

  options() {
    const time = this.xAxis === 'time';
    const series = [{ label: time ? 'seconds' : 'epoch' }];
    const value = (u, v, si, i) => fmt(i === null || i === undefined ? v : this.raw[si]?.[i] ?? v);
    for (const t of this.tracks) {
      series.push({ label: `${t.label} · train`, stroke: t.color, width: t.width ?? 2, value });
      if (this.hasValidation(t)) series.push({ label: `${t.label} · validation`, stroke: t.color, width: (t.width ?? 2) * 0.75, dash: [6, 4], value });
      if (this.rates.drawn.has(t)) series.push({ label: `${t.label} · learning rate`, stroke: t.color, width: 1.5, dash: [2, 3], scale: 'lr', value });
    }
    const axis = { stroke: '#5c6370', grid: { stroke: '#eceef3', width: 1 }, ticks: { stroke: '#d9dce3', width: 1 } };
    // On a log scale keep only the powers of ten: uPlot's minor splits make a dense comb of lines and labels.
    const decades = (u, splits) => splits.map(v => (Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9 ? v : null));
    const onlyDecades = a => ({ ...a, filter: decades, grid: { ...a.grid, filter: decades }, ticks: { ...a.ticks, filter: decades } });
    const yAxis = this.log ? onlyDecades(axis) : axis;
    // Wide enough for the longest tick label, so the axis title beside them never overlaps one.
    const size = (u, values) => 18 + Math.max(24, ...(values || []).map(v => measure(v)));
    const rateAxis = this.rates.drawn.size ? [{
      ...(this.rateLog ? onlyDecades(axis) : axis), grid: { show: false }, scale: 'lr', side: 1, size,
      label: this.rateLog ? 'learning rate (log, dotted)' : 'learning rate (dotted)', values: (u, vals) => ticks(vals, this.rateLog),
    }] : [];
    return {
      ...this.size(),
      series,
      scales: {
        x: { time: false },
        y: this.metric === 'accuracy' ? { range: [0, 1] } : this.log ? { distr: 3 } : { range: (u, min, max) => [Math.min(0, min), max * 1.05 || 1] },
        lr: this.rateLog ? { distr: 3 } : { range: (u, min, max) => [0, max * 1.05 || 1] },
      },
      axes: [{ ...axis, label: time ? 'time since start (s)' : 'epoch' }, {
        ...(this.metric === 'accuracy' ? axis : yAxis), label: this.metric === 'accuracy' ? 'accuracy' : this.log ? 'cost (log)' : 'cost',
        values: (u, vals) => ticks(vals, this.log && this.metric !== 'accuracy'), size,
      }, ...rateAxis],
      legend: { show: true, live: true },
      cursor: { drag: { x: true, y: false } },
    };
  }

  /** The kinds of a track's series, in the order data() and options() lay them out. */
  seriesOf(t) {
    return ['metric', ...(this.hasValidation(t) ? ['metric'] : []), ...(this.rates.drawn.has(t) ? ['rate'] : [])];
  }

  hasValidation(t) {
    return this.metric === 'accuracy' ? (t.valAccs || []).some(v => v !== null) : t.hasVal;
  }

  draw() {
    const data = this.data();
    const signature = `${this.log}|${this.metric}|${this.xAxis}|${this.rateLog}|${this.tracks.map(t => `${t.id}:${this.seriesOf(t).join('+')}:${t.color}:${t.width}`).join(',')}`;
    if (signature !== this.signature || !this.plot) {
      this.plot?.destroy();
      this.el.replaceChildren();
      this.plot = this.tracks.length ? new uPlot(this.options(), data, this.el) : null;
      this.signature = signature;
    } else {
      this.plot.setData(data);
    }
    const first = this.tracks[0];
    this.el.dataset.pointCount = first ? first.costs.length : 0;
    this.el.dataset.lastCost = first && first.costs.length ? first.costs[first.costs.length - 1] : '';
    this.el.dataset.jobId = first ? first.id : '';
    this.el.dataset.series = this.tracks.length;
    this.el.dataset.xAxis = this.xAxis;
    // Points the first series draws (a gap is null): the browser tests check that no epoch is dropped.
    this.el.dataset.drawnPoints = data.length > 1 ? data[1].filter(v => v !== null).length : 0;
    this.el.dataset.rateSeries = this.rates.drawn.size;
    this.el.dataset.rateScale = this.rates.drawn.size ? (this.rateLog ? 'log' : 'linear') : '';
    if (this.rateNote) this.rateNote.textContent = this.rates.note;
    this.el.classList.toggle('empty', !this.tracks.length);
  }
}
