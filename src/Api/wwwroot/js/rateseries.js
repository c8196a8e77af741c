// Which of the loss chart's jobs get a learning-rate line on its secondary axis, and how that axis is scaled.
import { fmt } from './format.js';

/**
 * The tracks whose rate is drawn, and the note shown instead when none is. Tracks carry `rate(epoch)` and
 * `constantRate` (the rate when it never changes, else null). When every shown job trains at one and the same
 * constant rate a flat line says nothing the note does not, so it is left out; as soon as a schedule, or a second
 * constant rate, is on the chart every job's line is drawn (flat ones too) so the runs can be compared.
 */
export function rateTracks(tracks, show) {
  const withRate = tracks.filter(t => typeof t.rate === 'function');
  if (!show || !withRate.length) return { drawn: new Set(), note: '' };
  const constants = new Set(withRate.map(t => t.constantRate));
  if (!constants.has(null) && constants.size === 1) return { drawn: new Set(), note: `constant ${fmt(withRate[0].constantRate)}` };
  return { drawn: new Set(withRate), note: '' };
}

/** A log axis once the rates span two decades or more (a step schedule's drops, a long decay); linear otherwise. */
export function rateAxisIsLog(series) {
  let min = Infinity, max = -Infinity;
  for (const values of series) for (const v of values) if (v !== null && v !== undefined) { min = Math.min(min, v); max = Math.max(max, v); }
  return min > 0 && Number.isFinite(max) && max / min >= 100;
}
