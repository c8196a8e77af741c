#!/usr/bin/env python3
"""Issue 13's admission figure: the wall time of one POST /api/sweeps of --trials trials (2 learning rates × seeded
random draws of `seed`, XOR 2-2-1, 10,000 epochs each), from the client's send to its 202, --runs times on one fresh
service (the first run includes the JIT). Each sweep is cancelled before the next is posted, so the queue depth does not
grow between runs. Starts `dotnet <dll>` on a temporary SQLite file with the sweep limit raised to --trials.
Usage: bench/edges/sweep_admission.py [--trials 10000] [--runs 6] [--dll PATH]  (from the repository root, after
`dotnet build -c Release src/Api`)."""
import os, sys, tempfile, time
from xor_service import create_xor, request, start

args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
trials = int(args.get("--trials", 10000))
runs = int(args.get("--runs", 6))
dll = args.get("--dll", "src/Api/bin/Release/net10.0/BackpropService.Api.dll")
port = 5196
tmp = tempfile.mkdtemp()
env = dict(os.environ, ASPNETCORE_ENVIRONMENT="Production", Logging__LogLevel__Default="Warning",
           ConnectionStrings__Default=f"Data Source={tmp}/admission.db", Limits__MaxSweepTrials=str(trials))

proc, conn = start(dll, port, env, f"{tmp}/service.log")
try:
    net, ds = create_xor(conn)
    sweep = {"base": {"networkId": net, "datasetId": ds, "epochs": 10000, "learningRate": 0.5},
             "grid": {"learningRate": [0.5, 1.0]},
             "random": {"count": trials // 2, "seed": 7, "space": {"seed": {"uniform": [1, 1000000]}}}}
    times = []
    for run in range(runs):
        t = time.perf_counter()
        status, body = request(conn, "POST", "/api/sweeps", sweep)
        times.append(time.perf_counter() - t)
        if status not in (201, 202): sys.exit(f"POST /api/sweeps: {status} {body}")
        if body["trials"]["total"] != trials: sys.exit(f"expected {trials} trials, got {body['trials']}")
        request(conn, "POST", f"/api/sweeps/{body['id']}/cancel")
    print(f"| run | {' | '.join(str(i + 1) + (' (cold)' if i == 0 else '') for i in range(runs))} |")
    print(f"|---|{'---|' * runs}")
    print(f"| seconds to 202 for {trials:,} trials | {' | '.join(f'{s:.2f}' for s in times)} |")
    print(f"load average at the end: {open('/proc/loadavg').read().split()[:3]}")
finally:
    proc.terminate(); proc.wait()
