// Draws a layered network as columns of units (input, hidden layers, output) joined by their connections. A wide
// layer shows its first few units and "+n" for the rest, so the drawing stays readable at any width.

const SVG = 'http://www.w3.org/2000/svg';
const SHOWN = 5; // units drawn per column before the rest collapse into "+n"
const COLUMN = 78, TOP = 14, ROW = 22, RADIUS = 7;

function el(name, attrs, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** columns: [{ units, label, kind: 'input' | 'hidden' | 'output' }]. Replaces svg's content. */
export function drawNetwork(svg, columns) {
  svg.replaceChildren();
  const drawn = columns.map(c => Math.min(c.units, c.units > SHOWN ? SHOWN - 1 : SHOWN));
  const rows = Math.max(...drawn.map((d, i) => d + (columns[i].units > d ? 1 : 0)), 1);
  const height = TOP + rows * ROW + 24, width = columns.length * COLUMN;
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const centre = (i, j, count) => [COLUMN / 2 + i * COLUMN, TOP + ROW / 2 + (rows - count) * ROW / 2 + j * ROW];
  const edges = el('g', { class: 'edges' });
  const nodes = el('g', { class: 'nodes' });
  columns.forEach((column, i) => {
    const count = drawn[i] + (column.units > drawn[i] ? 1 : 0);
    for (let j = 0; j < drawn[i]; j++) {
      const [x, y] = centre(i, j, count);
      nodes.append(el('circle', { cx: x, cy: y, r: RADIUS, class: column.kind }));
      if (i > 0) {
        const before = drawn[i - 1] + (columns[i - 1].units > drawn[i - 1] ? 1 : 0);
        for (let k = 0; k < drawn[i - 1]; k++) {
          const [px, py] = centre(i - 1, k, before);
          edges.append(el('line', { x1: px + RADIUS, y1: py, x2: x - RADIUS, y2: y }));
        }
      }
    }
    if (column.units > drawn[i]) {
      const [x, y] = centre(i, drawn[i], count);
      nodes.append(el('text', { x, y: y + 4, class: 'more' }, `+${column.units - drawn[i]}`));
    }
    nodes.append(el('text', { x: COLUMN / 2 + i * COLUMN, y: height - 8, class: 'label' }, column.label));
  });
  svg.append(edges, nodes);
  svg.setAttribute('aria-label', `network: ${columns.map(c => `${c.units} ${c.label.replace(/^\d+\s*/, '')}`).join(', then ')}`);
  svg.dataset.shape = columns.map(c => c.units).join('-');
}
