// What a layered network must look like for a dataset: its input count, and the output head and loss that fit its
// targets. Also tells the layered form of the network JSON (which the builder edits) from the graph form (which it
// cannot).

export const ACTIVATIONS = ['tanh', 'relu', 'leaky_relu', 'sigmoid', 'identity'];

/** The output heads the builder offers: each is an output activation with the loss made for it. */
export const HEADS = {
  binary: { activation: 'sigmoid', loss: 'binary_cross_entropy', label: 'sigmoid · binary cross-entropy' },
  softmax: { activation: 'softmax', loss: 'cross_entropy', label: 'softmax · cross-entropy' },
  regression: { activation: 'identity', loss: 'mse', label: 'identity · mean squared error' },
};

export function headOf(activation, loss) {
  return Object.keys(HEADS).find(k => HEADS[k].activation === activation && HEADS[k].loss === loss) || null;
}

const isBit = v => v === 0 || v === 1;

/** Inputs, outputs and the fitting head of a JSON dataset ({features, targets | labels}); null if it cannot tell. */
function jsonShape(data) {
  const features = data?.features, inputs = Array.isArray(features?.[0]) ? features[0].length : null;
  if (Array.isArray(data?.labels)) return { inputs, outputs: Math.max(...data.labels) + 1, head: 'softmax' };
  const targets = data?.targets;
  if (!Array.isArray(targets) || !Array.isArray(targets[0])) return inputs ? { inputs, outputs: null, head: null } : null;
  const outputs = targets[0].length;
  return { inputs, outputs, head: headFor(targets, outputs) };
}

/** One 0/1 column (or several independent ones): sigmoid; several one-hot columns: softmax; anything else: identity. */
function headFor(rows, outputs) {
  if (!rows.every(r => r.every(isBit))) return 'regression';
  if (outputs > 1 && rows.every(r => r.reduce((a, b) => a + b, 0) === 1)) return 'softmax';
  return 'binary';
}

/** A CSV dataset with named target columns: a non-numeric target is one-hot encoded by the service (softmax). */
function csvShape(text, targetNames) {
  const lines = text.trim().split(/\r?\n/).filter(l => l.trim());
  if (lines.length < 2) return null;
  const header = lines[0].split(',').map(s => s.trim());
  const rows = lines.slice(1).map(l => l.split(',').map(s => s.trim()));
  const targetIndexes = targetNames.map(t => header.indexOf(t)).filter(i => i >= 0);
  const inputs = header.length - targetIndexes.length;
  if (!targetIndexes.length) return { inputs, outputs: null, head: null };
  const columns = targetIndexes.map(i => rows.map(r => r[i]));
  const numeric = columns.every(c => c.every(v => v !== '' && Number.isFinite(Number(v))));
  if (numeric) return { inputs, outputs: columns.length, head: headFor(rows.map(r => targetIndexes.map(i => Number(r[i]))), columns.length) };
  if (columns.length === 1) return { inputs, outputs: new Set(columns[0]).size, head: 'softmax' };
  return { inputs, outputs: null, head: null };
}

/** The dataset text as the form holds it (JSON or CSV with its target columns) → { inputs, outputs, head } or null. */
export function datasetShape(text, targetColumns) {
  const trimmed = String(text || '').trimStart();
  if (!trimmed) return null;
  if (trimmed.startsWith('{')) {
    try { return jsonShape(JSON.parse(trimmed)); } catch { return null; }
  }
  return csvShape(trimmed, String(targetColumns || '').split(',').map(s => s.trim()).filter(Boolean));
}

/** The network JSON as a layered network the builder can show, or null (graph form, or not valid JSON). */
export function layeredOf(text) {
  let network;
  try { network = JSON.parse(text); } catch { return null; }
  if (!network || typeof network !== 'object' || network.graph || !Array.isArray(network.layers) || !network.layers.length) return null;
  const layersOk = network.layers.every(l => l && Number.isInteger(l.units) && l.units > 0 && typeof l.activation === 'string');
  return layersOk && Number.isInteger(network.inputs) ? network : null;
}
