// Node values arrive as a number, a (nested) array, or {dimensions, values}: flatten them to one shape.

export function flat(v) {
  if (v === null || v === undefined) return { values: [], dims: [] };
  if (typeof v === 'number') return { values: [v], dims: [] };
  if (Array.isArray(v)) {
    if (v.length && Array.isArray(v[0])) return { values: v.flat(Infinity), dims: [v.length, v[0].length] };
    return { values: v.slice(), dims: [v.length] };
  }
  if (Array.isArray(v.values)) return { values: v.values, dims: v.dimensions || v.shape || [v.values.length] };
  return { values: [], dims: [] };
}

/** The single number of a scalar (or one-element) tensor, else null. */
export function scalar(v) {
  const f = flat(v);
  return f.values.length === 1 ? f.values[0] : null;
}
