// What the page remembers about jobs it started (label, and the points of small datasets for the decision
// boundary), in localStorage so a reload still has it; other jobs' datasets are read from the API when it has them.
import { getJson } from './api.js';

const key = id => `backprop.job.${id}`;
const MAX_ROWS = 5000;

const cache = new Map();
const networkNames = new Map();

export function jobMeta(id) {
  if (!cache.has(id)) {
    try {
      cache.set(id, JSON.parse(localStorage.getItem(key(id)) || 'null'));
    } catch {
      cache.set(id, null);
    }
  }
  return cache.get(id);
}

/** The name of a job's network, for jobs this page did not start; null until loaded (then onLoaded is called). */
export function networkName(job, onLoaded) {
  const id = job.networkId;
  if (!id) return null;
  if (!networkNames.has(id)) {
    networkNames.set(id, null);
    getJson(`/api/networks/${encodeURIComponent(id)}`)
      .then(n => { networkNames.set(id, n.name || null); onLoaded(); })
      .catch(() => {});
  }
  return networkNames.get(id);
}

export function saveJobMeta(id, { label, dataset }) {
  const small = dataset?.features?.length <= MAX_ROWS ? { features: dataset.features, targets: dataset.targets, labels: dataset.labels } : null;
  cache.set(id, { label, dataset: small });
  try {
    localStorage.setItem(key(id), JSON.stringify({ label, dataset: small }));
  } catch { /* storage full or off: the page still works, without the points after a reload */ }
}

// The points the page itself posted (kept per job in localStorage). The API returns a dataset's summary, not its
// numbers, so a job this page did not start has none to draw.
export async function datasetOf(job) {
  return jobMeta(job.id)?.dataset ?? null;
}
