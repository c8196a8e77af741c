// The job list: status, progress, cost, elapsed time and ETA per job; select, compare, cancel, download as ONNX and delete.
import { fmt, fmtDuration, shortId, isTerminal } from './format.js';

function timing(job, now) {
  const started = job.startedAt ? Date.parse(job.startedAt) : null;
  if (!started) return { elapsed: null, eta: null };
  const end = job.finishedAt ? Date.parse(job.finishedAt) : now;
  const elapsed = Math.max(0, end - started);
  const done = job.epochsCompleted || 0;
  const eta = !isTerminal(job) && done > 0 ? (elapsed / done) * Math.max(0, job.epochs - done) : null;
  return { elapsed, eta };
}

export class JobList {
  constructor(el, { onSelect, onCompare, onCancel, onDownload, onDelete }) {
    this.el = el;
    this.frame = 0;
    this.rows = () => [];
    this.items = new Map();
    el.addEventListener('click', e => {
      const row = e.target.closest('[data-job-id]');
      if (!row) return;
      const id = row.dataset.jobId;
      if (e.target.closest('button.cancel')) onCancel(id);
      else if (e.target.closest('button.onnx')) onDownload(id);
      else if (e.target.closest('button.delete')) onDelete(id);
      else if (e.target.closest('.compare')) { if (e.target.matches('input')) onCompare(id, e.target.checked); }
      else onSelect(id);
    });
    // A row takes focus: Enter or Space on it selects the job (its buttons and box keep their own keys).
    el.addEventListener('keydown', e => {
      if ((e.key !== 'Enter' && e.key !== ' ') || !e.target.matches('li[data-job-id]')) return;
      e.preventDefault();
      onSelect(e.target.dataset.jobId);
    });
    setInterval(() => this.invalidate(), 1000); // elapsed time and ETA move on their own
  }

  /** rows: () => [{ job, label, color, selected, compared }] */
  bind(rows) {
    this.rows = rows;
    this.invalidate();
  }

  invalidate() {
    if (!this.frame) this.frame = requestAnimationFrame(() => { this.frame = 0; this.render(); });
  }

  render() {
    const now = Date.now();
    const rows = this.rows();
    this.el.querySelector('.empty-note')?.remove();
    if (!rows.length) {
      this.el.innerHTML = '<li class="empty-note">No jobs yet: pick a preset and press Train.</li>';
      return;
    }
    // Rows are updated in place, not rebuilt: a click must not land on an element replaced mid-press.
    const seen = new Set();
    let previous = null;
    for (const row of rows) {
      seen.add(row.job.id);
      let li = this.items.get(row.job.id);
      if (!li) {
        li = this.create(row.job.id);
        this.items.set(row.job.id, li);
      }
      this.update(li, row, now);
      const expected = previous ? previous.nextSibling : this.el.firstChild;
      if (expected !== li) this.el.insertBefore(li, expected);
      previous = li;
    }
    for (const [id, li] of this.items) if (!seen.has(id)) { li.remove(); this.items.delete(id); }
  }

  create(id) {
    const li = document.createElement('li');
    li.className = 'job';
    li.dataset.jobId = id;
    li.tabIndex = 0;
    li.innerHTML = `
      <div class="job-head"><span class="badge"></span><span class="job-label"></span><span class="job-id"></span></div>
      <div class="progress" role="progressbar" aria-label="epochs completed" aria-valuemin="0"><div class="bar"></div></div>
      <div class="job-stats"><span class="epochs"></span><span class="cost"></span><span class="time"></span></div>
      <div class="job-error" hidden></div>
      <div class="job-actions">
        <label class="compare"><input type="checkbox"> compare</label>
        <button type="button" class="cancel">Cancel</button>
        <button type="button" class="onnx" hidden>Download ONNX</button>
        <button type="button" class="delete">Delete</button>
      </div>`;
    return li;
  }

  update(li, { job, label, color, selected, compared }, now) {
    const { elapsed, eta } = timing(job, now);
    const done = job.epochsCompleted || 0;
    const percent = job.epochs ? Math.min(100, (100 * done) / job.epochs) : 0;
    const set = (selector, text) => { const el = li.querySelector(selector); if (el.textContent !== text) el.textContent = text; };
    li.classList.toggle('selected', selected);
    li.setAttribute('aria-current', selected ? 'true' : 'false');
    li.setAttribute('aria-label', `${label}, ${job.status}`);
    li.dataset.status = job.status;
    li.dataset.epochsCompleted = done;
    li.style.setProperty('--job-color', color);
    const badge = li.querySelector('.badge');
    badge.className = `badge status-${job.status}`;
    set('.badge', job.status);
    set('.job-label', label);
    li.querySelector('.job-label').title = job.id;
    set('.job-id', `#${shortId(job.id)}`);
    const bar = li.querySelector('.progress');
    bar.setAttribute('aria-valuemax', job.epochs);
    bar.setAttribute('aria-valuenow', done);
    li.querySelector('.bar').style.width = `${percent.toFixed(2)}%`;
    set('.epochs', `${done.toLocaleString('en-US')} / ${(job.epochs || 0).toLocaleString('en-US')}`);
    const val = job.validationCost !== null && job.validationCost !== undefined ? ` · val ${fmt(job.validationCost)}` : '';
    set('.cost', `cost ${fmt(job.cost)}${val}`);
    set('.time', `${fmtDuration(elapsed)}${eta !== null ? ` · ETA ${fmtDuration(eta)}` : ''}`);
    const error = li.querySelector('.job-error');
    error.hidden = !job.error;
    set('.job-error', job.error || '');
    const box = li.querySelector('.compare input');
    box.checked = compared;
    box.disabled = selected;
    li.querySelector('.cancel').hidden = isTerminal(job);
    li.querySelector('.onnx').hidden = job.status !== 'succeeded';
    li.querySelector('.delete').hidden = !isTerminal(job); // the server refuses a queued or running job: cancel first
  }
}
