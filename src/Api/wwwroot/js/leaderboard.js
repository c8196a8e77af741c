// The leaderboard table: one row per trial (status, value, the varied fields, epochs, cost), in the server's order
// (best first, then the unfinished) until a column header is pressed: then by that column, ascending, descending,
// and back. Headers are buttons (keyboard and screen readers see the sort in aria-sort); a row, or its id button,
// opens that trial's job. Rows are updated in place, so a click never lands on a row replaced mid-press.
import { fmt, shortId } from './format.js';

const STATUS_ORDER = { running: 0, queued: 1, succeeded: 2, failed: 3, cancelled: 4 };

function compare(a, b) {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1; // blanks last, whichever way
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en', { numeric: true });
}

const shown = v => (typeof v === 'number' ? fmt(v) : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));

export class Leaderboard {
  constructor(table, { onOpen }) {
    this.table = table;
    this.sort = { key: 'rank', dir: 1 };
    this.rows = [];
    this.items = new Map();
    this.columns = [];
    this.signature = '';
    this.metric = 'value';
    this.bestId = null;
    table.querySelector('thead').addEventListener('click', e => {
      const button = e.target.closest('button[data-sort]');
      if (button) this.sortBy(button.dataset.sort);
    });
    table.querySelector('tbody').addEventListener('click', e => {
      const row = e.target.closest('tr[data-job-id]');
      if (row) onOpen(row.dataset.jobId);
    });
  }

  sortBy(key) {
    // rank ↑ is the server's order; any other column goes ascending → descending → back to the server's order.
    if (this.sort.key !== key) this.sort = { key, dir: 1 };
    else if (this.sort.dir === 1 && key !== 'rank') this.sort = { key, dir: -1 };
    else this.sort = { key: 'rank', dir: 1 };
    this.render();
  }

  /** rows: trials as GET /trials lists them (rank = position), with live updates merged in; metric: the sweep's. */
  show(rows, metric, bestId) {
    this.rows = rows;
    this.metric = metric || 'value';
    this.bestId = bestId;
    this.render();
  }

  key(row, key) {
    if (key === 'rank') return row.rank;
    if (key === 'status') return STATUS_ORDER[row.status] ?? 9;
    if (key.startsWith('param:')) return row.params?.[key.slice(6)] ?? null;
    return row[key] ?? null;
  }

  header() {
    const params = [];
    for (const row of this.rows) for (const name of Object.keys(row.params || {})) if (!params.includes(name)) params.push(name);
    const hasVal = this.rows.some(r => r.validationCost !== null && r.validationCost !== undefined);
    this.columns = [['rank', '#'], ['jobId', 'trial'], ['status', 'status'], ['value', `value (${this.metric})`],
      ...params.map(p => [`param:${p}`, p]), ['epochsCompleted', 'epochs'], ['cost', 'cost'],
      ...(hasVal ? [['validationCost', 'validation cost']] : [])];
    const signature = this.columns.map(c => c[0]).join('|');
    if (signature !== this.signature) {
      this.signature = signature;
      const tr = document.createElement('tr');
      for (const [key, label] of this.columns) {
        const th = document.createElement('th');
        th.scope = 'col';
        th.dataset.key = key;
        const button = document.createElement('button');
        button.type = 'button';
        button.dataset.sort = key;
        button.textContent = label;
        th.append(button);
        tr.append(th);
      }
      this.table.querySelector('thead').replaceChildren(tr);
      this.items.clear();
      this.table.querySelector('tbody').replaceChildren();
    }
    for (const th of this.table.querySelectorAll('thead th')) {
      const sorted = th.dataset.key === this.sort.key;
      th.setAttribute('aria-sort', sorted ? (this.sort.dir === 1 ? 'ascending' : 'descending') : 'none');
    }
  }

  render() {
    this.header();
    const { key, dir } = this.sort;
    const ordered = [...this.rows].sort((a, b) => {
      const [ka, kb] = [this.key(a, key), this.key(b, key)];
      const c = ka === null || kb === null ? compare(ka, kb) : compare(ka, kb) * dir; // blanks last either way
      return c || a.rank - b.rank;
    });
    const body = this.table.querySelector('tbody');
    const seen = new Set();
    let previous = null;
    for (const row of ordered) {
      seen.add(row.jobId);
      let tr = this.items.get(row.jobId);
      if (!tr) {
        tr = this.create(row.jobId);
        this.items.set(row.jobId, tr);
      }
      this.update(tr, row);
      const expected = previous ? previous.nextSibling : body.firstChild;
      if (expected !== tr) body.insertBefore(tr, expected);
      previous = tr;
    }
    for (const [id, tr] of this.items) if (!seen.has(id)) { tr.remove(); this.items.delete(id); }
    this.table.dataset.rows = ordered.length;
  }

  create(jobId) {
    const tr = document.createElement('tr');
    tr.dataset.jobId = jobId;
    for (const [key] of this.columns) {
      const td = document.createElement('td');
      td.dataset.key = key;
      if (key === 'jobId') {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'link';
        button.textContent = `#${shortId(jobId)}`;
        button.title = `Open job ${jobId}`;
        td.append(button);
      } else if (key === 'status') {
        td.append(document.createElement('span'));
      }
      tr.append(td);
    }
    return tr;
  }

  update(tr, row) {
    tr.dataset.status = row.status;
    tr.classList.toggle('best', row.jobId === this.bestId);
    for (const td of tr.children) {
      const key = td.dataset.key;
      if (key === 'jobId') continue;
      if (key === 'status') {
        const badge = td.firstChild;
        badge.className = `badge status-${row.status}`;
        if (badge.textContent !== row.status) badge.textContent = row.status;
        continue;
      }
      const value = key === 'rank' ? row.rank + 1 : key === 'epochsCompleted' ? (row.epochsCompleted ?? 0).toLocaleString('en-US') : this.key(row, key);
      const text = value === null || value === undefined ? '—' : shown(value);
      if (td.textContent !== text) td.textContent = text;
    }
  }
}
