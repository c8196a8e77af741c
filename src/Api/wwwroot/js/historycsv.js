// A job's history as CSV (one row per epoch, the columns of GET /history), saved from what the page holds.

const cell = v => (v === null || v === undefined ? '' : String(v));

/** track: { costs, vals, accs, valAccs } with index i = epoch i + 1. */
export function historyCsv(track) {
  const lines = ['epoch,cost,validationCost,accuracy,validationAccuracy'];
  for (let i = 0; i < track.costs.length; i++) {
    lines.push([i + 1, track.costs[i], track.vals[i], track.accs?.[i], track.valAccs?.[i]].map(cell).join(','));
  }
  return lines.join('\n') + '\n';
}

export function saveCsv(text, name) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 0);
}
