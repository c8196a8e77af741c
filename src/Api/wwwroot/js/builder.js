// The network builder: hidden layers (units and activation each) and an output head whose loss fits the dataset,
// drawn as they are built. It writes the layered network JSON into the form's network editor; editing that JSON by
// hand re-syncs the builder, and a graph-form network leaves the builder idle (the editor is the only way to edit it).
import { ACTIVATIONS, HEADS, headOf, datasetShape, layeredOf } from './networkshape.js';
import { formatJson } from './presets.js';
import { drawNetwork } from './builderdiagram.js';

const MAX_UNITS = 256;

export class NetworkBuilder {
  /** root: the builder's fieldset; form: the train form (network, dataset, targetColumns); onWrite: after each write. */
  constructor(root, form, onWrite) {
    this.root = root;
    this.form = form;
    this.onWrite = onWrite;
    this.layersEl = root.querySelector('[data-role=builder-layers]');
    this.head = root.querySelector('[data-role=builder-head]');
    this.head.innerHTML = Object.entries(HEADS).map(([k, h]) => `<option value="${k}">${h.label}</option>`).join('');
    this.note = root.querySelector('[data-role=builder-note]');
    this.diagram = root.querySelector('[data-role=builder-diagram]');
    this.network = null;
    root.querySelector('[data-action=add-layer]').addEventListener('click', () => this.addLayer());
    this.head.addEventListener('change', () => this.write());
    this.field('network').addEventListener('input', () => this.sync());
    for (const name of ['dataset', 'targetColumns']) this.field(name).addEventListener('input', () => this.fitDataset());
    this.layersEl.addEventListener('input', e => this.editLayer(e.target));
    this.layersEl.addEventListener('change', e => this.editLayer(e.target));
    this.layersEl.addEventListener('click', e => {
      const button = e.target.closest('[data-action=remove-layer]');
      if (button) this.removeLayer(Number(button.closest('[data-layer]').dataset.layer));
    });
  }

  field(name) { return this.form.elements.namedItem(name); }

  shape() { return datasetShape(this.field('dataset').value, this.field('targetColumns').value); }

  /** Shows the network JSON as it now is: the builder for a layered network, a note for anything else. */
  sync() {
    this.network = layeredOf(this.field('network').value);
    this.root.dataset.state = this.network ? 'layered' : 'graph';
    this.layersEl.hidden = this.head.closest('label').hidden = !this.network;
    this.root.querySelector('[data-action=add-layer]').hidden = !this.network;
    if (!this.network) {
      this.note.textContent = parses(this.field('network').value) ? 'graph form: edit the JSON' : 'the network JSON does not parse yet: fix it in the editor';
      this.diagram.replaceChildren();
      this.diagram.removeAttribute('data-shape');
      return;
    }
    const out = this.network.layers.at(-1);
    const head = headOf(out.activation, this.network.loss);
    this.head.value = head || '';
    this.note.textContent = head ? '' : `output ${out.activation} with loss ${this.network.loss}: pick a head to replace it`;
    this.renderLayers();
    this.draw();
  }

  /** The dataset changed: a layered network takes its input count, output count and head. */
  fitDataset() {
    const shape = this.shape();
    if (!this.network || !shape) return;
    const out = this.network.layers.at(-1);
    const head = shape.head ?? headOf(out.activation, this.network.loss);
    if ((shape.inputs ?? this.network.inputs) === this.network.inputs && (shape.outputs ?? out.units) === out.units
        && head === headOf(out.activation, this.network.loss)) return;
    if (head) this.head.value = head;
    this.write();
  }

  hidden() { return this.network.layers.slice(0, -1); }

  renderLayers() {
    this.layersEl.replaceChildren(...this.hidden().map((layer, i) => {
      const row = document.createElement('div');
      row.className = 'builder-layer';
      row.dataset.layer = i;
      const options = [...new Set([...ACTIVATIONS, layer.activation])]
        .map(a => `<option${a === layer.activation ? ' selected' : ''}>${a}</option>`).join('');
      row.innerHTML = `<span class="layer-name">Layer ${i + 1}</span>
        <label>units <input type="number" min="1" max="${MAX_UNITS}" step="1" data-field="units" value="${layer.units}" aria-label="layer ${i + 1} units"></label>
        <label>activation <select data-field="activation" aria-label="layer ${i + 1} activation">${options}</select></label>
        <button type="button" data-action="remove-layer" aria-label="remove layer ${i + 1}">Remove</button>`;
      return row;
    }));
  }

  editLayer(target) {
    const row = target.closest('[data-layer]');
    if (!row || !target.dataset.field) return;
    const layer = this.network.layers[Number(row.dataset.layer)];
    if (target.dataset.field === 'units') {
      const units = Number(target.value);
      const ok = Number.isInteger(units) && units >= 1 && units <= MAX_UNITS;
      target.classList.toggle('invalid', !ok);
      target.setAttribute('aria-invalid', String(!ok));
      if (!ok) return;
      layer.units = units;
    } else layer.activation = target.value;
    this.write();
  }

  addLayer() {
    const last = this.hidden().at(-1);
    this.network.layers.splice(this.network.layers.length - 1, 0, { units: last?.units ?? 4, activation: last?.activation ?? 'tanh' });
    this.write();
    this.renderLayers();
    this.layersEl.querySelector('.builder-layer:last-child input').focus();
  }

  removeLayer(index) {
    this.network.layers.splice(index, 1);
    this.write();
    this.renderLayers();
    const rows = this.layersEl.querySelectorAll('.builder-layer');
    (rows[Math.min(index, rows.length - 1)]?.querySelector('[data-action=remove-layer]') || this.root.querySelector('[data-action=add-layer]')).focus();
  }

  /** Puts the builder's network into the editor, with the dataset's input and output counts and the chosen head. */
  write() {
    const shape = this.shape(), head = HEADS[this.head.value], n = this.network;
    const out = n.layers.at(-1);
    if (shape?.inputs) n.inputs = shape.inputs;
    if (shape?.outputs) out.units = shape.outputs;
    if (head) { out.activation = head.activation; n.loss = head.loss; }
    // Stored starting values no longer fit once a shape changes; the builder never keeps them.
    n.layers = n.layers.map(({ weights, bias, ...layer }) => layer);
    this.field('network').value = formatJson({ name: n.name, inputs: n.inputs, layers: n.layers, loss: n.loss, ...rest(n) });
    this.note.textContent = '';
    this.draw();
    this.onWrite();
  }

  draw() {
    const n = this.network;
    drawNetwork(this.diagram, [
      { units: n.inputs, label: `${n.inputs} in`, kind: 'input' },
      ...this.hidden().map(l => ({ units: l.units, label: `${l.units} ${l.activation}`, kind: 'hidden' })),
      { units: n.layers.at(-1).units, label: `${n.layers.at(-1).units} ${n.layers.at(-1).activation}`, kind: 'output' },
    ]);
  }
}

/** The network's fields the builder does not edit, kept as they were. */
function rest({ name, inputs, layers, loss, ...others }) { return others; }

function parses(text) {
  try { JSON.parse(text); return true; } catch { return false; }
}
