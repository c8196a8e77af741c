#!/usr/bin/env python3
"""A sweep's service CPU per trial: starts `dotnet <dll>` on a temporary SQLite file (2 training slots, the job-submission
rate limits off), stores the XOR network and dataset, then posts --rounds sweeps of --trials XOR trials (seeds 1..N) of
--epochs epochs each, one after the other, and polls each sweep (GET /api/sweeps/{id}) every POLL seconds until it ends.
Prints, per round, the admission time (client → 202), the round's wall time and the service's CPU time over the round,
in all and per trial, the sweep's created → finished span (its own timestamps: the poll's period does not round it), and from the service's /metrics the bytes it allocated per trial, its garbage collections by
generation and its history writes (flushes and ends that stored epochs) per trial. Round 1 includes the JIT's tier-up;
the later rounds are the warm figure.
The polls are part of what the service does: POLL=0.02 costs it a few ms of CPU per GET of a 1,000-trial sweep, so the
per-trial figure of the training path is taken with POLL=0.5 (docs/performance.md, session 9).
Profiling: run with DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 and attach `perf record -F 499 -g -p PID`
(the pid is printed first) over a warm round.
Extra NAME=value arguments go to the service's environment.
Usage: bench/edges/sweep_cpu.py [--trials 1000] [--epochs 10000] [--rounds 3] [--port 5391] [--dll PATH] [NAME=value ...]
       (from the repository root, after `dotnet build -c Release src/Api`); env POLL (seconds, default 0.02)."""
import os, re, sys, tempfile, time
from datetime import datetime
from xor_service import cpu_seconds, create_xor, request, start, parse_args

opts, extra = parse_args({"trials": 1000, "epochs": 10000, "rounds": 3, "port": 5391, "dll": "src/Api/bin/Release/net10.0/BackpropService.Api.dll"}, text=("dll",), usage=__doc__)
poll = float(os.environ.get("POLL", "0.02"))


def metrics(conn):
    """The figures of /metrics this bench reports: allocated bytes, collections by generation, epoch writes."""
    conn.request("GET", "/metrics"); text = conn.getresponse().read().decode()
    def value(pattern):
        return sum(float(m) for m in re.findall(pattern + r"[^\n]* ([0-9.e+]+)\n", text))
    return {"allocated": value(r"(?m)^dotnet_gc_heap_total_allocated_bytes_total\{"),
            "writes": value(r"(?m)^backprop_epoch_write_duration_seconds_count\{"),
            **{g: value(r'(?m)^dotnet_gc_collections_total\{[^}]*gc_heap_generation="' + g + '"') for g in ("gen0", "gen1", "gen2")}}


tmp = tempfile.mkdtemp()
env = dict(os.environ, ASPNETCORE_ENVIRONMENT="Production", Logging__LogLevel__Default="Warning",
           ConnectionStrings__Default=f"Data Source={tmp}/sweep.db", Training__MaxConcurrentJobs="2",
           RateLimits__JobSubmissionBurst="1000000", RateLimits__JobSubmissionsPerSecond="1000000", **extra)
proc, conn = start(opts["dll"], opts["port"], env, f"{tmp}/service.log")
print("pid", proc.pid, flush=True)
try:
    net, ds = create_xor(conn)
    sweep = {"base": {"networkId": net, "datasetId": ds, "epochs": opts["epochs"], "learningRate": 0.5},
             "grid": {"seed": list(range(1, opts["trials"] + 1))}}
    for r in range(opts["rounds"]):
        m0, cpu0, t0 = metrics(conn), cpu_seconds(proc.pid), time.time()
        status, created = request(conn, "POST", "/api/sweeps", sweep)
        if status not in (200, 201, 202): sys.exit(f"POST /api/sweeps answered {status}: {created}")
        t1 = time.time()
        while (s := request(conn, "GET", f"/api/sweeps/{created['id']}")[1])["status"] in ("queued", "running"):
            time.sleep(poll)
        t2, cpu = time.time(), cpu_seconds(proc.pid) - cpu0
        m = {k: v - m0[k] for k, v in metrics(conn).items()}
        n = opts["trials"]
        # The service's own span (created → finished) does not depend on the poll's period.
        span = (datetime.fromisoformat(s["finishedAt"]) - datetime.fromisoformat(s["createdAt"])).total_seconds()
        print(f"round {r + 1}: admit {t1 - t0:.3f} s, total {t2 - t0:.2f} s (created → finished {span:.2f} s), service CPU {cpu:.2f} s "
              f"({cpu / n * 1000:.2f} ms/trial), allocated {m['allocated'] / n / 1024:.0f} KB/trial, "
              f"GCs {m['gen0']:.0f}/{m['gen1']:.0f}/{m['gen2']:.0f} (gen0/1/2), {m['writes'] / n:.2f} writes/trial, "
              f"status {s['status']}", flush=True)
finally:
    proc.terminate(); proc.wait()
