// Draws a computational graph with dagre's layered layout as SVG: one box per node (op, value, gradient), edges
// labelled with their local derivative. Clicking a node reports it; the path edges of a selection are highlighted.
/* global dagre */
import { fmt, escapeHtml } from './format.js';
import { flat } from './tensor.js';

const SVG = 'http://www.w3.org/2000/svg';
const NODE_H = 64;

function brief(v) {
  const { values, dims } = flat(v);
  if (!values.length) return '—';
  if (!dims.length) return fmt(values[0]);
  const head = values.slice(0, 2).map(x => fmt(x, 3)).join(', ');
  return `[${head}${values.length > 2 ? ', …' : ''}]`;
}

function kind(node) {
  if (node.op === 'input' || node.op === 'target' || node.op === 'constant') return 'leaf';
  if (node.op === 'parameter' || /^layers\.\d+\.(weights|bias)/.test(node.id)) return 'param';
  if (/cross_entropy|mse/.test(node.op)) return 'loss';
  return 'op';
}

function el(name, attrs = {}, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

export class GraphView {
  constructor(container, { onSelect }) {
    this.container = container;
    this.onSelect = onSelect;
    container.addEventListener('click', e => {
      const node = e.target.closest('[data-node-id]');
      if (node) this.onSelect(node.dataset.nodeId);
    });
    // Nodes take focus (tabindex): Enter or Space selects one, as a click does.
    container.addEventListener('keydown', e => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      const node = e.target.closest('[data-node-id]');
      if (!node) return;
      e.preventDefault();
      this.focusAfterRender = node.dataset.nodeId;
      this.onSelect(node.dataset.nodeId);
    });
  }

  layout(graph, rankdir) {
    const g = new dagre.graphlib.Graph({ multigraph: true });
    const big = graph.nodes.length > 20;
    g.setGraph({ rankdir, nodesep: big ? 12 : 18, ranksep: big ? 40 : 56, edgesep: 8, marginx: 10, marginy: 10 });
    const chars = n => Math.max(n.id.length, n.op.length * 0.9, brief(n.value).length + 2, brief(n.gradient).length + 2, 13);
    const width = n => Math.min(220, Math.max(100, 6.5 * chars(n) + 18));
    for (const n of graph.nodes) g.setNode(n.id, { width: width(n), height: NODE_H, node: n });
    graph.edges.forEach((e, i) => {
      if (!g.hasNode(e.from) || !g.hasNode(e.to)) return;
      const label = typeof e.localDerivative === 'number' ? fmt(e.localDerivative, 3) : '';
      g.setEdge(e.from, e.to, { label, width: label ? label.length * 6.4 + 8 : 0, height: label ? 14 : 0, labelpos: 'c', edge: e }, `e${i}`);
    });
    dagre.layout(g);
    return g;
  }

  /** graph: { nodes: [{ id, op, shape, value, gradient }], edges: [{ from, to, localDerivative }] } */
  render(graph, { selected = null, highlight = new Set(), root = null } = {}) {
    // Left to right reads like the textbook pictures; a wide unrolled graph fits its card better top to bottom.
    const available = Math.max(320, this.container.clientWidth - 4);
    let g = this.layout(graph, 'LR');
    if (available / g.graph().width < 0.8) {
      const tall = this.layout(graph, 'TB');
      if (tall.graph().width < g.graph().width) g = tall;
    }
    const { width: w, height: h } = g.graph();
    // Fit the container's width, but never shrink text below 60%: past that the view scrolls sideways.
    const scale = Math.min(1, Math.max(0.6, available / w));
    const svg = el('svg', { viewBox: `0 0 ${w} ${h}`, width: Math.round(w * scale), height: Math.round(h * scale), class: 'graph-svg', role: 'group',
                          'aria-label': `computational graph, ${graph.nodes.length} nodes: Tab to a node, Enter to explain its gradient` });
    svg.appendChild(el('defs')).innerHTML = `
      <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
        <path d="M0,0 L10,5 L0,10 z" fill="#a3aab8"/></marker>
      <marker id="arrow-hot" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
        <path d="M0,0 L10,5 L0,10 z" fill="#e8590c"/></marker>`;
    const edgeLayer = svg.appendChild(el('g', { class: 'edges' }));
    const labelLayer = el('g', { class: 'edge-labels' });
    for (const ref of g.edges()) {
      const edge = g.edge(ref);
      const hot = highlight.has(`${ref.v}\u0000${ref.w}`);
      const pts = edge.points;
      let d = `M${pts[0].x},${pts[0].y}`;
      for (let i = 1; i < pts.length - 1; i++) {
        const mx = (pts[i].x + pts[i + 1].x) / 2, my = (pts[i].y + pts[i + 1].y) / 2;
        d += ` Q${pts[i].x},${pts[i].y} ${i === pts.length - 2 ? `${pts[i + 1].x},${pts[i + 1].y}` : `${mx},${my}`}`;
      }
      if (pts.length === 2) d += ` L${pts[1].x},${pts[1].y}`;
      edgeLayer.append(el('path', { d, class: hot ? 'edge hot' : 'edge', 'marker-end': `url(#${hot ? 'arrow-hot' : 'arrow'})`,
                                    'data-from': ref.v, 'data-to': ref.w }));
      if (edge.label) {
        const lg = labelLayer.appendChild(el('g', { class: hot ? 'edge-label hot' : 'edge-label', transform: `translate(${edge.x},${edge.y})` }));
        lg.append(el('rect', { x: -edge.width / 2, y: -8, width: edge.width, height: 15, rx: 4 }));
        lg.append(el('text', { 'text-anchor': 'middle', y: 3.5 }, edge.label));
      }
    }
    svg.append(labelLayer);

    const nodeLayer = svg.appendChild(el('g', { class: 'nodes' }));
    for (const id of g.nodes()) {
      const { x, y, width: nw, node } = g.node(id);
      const classes = ['node', kind(node)];
      if (id === selected) classes.push('selected');
      if (id === root) classes.push('root');
      const ng = nodeLayer.appendChild(el('g', { class: classes.join(' '), transform: `translate(${x - nw / 2},${y - NODE_H / 2})`,
                                                 'data-node-id': id, 'data-op': node.op, tabindex: 0, role: 'button' }));
      ng.append(el('title', {}, `${id} (${node.op})${node.shape ? ` shape [${node.shape}]` : ''}\nvalue ${brief(node.value)}\ngradient ${brief(node.gradient)}`));
      ng.append(el('rect', { width: nw, height: NODE_H, rx: 9 }));
      ng.append(el('text', { x: 8, y: 15, class: 'node-id' }, id.length > 26 ? `${id.slice(0, 25)}…` : id));
      ng.append(el('text', { x: 8, y: 28, class: 'node-op' }, node.op));
      ng.append(el('text', { x: 8, y: 43, class: 'node-value' }, `v ${brief(node.value)}`));
      ng.append(el('text', { x: 8, y: 57, class: 'node-grad' }, `∂ ${brief(node.gradient)}`));
    }

    const scroll = this.container.scrollLeft;
    this.container.replaceChildren(svg);
    this.container.scrollLeft = scroll;
    // A keyboard selection redraws the graph: keep the focus on the node that was chosen.
    if (this.focusAfterRender) {
      svg.querySelector(`[data-node-id="${CSS.escape(this.focusAfterRender)}"]`)?.focus();
      this.focusAfterRender = null;
    }
    this.container.dataset.nodeCount = graph.nodes.length;
  }

  clear(message) {
    this.container.innerHTML = `<p class="empty-note">${escapeHtml(message)}</p>`;
    this.container.dataset.nodeCount = 0;
  }
}
