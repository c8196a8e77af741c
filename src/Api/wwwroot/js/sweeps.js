// The open sweep: its summary, its leaderboard kept current from the hub (SubscribeSweep; `trial` messages update a
// row in place, and each `sweep` message or trial end re-reads GET /trials, page by page), its cancel, its best
// trials' curves for the loss chart, and the list of the user's sweeps to reopen one. Without a live hub connection
// the open sweep is polled instead.
import { getJson, postJson, ApiError } from './api.js';
import { fmt, fmtDuration, shortId } from './format.js';
import { PALETTE } from './chart.js';
import { Leaderboard } from './leaderboard.js';
import { epochSeconds } from './walltime.js';

const PAGE = 200;      // trials per GET /trials request
const FIRST_ROWS = 500; // rows shown before "Load more trials"; each press adds as many again
const OVERLAY = 10;    // curves drawn on the loss chart: the first rows of the leaderboard (best first)
const ENDED = new Set(['succeeded', 'failed', 'cancelled']);
// A cancelled sweep still has running trials until their workers stop them: listen until none is left.
const settled = sweep => ENDED.has(sweep.status) && sweep.trials && sweep.trials.queued + sweep.trials.running === 0;

const paramsText = params => Object.entries(params || {}).map(([k, v]) => `${k}=${typeof v === 'number' ? fmt(v) : JSON.stringify(v)}`).join(' ');

export class SweepView {
  constructor(card, { live, onOpenJob, onOverlayChanged }) {
    this.card = card;
    this.live = live;
    this.connection = live.connection;
    this.onOverlayChanged = onOverlayChanged;
    this.sweep = null;
    this.rows = [];
    this.cap = FIRST_ROWS;
    this.next = null;
    this.fetching = false;
    this.refetch = false;
    this.subscribed = null;
    this.overlayIds = [];
    this.$ = selector => card.querySelector(selector);
    this.board = new Leaderboard(this.$('#leaderboard'), { onOpen: onOpenJob });
    this.connection.on('trial', message => this.receiveTrial(message));
    this.connection.on('sweep', sweep => this.receiveSweep(sweep));
    this.$('#sweep-cancel').addEventListener('click', () => this.cancel());
    this.$('#sweep-more').addEventListener('click', () => { this.cap += FIRST_ROWS; this.load(); });
    this.$('#sweep-overlay').addEventListener('change', () => this.updateOverlay());
    this.$('#sweep-list').addEventListener('click', e => {
      const button = e.target.closest('button[data-sweep-id]');
      if (button) this.open(button.dataset.sweepId);
    });
    setInterval(() => this.poll(), 2000);
    setInterval(() => { if (!document.hidden) this.refreshList(); }, 10000);
  }

  /** Called when the hub connection comes up (first start or reconnect): join the open sweep's group. */
  connected() {
    this.subscribe();
  }

  async open(id) {
    if (this.sweep?.id !== id) {
      this.leave();
      this.rows = [];
      this.cap = FIRST_ROWS;
      this.sweep = { id, name: '…', status: '', trials: null };
    }
    this.card.dataset.sweepId = id;
    this.showError('');
    try {
      this.receiveSweep(await getJson(`/api/sweeps/${encodeURIComponent(id)}`));
    } catch (e) {
      this.showError(`Could not open sweep ${shortId(id)}: ${e.message}`);
      return;
    }
    await this.subscribe();
    await this.load();
  }

  leave() {
    const old = this.subscribed;
    this.subscribed = null;
    if (old && this.live.live) this.connection.invoke('UnsubscribeSweep', old).catch(() => {});
  }

  async subscribe() {
    const id = this.sweep?.id;
    if (!id || !this.live.live || settled(this.sweep)) return;
    try {
      const sweep = await this.connection.invoke('SubscribeSweep', id);
      this.subscribed = id;
      this.receiveSweep(sweep);
    } catch (e) {
      console.warn(`SubscribeSweep(${id}) failed`, e);
    }
  }

  receiveSweep(sweep) {
    if (!this.sweep || sweep.id !== this.sweep.id) return;
    const changed = JSON.stringify(sweep.trials) !== JSON.stringify(this.sweep.trials) || sweep.status !== this.sweep.status;
    this.sweep = sweep;
    this.showSummary();
    if (changed) {
      this.load();
      this.refreshList();
    }
    if (settled(sweep) && this.subscribed === sweep.id) this.leave();
  }

  receiveTrial(message) {
    if (message.sweepId !== this.sweep?.id) return;
    const row = this.rows.find(r => r.jobId === message.jobId);
    if (!row) { if (!this.next) this.load(); return; } // a trial past the rows shown changes nothing on screen
    const ended = ENDED.has(message.status) && !ENDED.has(row.status);
    if (ENDED.has(row.status) && !ENDED.has(message.status)) return; // an older message than the row
    Object.assign(row, { status: message.status, epochsCompleted: message.epochsCompleted, cost: message.cost, validationCost: message.validationCost });
    this.board.show(this.rows, this.sweep.metric, this.sweep.best?.jobId);
    if (ended) this.load(); // its value and place are the server's to say
  }

  /** Reads the leaderboard page by page (up to the rows shown); one read at a time, the latest change read again. */
  async load() {
    if (!this.sweep?.id) return;
    if (this.fetching) { this.refetch = true; return; }
    this.fetching = true;
    try {
      do {
        this.refetch = false;
        const id = this.sweep.id;
        const rows = [];
        let cursor = null;
        do {
          const query = `limit=${Math.min(PAGE, this.cap - rows.length)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
          const page = await getJson(`/api/sweeps/${encodeURIComponent(id)}/trials?${query}`);
          for (const item of page.items) rows.push({ ...item, rank: rows.length });
          cursor = page.next;
        } while (cursor && rows.length < this.cap);
        if (this.sweep.id !== id) { this.refetch = true; continue; } // another sweep was opened meanwhile
        this.rows = rows;
        this.next = cursor;
      } while (this.refetch);
      this.board.show(this.rows, this.sweep.metric, this.sweep.best?.jobId);
      this.$('#sweep-more').hidden = !this.next;
      this.showSummary();
      this.updateOverlay();
    } catch (e) {
      this.showError(`Could not read the leaderboard: ${e.message}`);
    } finally {
      this.fetching = false;
    }
  }

  /** Without the hub, the open unfinished sweep is read every tick. */
  async poll() {
    if (!this.sweep?.id || this.live.live || settled(this.sweep)) return;
    try {
      this.receiveSweep(await getJson(`/api/sweeps/${encodeURIComponent(this.sweep.id)}`));
      this.load();
    } catch { /* the next tick retries */ }
  }

  showSummary() {
    const s = this.sweep;
    this.card.dataset.status = s.status || '';
    this.$('#sweep-title').textContent = `${s.name} · ${s.status || 'loading'}`;
    const t = s.trials;
    const counts = t ? `${t.total.toLocaleString('en-US')} trials: ${t.succeeded} succeeded, ${t.running} running, ${t.queued} queued` +
      `${t.failed ? `, ${t.failed} failed` : ''}${t.cancelled ? `, ${t.cancelled} cancelled` : ''}` : '';
    const best = s.best ? ` · best ${s.metric} ${fmt(s.best.value)} (${paramsText(s.best.params)}, #${shortId(s.best.jobId)})` : '';
    const took = s.finishedAt && s.createdAt ? ` · took ${fmtDuration(Date.parse(s.finishedAt) - Date.parse(s.createdAt))}` : '';
    this.$('#sweep-summary').textContent = `${counts}${best}${took}`;
    this.$('#sweep-cancel').hidden = !s.status || ENDED.has(s.status);
  }

  showError(text) {
    this.$('#sweep-error').textContent = text;
  }

  async cancel() {
    const id = this.sweep?.id;
    if (!id) return;
    try {
      this.receiveSweep(await postJson(`/api/sweeps/${encodeURIComponent(id)}/cancel`));
    } catch (e) {
      // 409: it ended meanwhile; read it again to show how.
      this.showError(`Cancel: ${e.message}`);
      if (e instanceof ApiError && e.status === 409) this.open(id);
    }
  }

  /** The first rows' curves on the loss chart: their jobs tracked and their histories kept, best drawn boldest. */
  updateOverlay() {
    const on = this.$('#sweep-overlay').checked;
    const ids = on ? this.rows.slice(0, OVERLAY).map(r => r.jobId) : [];
    for (const row of this.rows.slice(0, OVERLAY)) {
      if (!on) break;
      if (!this.live.tracks.has(row.jobId)) this.live.track({ id: row.jobId, status: row.status, epochsCompleted: row.epochsCompleted });
      this.live.want(row.jobId);
    }
    const changed = ids.join() !== this.overlayIds.join();
    this.overlayIds = ids;
    if (changed) this.onOverlayChanged();
  }

  overlays(id) {
    return this.overlayIds.includes(id);
  }

  /** The curves for the loss chart (see LossChart.show): the sweep's best trial first and boldest. */
  overlayTracks() {
    const bestId = this.sweep?.best?.jobId;
    return this.overlayIds.map(id => [id, this.live.tracks.get(id), this.rows.find(r => r.jobId === id)])
      .filter(([, t]) => t)
      .map(([id, t, row], i) => ({
        id, label: `trial ${paramsText(row?.params)} #${shortId(id)}`,
        color: id === bestId ? '#e8590c' : `${PALETTE[i % PALETTE.length]}80`, width: id === bestId ? 3.5 : 1.25,
        get costs() { return t.costs; }, get vals() { return t.vals; }, get hasVal() { return t.hasVal; },
        times: count => epochSeconds(t, count),
      }));
  }

  /** The user's newest sweeps; items are updated in place (kept by id), so a press never lands on a replaced button. */
  async refreshList() {
    const list = this.$('#sweep-list');
    let items;
    try {
      ({ items } = await getJson('/api/sweeps?limit=20'));
    } catch (e) {
      this.showError(`Could not list sweeps: ${e.message}`);
      return;
    }
    list.querySelector('.empty-note')?.remove();
    if (!items.length) {
      list.innerHTML = '<li class="empty-note">No sweeps yet.</li>';
      return;
    }
    const seen = new Set();
    let previous = null;
    for (const s of items) {
      seen.add(s.id);
      let li = list.querySelector(`li[data-sweep-id="${CSS.escape(s.id)}"]`);
      if (!li) li = this.listItem(s.id);
      this.updateItem(li, s);
      const expected = previous ? previous.nextSibling : list.firstChild;
      if (expected !== li) list.insertBefore(li, expected);
      previous = li;
    }
    for (const li of list.querySelectorAll('li[data-sweep-id]')) if (!seen.has(li.dataset.sweepId)) li.remove();
  }

  listItem(id) {
    const li = document.createElement('li');
    li.dataset.sweepId = id;
    li.innerHTML = '<button type="button" class="sweep-item"><span class="badge"></span><span class="sweep-name"></span><span class="sweep-counts"></span></button>';
    li.querySelector('button').dataset.sweepId = id;
    return li;
  }

  updateItem(li, s) {
    const set = (selector, text) => { const el = li.querySelector(selector); if (el.textContent !== text) el.textContent = text; };
    li.dataset.status = s.status;
    li.querySelector('button').setAttribute('aria-current', String(s.id === this.sweep?.id));
    li.querySelector('.badge').className = `badge status-${s.status}`;
    set('.badge', s.status);
    set('.sweep-name', `${s.name} #${shortId(s.id)}`);
    const ended = s.trials.succeeded + s.trials.failed + s.trials.cancelled;
    set('.sweep-counts', `${ended}/${s.trials.total} ended${s.best ? ` · best ${fmt(s.best.value)}` : ''}`);
  }
}
