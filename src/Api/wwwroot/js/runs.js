// The runs table: every job, paged from GET /api/jobs (status and text filtered by the service, "More" follows the
// cursor), sortable by any column, filterable by network; rename, note (PATCH), compare several, delete.
import { api, getJson } from './api.js';
import { fmt, fmtDuration, shortId, escapeHtml, isTerminal } from './format.js';

const PAGE = 25;

const duration = job => (job.startedAt ? (job.finishedAt ? Date.parse(job.finishedAt) : Date.now()) - Date.parse(job.startedAt) : null);
const settings = job => [job.optimizer, `lr ${fmt(job.learningRate)}`, job.batchSize ? `batch ${job.batchSize}` : 'full batch',
  `${(job.epochs || 0).toLocaleString('en-US')} ep`, `seed ${job.seed}`].join(' · ');
const percent = v => (v === null || v === undefined ? '—' : `${(100 * v).toFixed(1)}%`);

// Each column: its header, how it sorts, and its cell (HTML, escaped).
const COLUMNS = [
  { key: 'name', title: 'Name', sort: j => (j.name || '').toLowerCase(),
    cell: j => `<span class="run-name">${escapeHtml(j.name || '—')}</span> <small>#${shortId(j.id)}</small>${j.notes ? `<div class="run-notes">${escapeHtml(j.notes)}</div>` : ''}` },
  { key: 'status', title: 'Status', sort: j => j.status, cell: j => `<span class="badge status-${escapeHtml(j.status)}">${escapeHtml(j.status)}</span>` },
  { key: 'settings', title: 'Hyperparameters', sort: j => j.learningRate, cell: j => escapeHtml(settings(j)) },
  { key: 'cost', title: 'Final cost', sort: j => j.cost ?? Infinity, cell: j => fmt(j.cost) },
  { key: 'best', title: 'Best', sort: j => j.bestMetric ?? j.cost ?? Infinity, cell: j => fmt(j.bestMetric ?? j.cost) },
  { key: 'accuracy', title: 'Accuracy', sort: j => -(j.validationAccuracy ?? j.accuracy ?? -1),
    cell: j => (j.validationAccuracy !== null && j.validationAccuracy !== undefined ? `${percent(j.accuracy)} · val ${percent(j.validationAccuracy)}` : percent(j.accuracy)) },
  { key: 'duration', title: 'Duration', sort: j => duration(j) ?? Infinity, cell: j => fmtDuration(duration(j)) },
  { key: 'created', title: 'Created', sort: j => j.createdAt, cell: j => escapeHtml(new Date(j.createdAt).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' })) },
];

export class RunsTable {
  /** hooks: onClone(job) (fills the Train form), onSelect(job), onCompare(job, on), isCompared(id), onDeleted(id), networkName(job) → name or null */
  constructor(card, hooks) {
    this.card = card;
    this.hooks = hooks;
    this.body = card.querySelector('tbody');
    this.error = card.querySelector('[data-role=runs-error]');
    this.moreButton = card.querySelector('[data-action=more]');
    this.filters = card.querySelector('.runs-filters');
    this.jobs = new Map();
    this.next = null;
    this.sortKey = 'created';
    this.descending = true;
    this.generation = 0;
    card.querySelector('thead tr').innerHTML = '<th scope="col"><span class="visually-hidden">Compare</span></th>' +
      COLUMNS.map(c => `<th scope="col" data-key="${c.key}"><button type="button" class="sort">${c.title}</button></th>`).join('') +
      '<th scope="col"><span class="visually-hidden">Actions</span></th>';
    card.querySelector('thead').addEventListener('click', e => {
      const key = e.target.closest('th[data-key]')?.dataset.key;
      if (!key) return;
      this.descending = this.sortKey === key ? !this.descending : key === 'created';
      this.sortKey = key;
      this.render();
    });
    this.filters.addEventListener('submit', e => { e.preventDefault(); this.reload(); });
    this.filters.elements.namedItem('status').addEventListener('change', () => this.reload());
    this.filters.elements.namedItem('network').addEventListener('change', () => this.render());
    this.moreButton.addEventListener('click', () => this.more());
    this.body.addEventListener('click', e => this.act(e));
  }

  async reload() {
    this.jobs.clear();
    this.next = null;
    this.generation++;
    await this.load(null);
  }

  more() {
    return this.next ? this.load(this.next) : Promise.resolve();
  }

  async load(cursor) {
    const generation = this.generation;
    const query = new URLSearchParams({ limit: String(PAGE) });
    const status = this.filters.elements.namedItem('status').value;
    const text = this.filters.elements.namedItem('q').value.trim();
    if (status) query.set('status', status);
    if (text) query.set('q', text);
    if (cursor) query.set('cursor', cursor);
    try {
      const page = await getJson(`/api/jobs?${query}`);
      if (generation !== this.generation) return; // the filters changed meanwhile: that answer is stale
      for (const job of page.items) this.jobs.set(job.id, job);
      this.next = page.next;
      this.error.textContent = '';
    } catch (e) {
      this.error.textContent = `Could not list runs: ${e.message}`;
    }
    this.render();
  }

  /** A job object from elsewhere (the stream, a PATCH): shown when the table already holds the run. */
  update(job) {
    if (!this.jobs.has(job.id)) return;
    this.jobs.set(job.id, { ...this.jobs.get(job.id), ...job });
    // Epochs stream many times a second: redraw the table at most once a second for them.
    if (!this.pending) this.pending = setTimeout(() => { this.pending = 0; this.render(); }, 1000);
  }

  /** A run the page just created: first in the table (when the filters would list it). */
  add(job) {
    this.jobs.set(job.id, job);
    this.render();
  }

  visible() {
    const network = this.filters.elements.namedItem('network').value;
    const column = COLUMNS.find(c => c.key === this.sortKey);
    const rows = [...this.jobs.values()].filter(j => !network || j.networkId === network);
    rows.sort((a, b) => {
      const x = column.sort(a), y = column.sort(b);
      return (x < y ? -1 : x > y ? 1 : 0) * (this.descending ? -1 : 1);
    });
    return rows;
  }

  render() {
    clearTimeout(this.pending);
    this.pending = 0;
    this.renderNetworks();
    const rows = this.visible();
    this.body.innerHTML = rows.length ? rows.map(j => `
      <tr data-job-id="${escapeHtml(j.id)}" data-status="${escapeHtml(j.status)}">
        <td><input type="checkbox" data-action="compare" aria-label="compare ${escapeHtml(j.name || j.id)}" ${this.hooks.isCompared(j.id) ? 'checked' : ''}></td>
        ${COLUMNS.map(c => `<td data-key="${c.key}">${c.cell(j)}</td>`).join('')}
        <td class="run-actions">
          <button type="button" data-action="select">Show</button>
          <button type="button" data-action="clone">Clone</button>
          <button type="button" data-action="rename">Rename</button>
          <button type="button" data-action="note">Note</button>
          <button type="button" data-action="delete" ${isTerminal(j) ? '' : 'disabled title="cancel it first"'}>Delete</button>
        </td>
      </tr>`).join('') : `<tr><td colspan="${COLUMNS.length + 2}" class="empty-note">No runs match.</td></tr>`;
    for (const th of this.card.querySelectorAll('thead th[data-key]')) {
      th.setAttribute('aria-sort', th.dataset.key === this.sortKey ? (this.descending ? 'descending' : 'ascending') : 'none');
    }
    this.moreButton.hidden = !this.next;
    this.card.dataset.rowCount = rows.length;
  }

  renderNetworks() {
    const picker = this.filters.elements.namedItem('network');
    const ids = [...new Set([...this.jobs.values()].map(j => j.networkId))];
    const wanted = ['', ...ids].join('|');
    if (picker.dataset.ids === wanted) return;
    const chosen = picker.value;
    picker.innerHTML = '<option value="">all networks</option>' + ids.map(id => {
      const job = [...this.jobs.values()].find(j => j.networkId === id);
      return `<option value="${escapeHtml(id)}">${escapeHtml(this.hooks.networkName(job) || `network #${shortId(id)}`)}</option>`;
    }).join('');
    picker.value = ids.includes(chosen) ? chosen : '';
    picker.dataset.ids = wanted;
  }

  async act(e) {
    const target = e.target.closest('[data-action]');
    const id = e.target.closest('tr[data-job-id]')?.dataset.jobId;
    const job = id && this.jobs.get(id);
    if (!target || !job) return;
    const action = target.dataset.action;
    try {
      if (action === 'compare') this.hooks.onCompare(job, target.checked);
      else if (action === 'select') this.hooks.onSelect(job);
      else if (action === 'clone') await this.hooks.onClone(job);
      else if (action === 'rename') {
        const name = prompt(`New name for run #${shortId(id)}`, job.name || '');
        if (name !== null) this.patched(await api('PATCH', `/api/jobs/${encodeURIComponent(id)}`, { name: name.trim() || null }));
      } else if (action === 'note') {
        const notes = prompt(`Note for ${job.name || `run #${shortId(id)}`}`, job.notes || '');
        if (notes !== null) this.patched(await api('PATCH', `/api/jobs/${encodeURIComponent(id)}`, { notes: notes.trim() || null }));
      } else if (action === 'delete') {
        if (!confirm(`Delete ${job.name || 'the run'} #${shortId(id)} with its history and weights?`)) return;
        await api('DELETE', `/api/jobs/${encodeURIComponent(id)}`).catch(err => { if (err.status !== 404) throw err; });
        this.jobs.delete(id);
        this.hooks.onDeleted(id);
        this.render();
      }
    } catch (err) {
      this.error.textContent = `${target.textContent}: ${err.message}`;
    }
  }

  patched(job) {
    this.jobs.set(job.id, job);
    this.hooks.onPatched?.(job);
    this.render();
  }
}
