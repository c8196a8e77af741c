// The Train form: fills itself from a preset, posts the job (uploading its dataset first, once per content), and
// shows every API problem's detail next to the field at fault.
import { api, ApiError } from './api.js';
import { datasetIdFor } from './datasetreuse.js';
import { presets, formatJson } from './presets.js';
import { escapeHtml } from './format.js';
import { addSettings, readSettings, settingsFieldFor } from './settings.js';
import { NetworkBuilder } from './builder.js';

const SAVED = 'backprop.form'; // the form as last edited, so a reload does not reset it to XOR

const FIELDS = ['network', 'dataset', 'epochs', 'learningRate', 'optimizer', 'batchSize', 'seed', 'validationSplit'];

/** Maps a problem's `errors` key (e.g. "network.layers[0].units", "$.epochs", "LearningRate") to a form field. */
export function fieldForKey(key) {
  const setting = settingsFieldFor(String(key));
  if (setting) return setting;
  const head = String(key).replace(/^\$\.?/, '').split(/[.[]/)[0].toLowerCase();
  if (head === 'network' || head === 'networkid' || head === 'layers' || head === 'graph' || head === 'inputs' || head === 'loss') return 'network';
  if (['dataset', 'datasetid', 'features', 'targets', 'labels', 'target', 'csv'].includes(head)) return 'dataset';
  return FIELDS.find(f => f.toLowerCase() === head) || (['momentum', 'beta1', 'beta2', 'epsilon'].includes(head) ? 'optimizer' : null);
}

/** Without an `errors` map, guess the field from the detail's wording. */
function fieldForDetail(detail) {
  const d = String(detail || '').toLowerCase();
  if (/learning ?rate/.test(d)) return 'learningRate';
  if (/batch/.test(d)) return 'batchSize';
  if (/validation ?split/.test(d)) return 'validationSplit';
  if (/optimi[sz]er|momentum|beta/.test(d)) return 'optimizer';
  if (/network|layer|activation|loss|graph|node|units|parameter/.test(d)) return 'network';
  if (/dataset|row|column|feature|target|label|csv/.test(d)) return 'dataset';
  if (/epoch/.test(d)) return 'epochs';
  if (/seed/.test(d)) return 'seed';
  return null;
}

export class TrainForm {
  constructor(form, { onCreated }) {
    this.form = form;
    this.onCreated = onCreated;
    this.datasetFormat = 'json';
    this.$('preset').addEventListener('change', () => this.loadPreset(this.$('preset').value));
    form.addEventListener('submit', e => { e.preventDefault(); this.submit(); });
    this.$('datasetFile').addEventListener('change', () => this.readFile(this.$('datasetFile').files[0]));
    this.$('dataset').addEventListener('input', () => this.detectFormat());
    this.$('network').addEventListener('input', () => { this.$('preset').value = 'custom'; });
    addSettings(form, form.querySelector('[data-error-for=form]'));
    this.builder = new NetworkBuilder(form.querySelector('#builder'), form, () => { this.$('preset').value = 'custom'; this.save(); });
    form.addEventListener('change', () => this.save());
    form.addEventListener('input', () => this.save());
  }

  /** Every named field's value (a checkbox's checked state; not the file picker): what clone-and-edit and a reload put back. */
  snapshot() {
    const values = {};
    for (const el of this.form.elements) if (el.name && el.type !== 'file') values[el.name] = el.type === 'checkbox' ? el.checked : el.value;
    return values;
  }

  restore(values) {
    this.clearErrors();
    for (const [name, value] of Object.entries(values)) {
      const el = this.$(name);
      // A checkbox is ticked only by `true` (forms saved before checkboxes were kept hold its value "on" instead).
      if (el?.type === 'checkbox') el.checked = value === true;
      else if (el && el.type !== 'file') el.value = value;
    }
    if (readSettings(this.form) && Object.keys(readSettings(this.form)).length) this.form.querySelector('.more-settings').open = true;
    this.detectFormat();
    this.builder.sync();
    this.save();
  }

  save() {
    try { localStorage.setItem(SAVED, JSON.stringify(this.snapshot())); } catch { /* full or off: the form still works */ }
  }

  /** The form as the user left it, else the XOR preset. */
  async start() {
    let saved = null;
    try { saved = JSON.parse(localStorage.getItem(SAVED) || 'null'); } catch { /* unreadable: start fresh */ }
    if (saved?.network) this.restore(saved);
    else await this.loadPreset('xor');
  }

  $(name) {
    return this.form.elements.namedItem(name);
  }

  async loadPreset(key) {
    const preset = presets[key];
    if (!preset) return;
    this.clearErrors();
    const f = this.form;
    this.$('preset').value = key;
    this.$('network').value = formatJson(preset.network());
    const dataset = await preset.dataset();
    this.$('dataset').value = dataset.text;
    this.$('targetColumns').value = dataset.target || '';
    this.$('datasetName').value = dataset.name || '';
    this.$('recordGradientNorms').checked = false;
    for (const [name, value] of Object.entries(preset.settings)) {
      if (this.$(name).type === 'checkbox') this.$(name).checked = Boolean(value);
      else this.$(name).value = value;
    }
    this.detectFormat();
    this.builder.sync();
    this.save();
  }

  async readFile(file) {
    if (!file) return;
    this.$('dataset').value = await file.text();
    this.$('datasetName').value = file.name.replace(/\.(csv|json)$/i, '');
    this.$('preset').value = 'custom';
    this.detectFormat();
    this.builder.fitDataset();
  }

  detectFormat() {
    const text = this.$('dataset').value.trimStart();
    this.datasetFormat = text.startsWith('{') ? 'json' : 'csv';
    this.form.querySelector('[data-role=csv-only]').hidden = this.datasetFormat !== 'csv';
    this.form.querySelector('[data-role=dataset-format]').textContent = this.datasetFormat.toUpperCase();
  }

  clearErrors() {
    for (const el of this.form.querySelectorAll('[data-error-for]')) { el.textContent = ''; el.hidden = true; }
    for (const el of this.form.querySelectorAll('.invalid')) el.classList.remove('invalid');
  }

  showError(field, lines) {
    const el = this.form.querySelector(`[data-error-for="${field || 'form'}"]`);
    el.innerHTML = [...new Set(lines.filter(Boolean))].map(l => `<div>${escapeHtml(l)}</div>`).join('');
    el.hidden = false;
    if (field && this.$(field)) this.$(field).classList.add('invalid');
  }

  /** Puts the problem's detail next to the field at fault, and each `errors` entry next to its own field. */
  showProblem(problem, fallbackField) {
    const byField = new Map();
    for (const [key, messages] of Object.entries(problem.errors || {})) {
      const field = fieldForKey(key) || fallbackField || 'form';
      if (!byField.has(field)) byField.set(field, []);
      byField.get(field).push(...(Array.isArray(messages) ? messages : [messages]).map(m => key && !/^\$?$/.test(key) ? `${key}: ${m}` : m));
    }
    const detail = problem.detail || problem.title || `HTTP ${problem.status}`;
    const main = byField.keys().next().value || fieldForDetail(detail) || fallbackField || 'form';
    byField.set(main, [detail, ...(byField.get(main) || [])]);
    for (const [field, lines] of byField) this.showError(field, lines);
    this.form.setAttribute('data-problem-field', main);
  }

  parseJsonField(field) {
    try {
      return JSON.parse(this.$(field).value);
    } catch (e) {
      this.showError(field, [`Not valid JSON: ${e.message}`]);
      return undefined;
    }
  }

  number(field) {
    const raw = this.$(field).value.trim();
    return raw === '' ? null : Number(raw);
  }

  async submit() {
    const f = this.form;
    this.clearErrors();
    f.removeAttribute('data-problem-field');
    const network = this.parseJsonField('network');
    if (network === undefined) return;
    const button = f.querySelector('button[type=submit]');
    button.disabled = true;
    f.setAttribute('aria-busy', 'true');
    try {
      const request = { network, epochs: this.number('epochs'), learningRate: this.number('learningRate'),
                        optimizer: this.$('optimizer').value, batchSize: this.number('batchSize'), seed: this.number('seed') };
      const split = this.number('validationSplit');
      if (split) request.validationSplit = split;
      if (this.$('recordGradientNorms').checked) request.recordGradientNorms = true;
      Object.assign(request, readSettings(f));
      const form = this.snapshot();
      let datasetRows = null;
      if (this.datasetFormat === 'csv') {
        request.datasetId = await this.uploadCsv();
        if (!request.datasetId) return;
      } else {
        datasetRows = this.parseJsonField('dataset');
        if (datasetRows === undefined) return;
        request.datasetId = await this.uploadJson(datasetRows);
        if (!request.datasetId) return;
      }
      const job = await api('POST', '/api/jobs', request);
      const presetKey = this.$('preset').value;
      const label = presets[presetKey]?.label.split(' · ')[0] ?? network.name ?? 'custom';
      this.onCreated(job, { label: `${label} · ${request.optimizer} lr ${request.learningRate}`, dataset: datasetRows, form });
    } catch (e) {
      if (e instanceof ApiError) this.showProblem(e.problem, null);
      else this.showError('form', [e.message]);
    } finally {
      button.disabled = false;
      f.removeAttribute('aria-busy');
    }
  }

  async uploadJson(dataset) {
    try {
      return await datasetIdFor(`json\n${JSON.stringify(dataset)}`, () => api('POST', '/api/datasets', dataset));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.showProblem(e.problem, 'dataset');
      return null;
    }
  }

  async uploadCsv() {
    const f = this.form, params = new URLSearchParams();
    if (this.$('datasetName').value.trim()) params.set('name', this.$('datasetName').value.trim());
    for (const t of this.$('targetColumns').value.split(',').map(s => s.trim()).filter(Boolean)) params.append('target', t);
    const csv = this.$('dataset').value;
    try {
      return await datasetIdFor(`csv?${params}\n${csv}`, () => api('POST', `/api/datasets?${params}`, csv, 'text/csv'));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.showProblem(e.problem, 'dataset');
      return null;
    }
  }
}
