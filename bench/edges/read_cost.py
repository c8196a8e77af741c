#!/usr/bin/env python3
"""The GET /api/jobs/{id} path's own cost, on a quiet service: starts `dotnet <dll>` on a temporary SQLite file, runs
one 100-epoch XOR job to its end, warms the read up, then reads that job back --reads times (one keep-alive
connection, sequential) and prints the service's CPU time per read (user + system from /proc, so other load on the
machine barely moves it) and the client's p50/p99. Alternate --dll builds to compare two versions of the read path.
--read job (default): GET /api/jobs/{id}; list: GET /api/jobs (the first page of 50, after --jobs 50 more jobs);
sweep: GET /api/sweeps/{id} of a finished sweep of --trials 1,000 10-epoch trials (counts and best trial).
Usage: bench/edges/read_cost.py [--read job|list|sweep] [--reads 5000] [--rounds 3] [--port 5381] [--dll PATH] [NAME=value ...]
       (from the repository root, after `dotnet build -c Release src/Api`)."""
import os, sys, tempfile, time
from xor_service import cpu_seconds, create_xor, request, start, parse_args

opts, extra = parse_args({"reads": 5000, "rounds": 3, "port": 5381, "dll": "src/Api/bin/Release/net10.0/BackpropService.Api.dll", "read": "job",
        "jobs": 50, "trials": 1000}, text=("dll", "read"), usage=__doc__)
port = opts["port"]




tmp = tempfile.mkdtemp()
env = dict(os.environ, ASPNETCORE_ENVIRONMENT="Production", Logging__LogLevel__Default="Warning",
           ConnectionStrings__Default=f"Data Source={tmp}/reads.db", RateLimits__JobSubmissionBurst="1000000",
           RateLimits__JobSubmissionsPerSecond="1000000", **extra)
proc, conn = start(opts["dll"], port, env, f"{tmp}/service.log")
try:
    net, ds = create_xor(conn)
    job = request(conn, "POST", "/api/jobs", {"networkId": net, "datasetId": ds, "epochs": 100, "learningRate": 0.5})[1]["id"]
    while request(conn, "GET", f"/api/jobs/{job}")[1]["status"] in ("queued", "running"): time.sleep(0.05)
    path = f"/api/jobs/{job}"
    if opts["read"] == "list":
        for _ in range(opts["jobs"]):
            request(conn, "POST", "/api/jobs", {"networkId": net, "datasetId": ds, "epochs": 100, "learningRate": 0.5})
        path = "/api/jobs"
    elif opts["read"] == "sweep":
        status, sweep = request(conn, "POST", "/api/sweeps", {"base": {"networkId": net, "datasetId": ds, "epochs": 10, "learningRate": 0.5},
                                                              "grid": {"seed": list(range(1, opts["trials"] + 1))}})
        assert status in (200, 201, 202), (status, sweep)
        path = f"/api/sweeps/{sweep['id']}"
    elif opts["read"] != "job": sys.exit("--read is job, list or sweep")
    while request(conn, "GET", path)[0] == 200 and any(
            j["status"] in ("queued", "running") for j in request(conn, "GET", "/api/jobs?limit=1")[1]["items"]):
        time.sleep(0.2)
    for _ in range(2000): request(conn, "GET", path)  # jit and tier-up of the read path
    time.sleep(1)
    for r in range(opts["rounds"]):
        ms, cpu0 = [], cpu_seconds(proc.pid)
        for _ in range(opts["reads"]):
            t = time.perf_counter(); request(conn, "GET", path); ms.append((time.perf_counter() - t) * 1000)
        cpu = cpu_seconds(proc.pid) - cpu0
        ms.sort()
        print(f"round {r + 1}: {opts['reads']} reads of {path}, service CPU {cpu / opts['reads'] * 1e6:.0f} µs a read; client p50 "
              f"{ms[len(ms) // 2]:.3f} ms, p99 {ms[int(len(ms) * 0.99)]:.3f} ms; load average {os.getloadavg()[0]:.2f}", flush=True)
finally:
    proc.terminate(); proc.wait()
