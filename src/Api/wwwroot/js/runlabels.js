// Chart labels that tell compared runs apart: each run's name, then the settings in which the shown runs differ
// ("xor · lr 0.5 · seed 3"). Runs that differ in nothing shown keep their short id.
import { shortId } from './format.js';
import { scheduleText } from './lrschedule.js';

const SETTINGS = [
  ['optimizer', v => v],
  ['learningRate', v => `lr ${v}`],
  ['learningRateSchedule', scheduleText],
  ['batchSize', v => (v ? `batch ${v}` : 'full batch')],
  ['epochs', v => `${Number(v).toLocaleString('en-US')} ep`],
  ['seed', v => `seed ${v}`],
  ['validationSplit', v => `val ${v || 0}`],
  ['weightDecay', v => `wd ${v || 0}`],
];

/** jobs: the runs shown together; name(job): a run's name. Returns one label per job, in order. */
export function runLabels(jobs, name) {
  const differing = SETTINGS.filter(([key]) => new Set(jobs.map(j => JSON.stringify(j[key] ?? null))).size > 1);
  const labels = jobs.map(job => {
    const base = name(job);
    // A part the name already says (the page names its runs "xor · sgd lr 2") is not repeated.
    const words = ` ${base.replace(/·/g, ' ')} `;
    const parts = differing.map(([key, show]) => show(job[key])).filter(part => !words.includes(` ${part} `));
    return [base, ...parts].join(' · ');
  });
  return labels.map((label, i) => (labels.indexOf(label) !== labels.lastIndexOf(label) || jobs.length === 1 ? `${label} #${shortId(jobs[i].id)}` : label));
}
