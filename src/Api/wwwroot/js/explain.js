// Explanations: each input's attribution to the selected job's output (POST /api/jobs/{id}/explain) as bars, for a
// point clicked on the decision boundary or a dataset row, with the method selectable.
import { postJson, ApiError } from './api.js';

const METHOD_NOTES = {
  gradient: '∂ output / ∂ input',
  gradient_x_input: 'gradient × input',
  integrated_gradients: 'integrated gradients from 0 (64 steps): they add up to output − output at 0',
};

const format = v => (v === null ? '—' : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toFixed(4));

export class Explanations {
  constructor(card, boundary) {
    this.card = card;
    this.boundary = boundary;
    this.note = card.querySelector('[data-role=explain-note]');
    this.bars = card.querySelector('[data-role=explain-bars]');
    this.method = card.querySelector('select[name=explainMethod]');
    this.row = card.querySelector('input[name=explainRow]');
    this.job = null;
    this.dataset = null;
    this.input = null;
    this.request = 0;
    this.method.addEventListener('change', () => this.explain());
    this.row.addEventListener('change', () => this.pickRow());
    boundary.canvas.addEventListener('click', e => this.pickPoint(e));
    this.reset();
  }

  setJob(job) {
    if (this.job?.id === job?.id) { this.job = job; return; }
    this.job = job;
    this.dataset = null;
    this.reset();
  }

  /** The job's dataset (as the decision boundary gets it), or null when unknown. */
  setDataset(jobId, dataset) {
    if (this.job?.id !== jobId) return;
    this.dataset = dataset;
    this.row.max = dataset?.features?.length ? dataset.features.length - 1 : '';
    this.reset();
  }

  reset() {
    this.input = null;
    this.row.value = '';
    this.row.disabled = !this.dataset?.features?.length;
    this.bars.replaceChildren();
    this.card.dataset.state = 'empty';
    this.note.textContent = !this.job ? 'Select a job.'
      : this.boundary.bounds ? 'Click the decision boundary or choose a dataset row.'
      : this.dataset?.features?.length ? 'Choose a dataset row.' : 'The rows of this job\'s dataset are not known to this page.';
  }

  pickRow() {
    const features = this.dataset?.features;
    const row = Number(this.row.value);
    if (!features || this.row.value === '' || !Number.isInteger(row) || row < 0 || row >= features.length) return;
    this.input = { values: features[row], label: `row ${row}` };
    this.explain();
  }

  pickPoint(event) {
    const bounds = this.boundary.bounds;
    if (!this.job || !bounds || this.boundary.job?.id !== this.job.id) return;
    const rect = this.boundary.canvas.getBoundingClientRect();
    const x = bounds.x0 + ((event.clientX - rect.left) / rect.width) * (bounds.x1 - bounds.x0);
    const y = bounds.y1 - ((event.clientY - rect.top) / rect.height) * (bounds.y1 - bounds.y0);
    this.row.value = '';
    this.input = { values: [x, y], label: `point (${x.toFixed(2)}, ${y.toFixed(2)})` };
    this.explain();
  }

  async explain() {
    const job = this.job, input = this.input, method = this.method.value;
    if (!job || !input) return;
    const request = ++this.request;
    this.card.dataset.state = 'loading';
    try {
      const answer = await postJson(`/api/jobs/${encodeURIComponent(job.id)}/explain`, { inputs: [input.values], method });
      if (request !== this.request) return;
      this.draw(input, answer);
    } catch (e) {
      if (request !== this.request) return;
      this.bars.replaceChildren();
      this.card.dataset.state = 'error';
      this.note.textContent = e instanceof ApiError && e.status === 409 ? 'No weights yet: wait for the first checkpoint.' : e.message;
    }
  }

  draw(input, { outputs, attributions, method, output: fixed, explainedOutputs }) {
    const values = attributions[0], column = explainedOutputs[0];
    const largest = Math.max(...values.map(v => Math.abs(v ?? 0))) || 1;
    this.bars.replaceChildren(...values.map((value, i) => {
      const row = document.createElement('div');
      row.className = 'attribution';
      row.dataset.input = String(i);
      row.dataset.value = String(value);
      const name = document.createElement('span');
      name.textContent = `x${i} = ${format(input.values[i])}`;
      const track = document.createElement('span');
      track.className = 'attribution-track';
      const bar = document.createElement('span');
      bar.className = `attribution-bar ${(value ?? 0) < 0 ? 'negative' : 'positive'}`;
      // Half the track each way from the middle: a bar's length is its share of the largest |attribution|.
      const share = (Math.abs(value ?? 0) / largest) * 50;
      bar.style.width = `${share}%`;
      bar.style.left = (value ?? 0) < 0 ? `${50 - share}%` : '50%';
      track.append(bar);
      const number = document.createElement('span');
      number.className = 'attribution-value';
      number.textContent = format(value);
      row.append(name, track, number);
      return row;
    }));
    const output = outputs[0];
    this.card.dataset.state = 'shown';
    this.card.dataset.method = method;
    this.card.dataset.input = JSON.stringify(input.values);
    this.note.textContent = `${input.label} · output ${column} = ${format(output[column])}` +
      `${fixed === null ? ' (the predicted class)' : ''} · ${METHOD_NOTES[method]}`;
  }
}
