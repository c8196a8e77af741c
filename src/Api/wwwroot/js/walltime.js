// Wall-clock time of each epoch, for the chart's time axis. History points carry no time, so the page keeps marks
// (epoch, milliseconds since the job started) from what it sees: the start (0, 0), each streamed message on arrival,
// and the job's end (epochsCompleted at finishedAt). Epochs between marks are placed by linear interpolation.

/** Records that `epoch` was reached now (an `epochs` message's last point, received live). */
export function markEpoch(track, epoch) {
  const started = Date.parse(track.job.startedAt ?? '');
  if (!Number.isFinite(started)) return;
  const ms = Date.now() - started, last = track.marks.at(-1);
  if (!last || (epoch > last.epoch && ms > last.ms)) track.marks.push({ epoch, ms });
}

/** Seconds since the job started at each epoch 1..count (index i = epoch i + 1), or null when the job has not started. */
export function epochSeconds(track, count) {
  const job = track.job, started = Date.parse(job.startedAt ?? '');
  if (!Number.isFinite(started)) return null;
  const finished = Date.parse(job.finishedAt ?? '');
  const end = Number.isFinite(finished)
    ? { epoch: job.epochsCompleted || count, ms: finished - started }
    : { epoch: job.epochsCompleted || count, ms: Date.now() - started };
  const marks = [{ epoch: 0, ms: 0 }, ...track.marks.filter(m => m.epoch < end.epoch && m.ms < end.ms), end]
    .filter((m, i, all) => i === 0 || (m.epoch > all[i - 1].epoch && m.ms >= all[i - 1].ms));
  const seconds = new Array(count);
  let k = 0;
  for (let e = 1; e <= count; e++) {
    while (k < marks.length - 2 && marks[k + 1].epoch < e) k++;
    const a = marks[k], b = marks[Math.min(k + 1, marks.length - 1)];
    const ms = b.epoch === a.epoch ? b.ms : a.ms + (b.ms - a.ms) * (e - a.epoch) / (b.epoch - a.epoch);
    seconds[e - 1] = ms / 1000;
  }
  return seconds;
}
