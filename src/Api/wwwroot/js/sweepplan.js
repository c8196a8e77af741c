// A sweep's varied fields as the form holds them (one row per field: grid values or a random range) → the request's
// `grid` and `random`, and the trial count the server will expand them to: the grid's cartesian product (every list's
// length multiplied), times random.count when anything is drawn. Problems the page can see before posting (an empty
// list, a field varied twice, bounds that are not two numbers) come back per row; the server checks everything else.

export const MODES = ['grid', 'uniform', 'logUniform', 'choice'];

/** One listed value: JSON when it reads as JSON (numbers, true/false, "quoted"), else the text itself (e.g. adam). */
function value(token) {
  try {
    return JSON.parse(token);
  } catch {
    return token;
  }
}

/** "0.1, 0.5, 1" or a JSON array "[0.1, 0.5]" → the values, in order. */
export function parseValues(text) {
  const trimmed = String(text ?? '').trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[')) {
    const parsed = JSON.parse(trimmed);
    if (!Array.isArray(parsed)) throw new Error('not a list');
    return parsed;
  }
  return trimmed.split(',').map(s => s.trim()).filter(s => s !== '').map(value);
}

/**
 * rows: [{ field, mode, values (text) }]; random: { count, seed } (numbers or null).
 * → { grid, random, count, errors: Map(row index → message), countError }: `grid`/`random` are null when unused;
 * `count` is null while the rows cannot be expanded.
 */
export function planSweep(rows, random) {
  const grid = {}, space = {}, errors = new Map(), seen = new Set();
  rows.forEach((row, i) => {
    const field = String(row.field ?? '').trim();
    if (!field) { errors.set(i, 'choose a field'); return; }
    if (seen.has(field)) { errors.set(i, `${field} is varied twice; vary each field once`); return; }
    seen.add(field);
    let values;
    try {
      values = parseValues(row.values);
    } catch (e) {
      errors.set(i, `not a list of values: ${e.message}`);
      return;
    }
    if (row.mode === 'grid') {
      if (!values.length) errors.set(i, 'list at least one value');
      else grid[field] = values;
    } else if (row.mode === 'choice') {
      if (!values.length) errors.set(i, 'list at least one value to choose from');
      else space[field] = { choice: values };
    } else if (row.mode === 'uniform' || row.mode === 'logUniform') {
      if (values.length !== 2 || values.some(v => typeof v !== 'number')) errors.set(i, 'give two numbers: low, high');
      else space[field] = { [row.mode]: values };
    } else {
      errors.set(i, `unknown mode ${row.mode}`);
    }
  });
  const drawing = Object.keys(space).length > 0 || rows.some(r => r.mode !== 'grid');
  const axes = Object.values(grid);
  let countError = null;
  if (!rows.length) countError = 'add a field to vary';
  else if (drawing && !(Number.isInteger(random.count) && random.count >= 1)) countError = 'random draws need a count of at least 1';
  const count = errors.size || countError ? null
    : axes.reduce((product, list) => product * list.length, 1) * (drawing ? random.count : 1);
  return {
    grid: axes.length ? grid : null,
    random: drawing ? { count: random.count, seed: random.seed ?? 0, space } : null,
    count,
    errors,
    countError,
  };
}
