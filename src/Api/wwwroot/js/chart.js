// The loss chart: uPlot, one training (solid) and one validation (dashed) series per shown job, redrawn at most
// once per animation frame however fast `epochs` messages arrive.
/* global uPlot */
import { fmt } from './format.js';

const MAX_POINTS = 4000; // per series on screen; longer histories are drawn with a stride (last epoch always kept)
export const PALETTE = ['#4f46e5', '#e8590c', '#0ca678', '#d6336c', '#1c7ed6', '#f59f00', '#7048e8', '#2b8a3e'];

export class LossChart {
  constructor(el, legendEl) {
    this.el = el;
    this.legendEl = legendEl;
    this.tracks = [];
    this.log = false;
    this.plot = null;
    this.signature = '';
    this.frame = 0;
    new ResizeObserver(() => this.plot?.setSize(this.size())).observe(el);
  }

  size() {
    // The legend sits below the plot inside the same element, so the plot's height is fixed rather than measured.
    return { width: Math.max(200, this.el.clientWidth), height: 300 };
  }

  /** tracks: [{ id, label, color, width?, costs: number[], vals: (number|null)[], hasVal }] with index i = epoch i + 1. */
  show(tracks) {
    this.tracks = tracks;
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
    const clean = this.log ? v => (v > 0 ? v : null) : v => v;
    const data = [idx.map(i => i + 1)];
    for (const t of this.tracks) {
      data.push(idx.map(i => (i < t.costs.length ? clean(t.costs[i]) : null)));
      if (t.hasVal) data.push(idx.map(i => (i < t.vals.length ? clean(t.vals[i]) : null)));
    }
    return data;
  }

  options() {
    const series = [{ label: 'epoch' }];
    for (const t of this.tracks) {
      series.push({ label: `${t.label} · train`, stroke: t.color, width: t.width ?? 2, value: (u, v) => fmt(v) });
      if (t.hasVal) series.push({ label: `${t.label} · validation`, stroke: t.color, width: (t.width ?? 2) * 0.75, dash: [6, 4], value: (u, v) => fmt(v) });
    }
    const axis = { stroke: '#5c6370', grid: { stroke: '#eceef3', width: 1 }, ticks: { stroke: '#d9dce3', width: 1 } };
    // On a log scale keep only the powers of ten: uPlot's minor splits make a dense comb of lines and labels.
    const decades = (u, splits) => splits.map(v => (Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9 ? v : null));
    const yAxis = this.log
      ? { ...axis, filter: decades, grid: { ...axis.grid, filter: decades }, ticks: { ...axis.ticks, filter: decades } }
      : axis;
    return {
      ...this.size(),
      series,
      scales: { x: { time: false }, y: this.log ? { distr: 3 } : { range: (u, min, max) => [Math.min(0, min), max * 1.05 || 1] } },
      axes: [{ ...axis, label: 'epoch' }, { ...yAxis, label: this.log ? 'cost (log)' : 'cost', size: 60, values: (u, vals) => vals.map(v => (v === null ? '' : fmt(v, 3))) }],
      legend: { show: true, live: true },
      cursor: { drag: { x: true, y: false } },
    };
  }

  draw() {
    const signature = `${this.log}|${this.tracks.map(t => `${t.id}:${t.hasVal}:${t.color}:${t.width}`).join(',')}`;
    const data = this.data();
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
    this.el.classList.toggle('empty', !this.tracks.length);
  }
}
