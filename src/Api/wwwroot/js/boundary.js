// Decision boundary for 2-D datasets: the network's output over a grid (POST /api/jobs/{id}/predict) as a heat map,
// with the training points on top; refreshed at a modest rate while the job trains.
import { postJson, ApiError } from './api.js';
import { isTerminal } from './format.js';

const GRID = 60;
const REFRESH_MS = 1200;
const CLASS_COLORS = [[59, 91, 219], [232, 89, 12], [12, 166, 120], [214, 51, 108], [245, 159, 0]];

function mix(a, b, t) {
  return a.map((x, i) => Math.round(x + (b[i] - x) * t));
}

export class DecisionBoundary {
  constructor(card) {
    this.card = card;
    this.canvas = card.querySelector('canvas');
    this.note = card.querySelector('[data-role=boundary-note]');
    this.job = null;
    this.dataset = null;
    this.busy = false;
    this.drawnFinal = false;
    setInterval(() => this.tick(), REFRESH_MS);
  }

  setJob(job) {
    if (this.job?.id === job?.id) {
      this.job = job;
      if (job && isTerminal(job) && !this.drawnFinal) this.tick();
      return;
    }
    this.job = job;
    this.dataset = null;
    this.bounds = null;
    this.drawnFinal = false;
    this.clear();
  }

  /** dataset: { features: number[][] | null, targets?: number[][], labels?: number[], featureCount? }, or null when unreadable. */
  setDataset(jobId, dataset) {
    if (this.job?.id !== jobId) return;
    this.dataset = dataset;
    if (!dataset) {
      this.clear();
      this.note.textContent = 'The job\'s dataset could not be read (deleted?).';
      return;
    }
    this.bounds = this.twoD() ? this.computeBounds() : null;
    this.clear();
    this.tick();
  }

  twoD() {
    return this.dataset?.features?.length && this.dataset.features[0].length === 2;
  }

  clear() {
    const ctx = this.canvas.getContext('2d');
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.card.dataset.state = 'empty';
    const features = this.dataset?.featureCount ?? this.dataset?.features?.[0]?.length;
    this.note.textContent = !this.job ? 'Select a job.'
      : !this.dataset ? 'Reading the job\'s dataset…'
      : !this.twoD() ? `A decision boundary needs a dataset with 2 features; this one has ${features}.` : 'Waiting for weights…';
  }

  computeBounds() {
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (const [x, y] of this.dataset.features) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
    const px = (x1 - x0) * 0.12 || 1, py = (y1 - y0) * 0.12 || 1;
    return { x0: x0 - px, x1: x1 + px, y0: y0 - py, y1: y1 + py };
  }

  async tick() {
    const job = this.job;
    if (!job || !this.bounds || this.busy || document.hidden || this.drawnFinal || job.status === 'queued') return;
    const final = isTerminal(job);
    this.busy = true;
    try {
      const { x0, x1, y0, y1 } = this.bounds;
      const inputs = [];
      for (let j = 0; j < GRID; j++) for (let i = 0; i < GRID; i++) {
        inputs.push([x0 + ((i + 0.5) / GRID) * (x1 - x0), y1 - ((j + 0.5) / GRID) * (y1 - y0)]);
      }
      const { outputs } = await postJson(`/api/jobs/${encodeURIComponent(job.id)}/predict`, { inputs });
      if (this.job?.id !== job.id) return;
      this.draw(outputs);
      this.drawnFinal = final;
    } catch (e) {
      if (this.job?.id === job.id && !(e instanceof ApiError && e.status === 409)) this.note.textContent = e.message;
    } finally {
      this.busy = false;
    }
  }

  colorOf(output) {
    if (output.length === 1) {
      const p = Math.min(1, Math.max(0, output[0]));
      return p < 0.5 ? mix(CLASS_COLORS[0], [246, 247, 251], p * 2) : mix([246, 247, 251], CLASS_COLORS[1], (p - 0.5) * 2);
    }
    let best = 0;
    for (let k = 1; k < output.length; k++) if (output[k] > output[best]) best = k;
    return mix([246, 247, 251], CLASS_COLORS[best % CLASS_COLORS.length], Math.min(1, Math.max(0, output[best])) * 0.85);
  }

  classOf(row) {
    if (this.dataset.labels) return this.dataset.labels[row];
    const t = this.dataset.targets[row];
    if (t.length === 1) return t[0] >= 0.5 ? 1 : 0;
    return t.indexOf(Math.max(...t));
  }

  draw(outputs) {
    const small = document.createElement('canvas');
    small.width = small.height = GRID;
    const sctx = small.getContext('2d'), image = sctx.createImageData(GRID, GRID);
    outputs.forEach((o, k) => {
      const [r, g, b] = this.colorOf(o);
      image.data.set([r, g, b, 255], k * 4);
    });
    sctx.putImageData(image, 0, 0);
    const ctx = this.canvas.getContext('2d'), { width: w, height: h } = this.canvas;
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(small, 0, 0, w, h);
    const { x0, x1, y0, y1 } = this.bounds;
    this.dataset.features.forEach(([x, y], row) => {
      const c = CLASS_COLORS[this.classOf(row) % CLASS_COLORS.length].map(x => Math.round(x * 0.8));
      ctx.beginPath();
      const small = this.dataset.features.length > 50;
      ctx.arc(((x - x0) / (x1 - x0)) * w, ((y1 - y) / (y1 - y0)) * h, small ? 3.2 : 7, 0, 2 * Math.PI);
      ctx.fillStyle = `rgb(${c.join(',')})`;
      ctx.fill();
      ctx.lineWidth = small ? 0.9 : 1.5;
      ctx.strokeStyle = '#fff';
      ctx.stroke();
      ctx.lineWidth = 0.75;
      ctx.strokeStyle = 'rgba(20, 24, 40, .55)';
      ctx.stroke();
    });
    this.note.textContent = `${isTerminal(this.job) ? 'final' : 'live'} · output over a ${GRID}×${GRID} grid`;
    this.card.dataset.state = 'drawn';
  }
}
