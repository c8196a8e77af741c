#!/usr/bin/env python3
"""The history a trial stores: starts `dotnet <dll>` on a temporary SQLite file, runs --jobs XOR jobs (2-2-1 sigmoid,
binary cross-entropy, learning rate 0.5, full batch) of --epochs epochs one after another, then prints the bytes their
LossChunks rows hold per job, column by column (costs and accuracies: the columns an XOR trial fills), and the
database file's size after a checkpoint.
Usage: bench/edges/history_bytes.py [--jobs 1] [--epochs 10000] [--port 5382] [--dll PATH] [NAME=value ...]
       (from the repository root, after `dotnet build -c Release src/Api`)."""
import os, sqlite3, tempfile, time
from xor_service import create_xor, request, start, parse_args

opts, extra = parse_args({"jobs": 1, "epochs": 10000, "port": 5382, "dll": "src/Api/bin/Release/net10.0/BackpropService.Api.dll"},
                         text=("dll",), usage=__doc__)
tmp = tempfile.mkdtemp()
database = f"{tmp}/history.db"
env = dict(os.environ, ASPNETCORE_ENVIRONMENT="Production", Logging__LogLevel__Default="Warning",
           ConnectionStrings__Default=f"Data Source={database}", **extra)
proc, conn = start(opts["dll"], opts["port"], env, f"{tmp}/service.log")
try:
    net, ds = create_xor(conn)
    for seed in range(1, opts["jobs"] + 1):
        job = request(conn, "POST", "/api/jobs", {"networkId": net, "datasetId": ds, "epochs": opts["epochs"], "learningRate": 0.5, "seed": seed})[1]["id"]
        while (status := request(conn, "GET", f"/api/jobs/{job}")[1]["status"]) in ("queued", "running"): time.sleep(0.05)
        assert status == "succeeded", status
finally:
    proc.terminate(); proc.wait()

db = sqlite3.connect(database)
chunks, costs, accuracies = db.execute(
    "SELECT count(*), sum(length(Costs)), coalesce(sum(length(Accuracies)), 0) FROM LossChunks").fetchone()
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
jobs = opts["jobs"]
print(f"{jobs} job(s) of {opts['epochs']} epochs: {chunks / jobs:.1f} chunks, costs {costs / jobs:,.0f} B, "
      f"accuracies {accuracies / jobs:,.0f} B, costs + accuracies {(costs + accuracies) / jobs:,.0f} B per job; "
      f"database file {os.path.getsize(database):,} B")
