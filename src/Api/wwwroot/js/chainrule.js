// The chain-rule panel: any posted graph evaluated at chosen inputs through POST /api/graphs/evaluate, drawn like
// the job graph; clicking an input shows d output/d input as a sum over paths.
import { postJson, ApiError } from './api.js';
import { formatJson } from './presets.js';
import { GraphView } from './graphview.js';
import { pathSum } from './paths.js';
import { renderPathSum } from './pathpanel.js';
import { fmt, escapeHtml } from './format.js';

const unary = (id, op, input) => ({ id, op, inputs: [input] });
export const functions = {
  'e^sin(x²)': { graph: { nodes: [{ id: 'x', op: 'input' }, unary('h', 'square', 'x'), unary('g', 'sin', 'h'), unary('f', 'exp', 'g')], output: 'f' }, inputs: { x: 0.5 } },
  'x·sin(x) (two paths)': { graph: { nodes: [{ id: 'x', op: 'input' }, unary('s', 'sin', 'x'), { id: 'f', op: 'mul', inputs: ['x', 's'] }], output: 'f' }, inputs: { x: 1.2 } },
  'σ(w·x + b)': { graph: { nodes: [{ id: 'x', op: 'input' }, { id: 'w', op: 'input' }, { id: 'b', op: 'input' },
    { id: 'z', op: 'mul', inputs: ['w', 'x'] }, { id: 'a', op: 'add', inputs: ['z', 'b'] }, unary('y', 'sigmoid', 'a')], output: 'y' }, inputs: { x: 1.5, w: -0.8, b: 0.3 } },
};

export class ChainRule {
  constructor(card) {
    this.card = card;
    this.form = card.querySelector('form');
    this.picker = this.form.elements.namedItem('function');
    this.graphField = this.form.elements.namedItem('graph');
    this.inputsField = this.form.elements.namedItem('inputs');
    this.error = card.querySelector('[data-role=chain-error]');
    this.result = card.querySelector('[data-role=chain-result]');
    this.panel = card.querySelector('[data-role=chain-paths]');
    this.view = new GraphView(card.querySelector('[data-role=chain-graph]'), { onSelect: id => this.select(id) });
    this.picker.innerHTML = Object.keys(functions).map(k => `<option>${escapeHtml(k)}</option>`).join('') + '<option value="custom">your own graph…</option>';
    this.picker.addEventListener('change', () => this.pick(this.picker.value));
    this.form.addEventListener('submit', e => { e.preventDefault(); this.evaluate(); });
    this.pick(Object.keys(functions)[0]);
  }

  pick(name) {
    const f = functions[name];
    if (!f) return;
    this.graphField.value = formatJson(f.graph);
    this.inputsField.value = JSON.stringify(f.inputs);
    this.evaluate();
  }

  async evaluate() {
    this.clearResult();
    let graph, inputs;
    try {
      graph = JSON.parse(this.graphField.value);
      inputs = JSON.parse(this.inputsField.value);
    } catch (e) {
      return this.fail(`Not valid JSON: ${e.message}`);
    }
    try {
      const r = await postJson('/api/graphs/evaluate', { graph, inputs });
      // Leaf nodes may be missing from the response's node list: rebuild them from the request and `gradients`.
      const evaluated = new Map((r.nodes || []).map(n => [n.id, n]));
      const nodes = graph.nodes.map(n => ({ ...n, ...evaluated.get(n.id),
        value: evaluated.get(n.id)?.value ?? inputs[n.id] ?? n.value,
        gradient: evaluated.get(n.id)?.gradient ?? r.gradients?.[n.id] ?? (n.id === graph.output ? 1 : null) }));
      this.graph = { nodes, edges: r.edges || [], output: graph.output };
      if (r.value === null || r.value === undefined || !Number.isFinite(r.value)) {
        // JSON has no ±∞ or NaN: the service sends null, e.g. for log at 0. Say so rather than print dashes.
        this.result.textContent = 'f is not a finite number at these inputs (for example log 0 = −∞), so it has no gradient here; try other inputs.';
      } else {
        this.result.innerHTML = `f = <b>${fmt(r.value, 6)}</b>` + Object.entries(r.gradients || {})
          .map(([k, v]) => ` · ∂f/∂${escapeHtml(k)} = <b>${fmt(v, 6)}</b>`).join('');
      }
      this.selected = Object.keys(inputs)[0] ?? null;
      this.draw();
    } catch (e) {
      if (e instanceof ApiError && e.problem.errors) {
        // The detail repeats the field errors: show each once, with its field.
        this.fail(Object.entries(e.problem.errors).map(([k, v]) => `${k}: ${[].concat(v).join(' ')}`).join('\n'));
      } else this.fail(e.message);
    }
  }

  /** Nothing of an earlier evaluation stays on screen once a new one starts (or fails). */
  clearResult() {
    this.error.hidden = true;
    this.error.textContent = '';
    this.result.textContent = '';
    this.graph = null;
    this.panel.hidden = true;
    this.view.clear('');
  }

  fail(message) {
    this.error.textContent = message;
    this.error.hidden = false;
  }

  select(id) {
    this.selected = id;
    this.draw();
  }

  draw() {
    if (!this.graph) return;
    const root = this.graph.output;
    const node = this.graph.nodes.find(n => n.id === this.selected);
    let highlight = new Set();
    if (node) {
      const result = pathSum(this.graph.edges, node.id, root);
      highlight = result.edgesOnPaths;
      renderPathSum(this.panel, { node, root, result, what: 'f',
        tensorHint: 'Give every input a single number (not a list) to see the chain rule edge by edge.' });
    } else this.panel.hidden = true;
    this.view.render(this.graph, { selected: this.selected, highlight, root });
  }
}
