// The training settings beyond the simple ones, folded away under "More settings": regularisation, the optimizer's
// own constants, stopping rules, clipping and the learning-rate schedule, each named as its job field. Empty means
// "the service's default", so a request carries only what the user set.

const num = (name, label, attrs = 'step="any"') =>
  `<label class="field"><span>${label}</span><input name="${name}" type="number" ${attrs} placeholder="default">
     <div class="field-error" data-error-for="${name}" hidden></div></label>`;
const pick = (name, label, options) =>
  `<label class="field"><span>${label}</span><select name="${name}">${options.map(([v, t]) => `<option value="${v}">${t}</option>`).join('')}</select>
     <div class="field-error" data-error-for="${name}" hidden></div></label>`;

const HTML = `
  <summary>More settings <small>regularisation, optimizer constants, schedules, stopping</small></summary>
  <div class="grid">
    ${num('weightDecay', 'Weight decay (L2)', 'min="0" step="any"')}
    ${num('clipGradNorm', 'Clip gradient norm', 'min="0" step="any"')}
    ${num('momentum', 'Momentum <small>momentum</small>', 'min="0" max="1" step="any"')}
    ${num('beta1', 'β₁ <small>adam</small>', 'min="0" max="1" step="any"')}
    ${num('beta2', 'β₂ <small>adam</small>', 'min="0" max="1" step="any"')}
    ${num('epsilon', 'ε <small>adam</small>', 'min="0" step="any"')}
    ${num('targetCost', 'Stop at cost ≤', 'min="0" step="any"')}
    ${pick('shuffle', 'Shuffle rows', [['', 'default'], ['true', 'every epoch'], ['false', 'never']])}
  </div>
  <fieldset class="group"><legend>Learning-rate schedule</legend><div class="grid">
    ${pick('scheduleType', 'Schedule', [['', 'constant'], ['step', 'step'], ['exponential', 'exponential'], ['cosine', 'cosine']])}
    ${num('scheduleStepSize', 'Step size <small>epochs</small>', 'min="1" step="1"')}
    ${num('scheduleGamma', 'γ <small>step, exponential</small>', 'min="0" step="any"')}
    ${num('scheduleMinLearningRate', 'Minimum rate <small>cosine</small>', 'min="0" step="any"')}
    ${num('scheduleWarmupEpochs', 'Warm-up epochs', 'min="0" step="1"')}
  </div></fieldset>
  <fieldset class="group"><legend>Early stopping</legend><div class="grid">
    ${pick('stopMetric', 'Watch', [['', 'off'], ['cost', 'cost'], ['validationCost', 'validation cost']])}
    ${num('stopPatience', 'Patience <small>epochs</small>', 'min="1" step="1"')}
    ${num('stopMinDelta', 'Minimum improvement', 'min="0" step="any"')}
    ${pick('stopRestoreBest', 'Keep weights of', [['true', 'the best epoch'], ['false', 'the last epoch']])}
  </div></fieldset>`;

const SIMPLE = ['weightDecay', 'clipGradNorm', 'momentum', 'beta1', 'beta2', 'epsilon', 'targetCost'];
const SCHEDULE = { scheduleStepSize: 'stepSize', scheduleGamma: 'gamma', scheduleMinLearningRate: 'minLearningRate', scheduleWarmupEpochs: 'warmupEpochs' };
const STOPPING = { stopPatience: 'patience', stopMinDelta: 'minDelta' };

/** Adds the folded "More settings" section before `before` in the form; returns it. */
export function addSettings(form, before) {
  const details = document.createElement('details');
  details.className = 'advanced more-settings';
  details.innerHTML = HTML;
  form.insertBefore(details, before);
  return details;
}

const field = (form, name) => form.elements.namedItem(name);
const numberOf = (form, name) => {
  const raw = field(form, name).value.trim();
  return raw === '' ? null : Number(raw);
};

/** The job fields the section sets (only those filled in). */
export function readSettings(form) {
  const request = {};
  for (const name of SIMPLE) if (numberOf(form, name) !== null) request[name] = numberOf(form, name);
  if (field(form, 'shuffle').value) request.shuffle = field(form, 'shuffle').value === 'true';
  if (field(form, 'scheduleType').value) {
    request.learningRateSchedule = { type: field(form, 'scheduleType').value };
    for (const [name, key] of Object.entries(SCHEDULE)) if (numberOf(form, name) !== null) request.learningRateSchedule[key] = numberOf(form, name);
  }
  if (field(form, 'stopMetric').value) {
    request.earlyStopping = { metric: field(form, 'stopMetric').value, restoreBest: field(form, 'stopRestoreBest').value === 'true' };
    for (const [name, key] of Object.entries(STOPPING)) if (numberOf(form, name) !== null) request.earlyStopping[key] = numberOf(form, name);
  }
  return request;
}

/** Fills the section from a job request (fields it lacks are cleared); opens it when anything is set. */
export function writeSettings(form, request) {
  const set = (name, value) => { field(form, name).value = value === null || value === undefined ? '' : String(value); };
  for (const name of SIMPLE) set(name, request[name]);
  set('shuffle', request.shuffle);
  const schedule = request.learningRateSchedule || {};
  set('scheduleType', schedule.type);
  for (const [name, key] of Object.entries(SCHEDULE)) set(name, schedule[key]);
  const stopping = request.earlyStopping || {};
  set('stopMetric', stopping.metric);
  for (const [name, key] of Object.entries(STOPPING)) set(name, stopping[key]);
  set('stopRestoreBest', stopping.restoreBest === false ? 'false' : 'true');
  const any = Object.keys(readSettings(form)).length > 0;
  if (any) form.querySelector('.more-settings').open = true;
}

/** Maps an error's field path (e.g. learningRateSchedule.gamma) to the input that holds it. */
export function settingsFieldFor(key) {
  const path = key.replace(/^\$\.?/, '');
  if (SIMPLE.includes(path) || path === 'shuffle') return path;
  const [head, tail] = path.split('.');
  if (head === 'learningRateSchedule') return tail === 'type' || !tail ? 'scheduleType' : Object.keys(SCHEDULE).find(k => SCHEDULE[k] === tail) ?? 'scheduleType';
  if (head === 'earlyStopping') return tail === 'metric' || !tail ? 'stopMetric' : Object.keys(STOPPING).find(k => STOPPING[k] === tail) ?? 'stopMetric';
  return null;
}
