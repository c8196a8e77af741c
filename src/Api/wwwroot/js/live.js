// Live job data: the SignalR connection, one Track per job, and the history/stream merge of the contract:
// Subscribe returns the job with epochsCompleted k; /history holds every epoch up to k (and everything streamed);
// streamed points with epoch > k follow, exactly once and in order.
/* global signalR */
import { getJson, ApiError } from './api.js';
import { apiKey } from './auth.js';
import { isTerminal } from './format.js';
import { hubProtocol } from './hubprotocol.js';
import { markEpoch } from './walltime.js';

const PAGE = 20000; // history points per request; a service configured for fewer gets its own default page

export class Track {
  constructor(job) {
    this.id = job.id;
    this.job = job;
    this.costs = [];
    this.vals = [];
    this.hasVal = false;
    // Classification jobs carry accuracy per epoch (null for mse): kept beside the costs, epoch for epoch.
    this.accs = [];
    this.valAccs = [];
    this.hasAcc = false;
    this.marks = [];        // { epoch, ms since start } seen live, for the chart's time axis (walltime.js)
    this.wanted = false;    // someone shows this job's curve: keep its full history in memory
    this.known = job.epochsCompleted || 0; // highest epoch known to be in /history
    this.pending = [];
    this.syncing = false;
    this.resync = false;
    this.subscribed = false;
  }

  get lastEpoch() {
    return this.costs.length;
  }

  /** Appends contiguous points; returns false when a gap shows that /history must be read first. */
  append(points) {
    for (const p of points) {
      if (p.epoch <= this.lastEpoch) continue;
      if (p.epoch !== this.lastEpoch + 1) {
        this.known = Math.max(this.known, p.epoch);
        return false;
      }
      this.costs.push(p.cost);
      this.vals.push(p.validationCost ?? null);
      this.accs.push(p.accuracy ?? null);
      this.valAccs.push(p.validationAccuracy ?? null);
      if (p.accuracy !== null && p.accuracy !== undefined) this.hasAcc = true;
      if (p.validationCost !== null && p.validationCost !== undefined) this.hasVal = true;
    }
    return true;
  }
}

export class LiveJobs {
  constructor({ onJob, onPoints, onConnection }) {
    this.tracks = new Map();
    this.pageLimit = PAGE;
    this.onJob = onJob;
    this.onPoints = onPoints;
    this.onConnection = onConnection;
    const protocol = hubProtocol();
    this.protocol = protocol.name; // 'messagepack', or 'json' when its script did not load
    this.connection = new signalR.HubConnectionBuilder()
      .withUrl('/hubs/training', { accessTokenFactory: apiKey })
      .withHubProtocol(protocol)
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => Math.min(10000, 500 * 2 ** ctx.previousRetryCount) })
      .configureLogging(signalR.LogLevel.Warning)
      .build();
    this.connection.on('epochs', message => this.receivePoints(message));
    this.connection.on('status', job => this.receiveJob(job));
    this.connection.onreconnecting(() => this.setState('reconnecting'));
    this.connection.onreconnected(() => { this.setState('live'); this.resubscribeAll(); });
    this.connection.onclose(() => { this.setState('offline'); setTimeout(() => this.start(), 5000); });
    // Without a live connection, poll the running jobs that are on screen (history stays the source of truth).
    setInterval(() => this.poll(), 1000);
  }

  get live() {
    return this.connection.state === signalR.HubConnectionState.Connected;
  }

  setState(state) {
    this.onConnection(state);
  }

  async start() {
    if (this.connection.state !== signalR.HubConnectionState.Disconnected) return;
    this.setState('connecting');
    try {
      await this.connection.start();
      this.setState('live');
      this.resubscribeAll();
    } catch {
      this.setState('offline');
      setTimeout(() => this.start(), 5000);
    }
  }

  track(job) {
    let t = this.tracks.get(job.id);
    if (!t) {
      t = new Track(job);
      this.tracks.set(job.id, t);
      this.subscribe(t);
    } else {
      this.mergeJob(t, job);
    }
    return t;
  }

  mergeJob(t, job) {
    if (isTerminal(t.job) && !isTerminal(job)) return; // an object read before the job finished
    const epochsCompleted = isTerminal(job) ? job.epochsCompleted : Math.max(job.epochsCompleted || 0, t.job.epochsCompleted || 0);
    t.job = { ...t.job, ...job, epochsCompleted };
    t.known = Math.max(t.known, epochsCompleted || 0);
  }

  want(id) {
    const t = this.tracks.get(id);
    if (!t) return null;
    t.wanted = true;
    this.sync(t);
    return t;
  }

  async subscribe(t) {
    if (!this.live || isTerminal(t.job)) return;
    try {
      const job = await this.connection.invoke('Subscribe', t.id);
      t.subscribed = true;
      this.mergeJob(t, job);
      this.onJob(t);
      if (t.wanted) this.sync(t);
    } catch (e) {
      console.warn(`Subscribe(${t.id}) failed`, e);
    }
  }

  resubscribeAll() {
    for (const t of this.tracks.values()) this.subscribe(t);
  }

  receiveJob(job) {
    const t = this.tracks.get(job.id);
    if (!t) return;
    this.mergeJob(t, job);
    this.onJob(t);
    if (t.wanted) this.sync(t);
    if (isTerminal(t.job) && t.subscribed) {
      t.subscribed = false;
      this.connection.invoke('Unsubscribe', t.id).catch(() => {});
    }
  }

  receivePoints({ jobId, points }) {
    const t = this.tracks.get(jobId);
    if (!t || !points?.length) return;
    const last = points[points.length - 1];
    t.known = Math.max(t.known, last.epoch);
    if (!isTerminal(t.job)) {
      t.job = { ...t.job, status: 'running', epochsCompleted: Math.max(t.job.epochsCompleted || 0, last.epoch),
                cost: last.cost, validationCost: last.validationCost ?? t.job.validationCost };
      markEpoch(t, last.epoch);
    }
    if (t.wanted) {
      if (t.syncing) t.pending.push(...points);
      else if (!t.append(points)) this.sync(t);
      this.onPoints(t);
    }
    this.onJob(t);
  }

  /** Reads /history from the last epoch held up to the last known epoch, then drains what streamed meanwhile. */
  async sync(t) {
    if (t.syncing) { t.resync = true; return; }
    t.syncing = true;
    try {
      do {
        t.resync = false;
        while (t.lastEpoch < t.known) {
          const page = await this.history(t.id, t.lastEpoch);
          if (!page.points?.length) break;
          t.append(page.points);
          this.onPoints(t);
        }
        const pending = t.pending;
        t.pending = [];
        if (!t.append(pending)) t.resync = true;
      } while (t.resync);
    } catch (e) {
      console.warn(`history of ${t.id}`, e);
    } finally {
      t.syncing = false;
    }
    this.onPoints(t);
  }

  async history(id, after) {
    const path = `/api/jobs/${encodeURIComponent(id)}/history?after=${after}`;
    if (this.pageLimit !== null) {
      try {
        return await getJson(`${path}&limit=${this.pageLimit}`);
      } catch (e) {
        if (!(e instanceof ApiError) || e.status !== 400) throw e;
        this.pageLimit = null; // the service's page limit is lower than ours: let it choose
      }
    }
    return getJson(path);
  }

  async poll() {
    if (this.live) return;
    for (const t of this.tracks.values()) {
      if (!t.wanted || isTerminal(t.job)) continue;
      try {
        this.mergeJob(t, await getJson(`/api/jobs/${encodeURIComponent(t.id)}`));
        this.onJob(t);
        this.sync(t);
      } catch { /* the next tick retries */ }
    }
  }
}
