// Number, time and id formatting shared by the panels.

export function fmt(x, digits = 4) {
  if (x === null || x === undefined || Number.isNaN(x)) return '—';
  if (typeof x !== 'number') return String(x);
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  const s = a >= 1e5 || a < 1e-3 ? x.toExponential(digits - 1) : Number(x.toPrecision(digits)).toString();
  return minus(s);
}

/** Every ASCII hyphen-minus as U+2212, the mantissa's and the exponent's alike. */
export const minus = s => s.replace(/-/g, '−');

const SUPERSCRIPT = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '-': '⁻' };
const superscript = n => String(n).replace(/[0-9-]/g, c => SUPERSCRIPT[c]);

/**
 * One format for all of an axis' tick labels: powers of ten as 10⁻⁴ on a log axis; otherwise plain decimals with the
 * same number of places, or exponents for all when any label would need one.
 */
export function ticks(values, log) {
  const shown = values.filter(v => v !== null && v !== undefined && Number.isFinite(v));
  if (log) return values.map(v => (v === null || v === undefined ? '' : `10${superscript(Math.round(Math.log10(v)))}`));
  const nonZero = shown.filter(v => v !== 0).map(Math.abs);
  const exponential = nonZero.some(a => a >= 1e5 || a < 1e-3);
  const step = shown.length > 1 ? Math.abs(shown[1] - shown[0]) : 1;
  const places = Math.min(10, Math.max(0, -Math.floor(Math.log10(step || 1) + 1e-9)));
  return values.map(v => {
    if (v === null || v === undefined) return '';
    if (v === 0) return '0';
    return minus(exponential ? v.toExponential(1) : v.toFixed(places));
  });
}

export function fmtDuration(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 90) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 90) return `${m} min ${Math.round(s - m * 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

// The tail of the id: ids are time-ordered (UUIDv7), so their heads look alike.
export const shortId = id => String(id).replace(/-/g, '').slice(-6);

export function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

export const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);
export const isTerminal = job => TERMINAL.has(job.status);
