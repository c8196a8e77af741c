#!/usr/bin/env python3
"""Where a small job's service CPU goes, piece by piece, from a `perf record -g` profile of the service taken with
DOTNET_PerfMapEnabled=1 and DOTNET_EnableWriteXorExecute=0 (so perf can name the jitted frames). Each sample is
charged to the innermost piece on its stack (the pieces below, in the service's own terms), and to the outermost
one as its phase; samples of no piece go to the thread they ran on (GC, the runtime's own threads, Kestrel's I/O).
Prints each phase and piece as a share of the samples and, with --jobs N and --cpu SECONDS (the run's service CPU
time, from many_jobs.py), as milliseconds of CPU per job.
Usage: bench/edges/cpu_phases.py perf.data [--jobs N --cpu SECONDS]
Recording: bench/edges/profile_many_jobs.sh OUT.data [many_jobs.py arguments] does all of this."""
import collections, subprocess, sys

args = sys.argv[1:]
data = args.pop(0)
opts = dict(zip(args[::2], args[1::2]))

# (label, pattern in a frame's name); a frame matches the first pattern it contains.
PHASES = [
    ("admission (POST /api/jobs)", "JobsApi+<CreateJobAsync>"),
    ("admission writer (batches of POSTs)", "JobAdmissions+<"),
    ("reads (GET /api/jobs/{id}, lists)", "JobsApi+<GetJobAsync>"),
    ("reads (GET /api/jobs/{id}, lists)", "JobsApi+<ListJobsAsync>"),
    ("claim (worker loop)", "TrainingWorker+<ExecuteAsync>"),
    ("start (load, rewind, status)", "JobAttempt+<ClaimedAsync>"),
    ("flushes while training", "JobAttempt+<TrainingAsync>"),
    ("end (last flush, finish, weights, status)", "JobAttempt+<EndingAsync>"),
    ("lease heartbeat", "LeaseHeartbeat"),
    ("training thread (engine)", "TrainingRun::Train"),
    ("training thread (engine)", "TrainingRun+<>c__DisplayClass"),
    ("HTTP pipeline, other requests", "HttpProtocol+<ProcessRequests>"),
]
PIECES = [
    ("queue limits (counts)", "QueueLimits+<CheckAsync>"),
    ("queue position (count)", "QueuePositions+<OfAsync>"),
    ("network, dataset, checks", "JobFactory+<BuildAsync>"),
    ("idempotency", "JobIdempotency"),
    ("batch: counts", "AdmissionStore+<TotalsAsync>"),
    ("batch: inserts", "AdmissionStore+<InsertAsync>"),
    ("batch: begin", "AdmissionStore+<BeginAsync>"),
    ("batch: commit", "AdmissionStore+<CommitAsync>"),
    ("claim statements", "TryClaimJobAsync"),
    ("claim statements", "ClaimJobsAsync"),
    ("load job, network, dataset", "JobAttempt+<LoadAsync>"),
    ("load job, network, dataset", "JobLoader+<LoadAsync>"),
    ("end, group commit", "JobEndCommits"),
    ("rewind (resume point)", "AttemptStore+<RewindAsync>"),
    ("publish status (read + hub)", "JobEvents+<PublishStatusAsync>"),
    ("weights upsert", "UpsertWeightsAsync"),
    ("checkpoint upsert", "UpsertCheckpointAsync"),
    ("history append", "HistoryStore+<AppendAsync>"),
    ("flush store (progress, cancel, renew)", "AttemptStore+<StoreAsync>"),
    ("finish", "JobLeases+<FinishAsync>"),
    ("store and finish", "JobLeases+<StoreAndFinishAsync>"),
    ("stream epochs", "EpochStream+<SendAsync>"),
    ("renewal", "JobLeases+<RenewAsync>"),
    ("training session start", "TrainingSession::Start"),
    ("engine", "TrainingSession::Run"),
    ("SaveChanges (insert)", "SaveChangesAsync"),
]

def match(frame, table):
    for label, pattern in table:
        if pattern in frame: return label
    return None

out = subprocess.run(["perf", "script", "-i", data, "-F", "comm,ip,sym"], capture_output=True, text=True).stdout
phases, pieces, total = collections.Counter(), collections.Counter(), 0
for block in out.split("\n\n"):
    lines = [l.strip() for l in block.strip().split("\n") if l.strip()]
    if not lines: continue
    total += 1
    comm, frames = lines[0], [l.split(" ", 1)[-1] for l in lines[1:]]  # frames leaf first, without their address
    # The phase is the first of PHASES on the stack (a request's handler before the HTTP pipeline around it).
    phase = next((label for label, pattern in PHASES if any(pattern in f for f in frames)), None)
    piece = None
    for f in frames:
        piece = match(f, PIECES)
        if piece: break
    phase = phase or f"no piece: thread '{comm}'"
    phases[phase] += 1
    pieces[(phase, piece or "(the phase itself)")] += 1

per_job = float(opts["--cpu"]) * 1000 / int(opts["--jobs"]) if "--jobs" in opts else None
def show(n): return f"{100 * n / total:5.1f} %" + (f"  {per_job * n / total:6.2f} ms/job" if per_job else "")
print(f"{total} samples" + (f"; {per_job:.1f} ms of service CPU per job" if per_job else ""))
for phase, n in phases.most_common():
    print(f"{show(n)}  {phase}")
    for (p, piece), m in pieces.most_common():
        if p == phase and m * 200 >= total: print(f"    {show(m)}  {piece}")
