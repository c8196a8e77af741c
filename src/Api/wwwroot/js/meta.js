// What the page remembers about jobs it started (label, and the points of small datasets for the decision
// boundary), in localStorage so a reload still has it; other jobs' datasets are read from the API when it has them.
import { getJson } from './api.js';

const key = id => `backprop.job.${id}`;
const MAX_ROWS = 5000;
const MAX_FORM_CHARS = 300_000;

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

/** form: the Train form's fields as submitted (clone-and-edit puts them back); dropped when large. */
export function saveJobMeta(id, { label, dataset, form }) {
  const small = dataset?.features?.length <= MAX_ROWS ? { features: dataset.features, targets: dataset.targets, labels: dataset.labels } : null;
  const kept = form && JSON.stringify(form).length <= MAX_FORM_CHARS ? form : null;
  cache.set(id, { label, dataset: small, form: kept });
  try {
    localStorage.setItem(key(id), JSON.stringify({ label, dataset: small, form: kept }));
  } catch { /* storage full or off: the page still works, without the points after a reload */ }
}

/**
 * The Train form's fields that make this job again: as submitted when this page made it; otherwise rebuilt from the
 * API (its settings as the job object states them, its network's graph, its dataset's rows).
 */
export async function formOf(job) {
  const saved = jobMeta(job.id)?.form;
  if (saved) return saved;
  const [network, rows] = await Promise.all([
    getJson(`/api/networks/${encodeURIComponent(job.networkId)}`),
    getJson(`/api/datasets/${encodeURIComponent(job.datasetId)}/rows?limit=10000`),
  ]);
  const drop = value => JSON.parse(JSON.stringify(value, (k, v) => (v === null ? undefined : v)));
  const graph = { nodes: network.graph.nodes.map(n => drop({ id: n.id, op: n.op, inputs: n.inputs.length ? n.inputs : undefined, shape: n.shape, init: n.init, value: n.value, exponent: n.exponent, alpha: n.alpha })),
                  output: network.graph.output, loss: network.graph.loss ?? undefined };
  return {
    preset: 'custom', network: JSON.stringify(drop({ name: network.name, graph }), null, 2),
    dataset: JSON.stringify({ name: 'dataset', features: rows.features, targets: rows.targets }),
    epochs: String(job.epochs), learningRate: String(job.learningRate), optimizer: job.optimizer,
    batchSize: job.batchSize ? String(job.batchSize) : '', seed: String(job.seed), recordGradientNorms: Boolean(job.recordGradientNorms),
  };
}

// The points of a job's dataset: those the page itself posted (kept per job in localStorage), else read from
// GET /api/datasets/{id}/rows when the dataset has two features; otherwise just its feature count.
export async function datasetOf(job) {
  const local = jobMeta(job.id)?.dataset;
  if (local) return local;
  const id = encodeURIComponent(job.datasetId);
  try {
    const summary = await getJson(`/api/datasets/${id}`);
    if (summary.featureCount !== 2) return { featureCount: summary.featureCount, features: null };
    const rows = await getJson(`/api/datasets/${id}/rows?limit=${MAX_ROWS}`)
      .catch(e => (e.status === 400 ? getJson(`/api/datasets/${id}/rows`) : Promise.reject(e))); // a lower Limits:MaxPredictRows
    return { featureCount: 2, features: rows.features, targets: rows.targets };
  } catch {
    return null;
  }
}
