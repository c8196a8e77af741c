// The learning rate a job trains each epoch with. The service keeps only the last epoch's rate (currentLearningRate),
// so the page recomputes every epoch's from the job's learningRate and learningRateSchedule, with the engine's
// formulas (src/Engine/Training/LearningRates.cs: PyTorch's schedulers stepped once per epoch). The browser tests
// compare this module with the engine's own values, epoch by epoch.

/**
 * The rate epoch `epoch` (from 1) of `job` trains with. step: lr·γ^⌊(k−1)/stepSize⌋; exponential: lr·γ^(k−1);
 * cosine: min + (lr − min)(1 + cos(π(k−1)/T))/2. With W warm-up epochs, epochs 1..W use lr·e/W and the schedule runs
 * on k = e − W over T = epochs − W; without, k = e and T = epochs. No schedule: the constant learningRate.
 */
export function rate(job, epoch) {
  const lr = job.learningRate;
  const schedule = job.learningRateSchedule;
  if (!schedule) return lr;
  const warmup = schedule.warmupEpochs ?? 0;
  if (epoch <= warmup) return (lr * epoch) / warmup;
  const k = epoch - warmup;
  const total = job.epochs - warmup;
  switch (schedule.type) {
    // NOTE: (k − 1) / stepSize is integer division in C#; both are positive here, so Math.floor matches it.
    case 'step': return lr * Math.pow(schedule.gamma, Math.floor((k - 1) / schedule.stepSize));
    case 'exponential': return lr * Math.pow(schedule.gamma, k - 1);
    case 'cosine': {
      const min = schedule.minLearningRate ?? 0;
      return min + ((lr - min) * (1 + Math.cos((Math.PI * (k - 1)) / total))) / 2;
    }
    default: return NaN; // a type this page does not know: no line rather than a wrong one
  }
}

/** True when every epoch of the job trains with its learningRate (no schedule). */
export const isConstant = job => !job.learningRateSchedule;

/** A schedule in a few words, for labels: "cosine", "step, warm-up 300"; "constant lr" without one. */
export function scheduleText(schedule) {
  if (!schedule) return 'constant lr';
  return schedule.warmupEpochs ? `${schedule.type}, warm-up ${schedule.warmupEpochs}` : schedule.type;
}
