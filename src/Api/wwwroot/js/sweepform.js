// The sweep form: a base (a preset's network, data and settings, or the selected job's), the fields to vary (one row
// each: grid values or a random range), the trial count as the server will expand them, and the post. A 400's
// problem is shown under the form, each `errors` entry also marking the control it names.
import { api, ApiError } from './api.js';
import { datasetIdFor } from './datasetreuse.js';
import { presets } from './presets.js';
import { escapeHtml, shortId } from './format.js';
import { MODES, planSweep } from './sweepplan.js';

// The job fields worth varying from the page (the API accepts any job field but the inline network and dataset).
const FIELDS = ['learningRate', 'seed', 'batchSize', 'epochs', 'optimizer', 'momentum', 'beta1', 'beta2', 'weightDecay',
  'validationSplit', 'clipGradNorm', 'targetCost', 'shuffle', 'networkId', 'datasetId', 'learningRateSchedule', 'earlyStopping'];
const PLACEHOLDER = { grid: 'values: 0.1, 0.5, 1', uniform: 'low, high', logUniform: 'low, high (above 0)', choice: 'values: 16, 32, 64' };
const FIRST_ROWS = [{ field: 'learningRate', mode: 'grid', values: '0.5, 2' }, { field: 'seed', mode: 'grid', values: '1, 2' }];

/** A preset's settings as a job request's fields: blanks and zeros that mean "the default" left out. */
function presetSettings(settings) {
  const out = {};
  for (const [key, value] of Object.entries(settings)) if (value !== '' && !(key === 'validationSplit' && !value)) out[key] = value;
  return out;
}

/** The settings a job object shows, as a job request's fields. */
function jobSettings(job) {
  const out = { epochs: job.epochs, learningRate: job.learningRate, optimizer: job.optimizer, seed: job.seed };
  if (job.batchSize) out.batchSize = job.batchSize;
  return out;
}

export class SweepForm {
  constructor(form, { selectedJob, onCreated }) {
    this.form = form;
    this.selectedJob = selectedJob;
    this.onCreated = onCreated;
    this.baseJob = null;
    this.rows = form.querySelector('[data-role=vary-rows]');
    this.count = form.querySelector('#sweep-trial-count');
    this.$('sweepBase').addEventListener('change', () => this.loadBase());
    form.querySelector('[data-action=add-row]').addEventListener('click', () => { this.addRow({ field: 'learningRate', mode: 'grid', values: '' }).querySelector('select').focus(); this.update(); });
    this.rows.addEventListener('click', e => {
      if (!e.target.closest('button.remove')) return;
      e.target.closest('.vary-row').remove();
      this.update();
    });
    form.addEventListener('input', () => this.update());
    form.addEventListener('change', () => this.update());
    form.addEventListener('submit', e => { e.preventDefault(); this.submit(); });
    for (const row of FIRST_ROWS) this.addRow(row);
    this.loadBase();
  }

  $(name) {
    return this.form.elements.namedItem(name);
  }

  addRow({ field, mode, values }) {
    const row = document.createElement('div');
    row.className = 'vary-row';
    row.innerHTML = `
      <select name="varyField" aria-label="field to vary">${FIELDS.map(f => `<option>${f}</option>`).join('')}</select>
      <select name="varyMode" aria-label="how to vary it">${MODES.map(m => `<option value="${m}">${m === 'grid' ? 'grid values' : m}</option>`).join('')}</select>
      <input name="varyValues" aria-label="values" spellcheck="false">
      <button type="button" class="remove" aria-label="Remove this field">×</button>
      <div class="row-error" hidden></div>`;
    row.querySelector('[name=varyField]').value = field;
    row.querySelector('[name=varyMode]').value = mode;
    row.querySelector('[name=varyValues]').value = values;
    this.rows.append(row);
    return row;
  }

  readRows() {
    return [...this.rows.querySelectorAll('.vary-row')].map(row => ({
      el: row,
      field: row.querySelector('[name=varyField]').value,
      mode: row.querySelector('[name=varyMode]').value,
      values: row.querySelector('[name=varyValues]').value,
    }));
  }

  number(name) {
    const raw = this.$(name).value.trim();
    return raw === '' ? null : Number(raw);
  }

  /** The plan of the rows as they stand: shows the trial count, or why there is none yet. */
  update() {
    const rows = this.readRows();
    const plan = planSweep(rows, { count: this.number('randomCount'), seed: this.number('randomSeed') });
    rows.forEach((row, i) => {
      row.el.querySelector('[name=varyValues]').placeholder = PLACEHOLDER[row.mode] || '';
      const error = row.el.querySelector('.row-error');
      const message = plan.errors.get(i) || '';
      if (error.textContent !== message) error.textContent = message;
      error.hidden = !message;
    });
    const drawing = rows.some(r => r.mode !== 'grid');
    this.$('sweepName').placeholder = this.defaultName(rows);
    this.$('randomCount').disabled = !drawing;
    this.$('randomSeed').disabled = !drawing;
    this.count.dataset.count = plan.count ?? '';
    this.count.textContent = plan.count !== null
      ? `${plan.count.toLocaleString('en-US')} trial${plan.count === 1 ? '' : 's'}`
      : plan.countError || 'fix the fields marked above to see the trial count';
    this.count.classList.toggle('invalid-count', plan.count === null);
    return plan;
  }

  /** The name a sweep gets when none is typed: its base and what it varies, e.g. "xor: learningRate × seed". */
  defaultName(rows = this.readRows()) {
    const choice = this.$('sweepBase').value;
    const base = choice === 'selected' ? (this.baseJob ? `job #${shortId(this.baseJob.id)}` : 'job') : presets[choice].network().name;
    return `${base}: ${[...new Set(rows.map(r => r.field))].join(' × ') || 'no field varied'}`;
  }

  /** Fills the base settings from the chosen preset or the selected job. */
  loadBase() {
    const choice = this.$('sweepBase').value;
    const note = this.form.querySelector('[data-role=base-note]');
    let settings = {};
    if (choice === 'selected') {
      this.baseJob = this.selectedJob();
      note.textContent = this.baseJob
        ? `Network and dataset of job #${shortId(this.baseJob.id)}; its settings below.`
        : 'No job is selected: select one in the job list, then pick this base again.';
      if (this.baseJob) settings = jobSettings(this.baseJob);
    } else {
      this.baseJob = null;
      note.textContent = `The ${presets[choice].label} network and data.`;
      settings = presetSettings(presets[choice].settings);
    }
    this.$('sweepSettings').value = JSON.stringify(settings);
    this.update();
  }

  /** The base job request: the settings with the network and dataset of the chosen base (a preset's dataset uploaded once). */
  async base(settings) {
    const choice = this.$('sweepBase').value;
    if (choice === 'selected') {
      if (!this.baseJob) throw new Error('No job is selected to take the network and dataset from.');
      return { ...settings, networkId: this.baseJob.networkId, datasetId: this.baseJob.datasetId };
    }
    const preset = presets[choice];
    const dataset = await preset.dataset();
    let datasetId;
    if (dataset.format === 'csv') {
      // The same parameters, in the same order, as the Train form: one upload serves both forms.
      const params = new URLSearchParams();
      if (dataset.name) params.set('name', dataset.name);
      if (dataset.target) params.append('target', dataset.target);
      datasetId = await datasetIdFor(`csv?${params}\n${dataset.text}`, () => api('POST', `/api/datasets?${params}`, dataset.text, 'text/csv'));
    } else {
      const rows = JSON.parse(dataset.text);
      datasetId = await datasetIdFor(`json\n${JSON.stringify(rows)}`, () => api('POST', '/api/datasets', rows));
    }
    return { ...settings, network: preset.network(), datasetId };
  }

  clearErrors() {
    const box = this.form.querySelector('[data-error-for=sweep]');
    box.replaceChildren();
    box.hidden = true;
    for (const el of this.form.querySelectorAll('.invalid')) el.classList.remove('invalid');
  }

  showError(lines) {
    const box = this.form.querySelector('[data-error-for=sweep]');
    box.innerHTML = [...new Set(lines.filter(Boolean))].map(l => `<div>${escapeHtml(l)}</div>`).join('');
    box.hidden = false;
  }

  /** The control a problem's key names: grid.X[i] / random.space.X → X's row; random.count; base.* → the settings. */
  controlFor(key) {
    const k = String(key).replace(/^\$\.?/, '');
    const varied = k.match(/^(?:grid|random\.space)\.([^.[]+)/);
    if (varied) return this.readRows().find(r => r.field === varied[1])?.el.querySelector('[name=varyValues]') ?? null;
    const named = { 'random.count': 'randomCount', 'random.seed': 'randomSeed', metric: 'sweepMetric', maxConcurrent: 'maxConcurrent', name: 'sweepName' }[k];
    if (named) return this.$(named);
    return k.startsWith('base') ? this.$('sweepSettings') : null;
  }

  showProblem(problem) {
    const lines = [problem.detail || problem.title || `HTTP ${problem.status}`];
    for (const [key, messages] of Object.entries(problem.errors || {})) {
      for (const m of Array.isArray(messages) ? messages : [messages]) lines.push(`${key}: ${m}`);
      this.controlFor(key)?.classList.add('invalid');
    }
    this.showError(lines);
  }

  async submit() {
    this.clearErrors();
    const plan = this.update();
    if (plan.count === null) {
      this.showError([plan.countError || 'Fix the fields marked above first.']);
      return;
    }
    let settings;
    try {
      settings = JSON.parse(this.$('sweepSettings').value || '{}');
      if (settings === null || typeof settings !== 'object' || Array.isArray(settings)) throw new Error('not an object of job fields');
    } catch (e) {
      this.$('sweepSettings').classList.add('invalid');
      this.showError([`Base settings: not a JSON object: ${e.message}`]);
      return;
    }
    const button = this.form.querySelector('button[type=submit]');
    button.disabled = true;
    this.form.setAttribute('aria-busy', 'true');
    try {
      const request = { base: await this.base(settings) };
      request.name = this.$('sweepName').value.trim() || this.defaultName();
      if (plan.grid) request.grid = plan.grid;
      if (plan.random) request.random = plan.random;
      if (this.$('sweepMetric').value) request.metric = this.$('sweepMetric').value;
      if (this.number('maxConcurrent') !== null) request.maxConcurrent = this.number('maxConcurrent');
      this.onCreated(await api('POST', '/api/sweeps', request));
    } catch (e) {
      if (e instanceof ApiError) this.showProblem(e.problem);
      else this.showError([e.message]);
    } finally {
      button.disabled = false;
      this.form.removeAttribute('aria-busy');
    }
  }
}
