#!/usr/bin/env python3
"""A fresh service's edges, one process per run: start -> /health 200, the first POST /api/jobs, the first 1-epoch job
(submit -> succeeded as the client sees it), then the first and second 200,000-epoch XOR jobs (their own startedAt ->
finishedAt, and the service's CPU time from submit to seen-ended); the first POST and the first job also with the
service's CPU time (a 10 ms clock tick: only tens of milliseconds mean anything). CPU times are printed beside wall times because on a
shared machine they are the steadier of the two. Starts `dotnet <dll>` itself on a temporary SQLite file; extra NAME=value arguments go to its environment.
Usage: bench/edges/first_job.py [--runs N] [--dll PATH] [--epochs 200000] [NAME=value ...]  (from the repository root,
after `dotnet build -c Release src/Api`)."""
import datetime, http.client, json, os, subprocess, sys, tempfile, time
from xor_service import cpu_seconds

def parse(argv):
    opts = {"runs": 3, "dll": "src/Api/bin/Release/net10.0/BackpropService.Api.dll", "epochs": 200000, "port": 5197, "env": {}}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--runs", "--epochs", "--port"): opts[a[2:]] = int(argv[i + 1]); i += 2
        elif a == "--dll": opts["dll"] = argv[i + 1]; i += 2
        elif "=" in a: k, v = a.split("=", 1); opts["env"][k] = v; i += 1
        else: sys.exit(f"unknown argument {a}")
    return opts

def request(conn, method, path, body=None):
    conn.request(method, path, body=None if body is None else json.dumps(body), headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    data = r.read()
    return r.status, (json.loads(data) if data else None)

def stamp(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()

def wait_end(conn, job_id, poll):
    while True:
        status, job = request(conn, "GET", f"/api/jobs/{job_id}")
        if job["status"] not in ("queued", "running"):
            if job["status"] != "succeeded": sys.exit(f"job {job_id} ended {job['status']}: {job.get('error')}")
            return job
        time.sleep(poll)

def one_run(opts):
    tmp = tempfile.mkdtemp()
    env = dict(os.environ, ASPNETCORE_ENVIRONMENT="Production", Logging__LogLevel__Default="Warning",
               ConnectionStrings__Default=f"Data Source={tmp}/edges.db",
               RateLimits__JobSubmissionBurst="10000", RateLimits__JobSubmissionsPerSecond="10000", **opts["env"])
    t0 = time.perf_counter()
    # Run from the dll's folder, as the image does (WORKDIR /app): its appsettings.json applies.
    dll = os.path.abspath(opts["dll"])
    proc = subprocess.Popen(["dotnet", dll, "--urls", f"http://127.0.0.1:{opts['port']}"], env=env, cwd=os.path.dirname(dll),
                            stdout=open(f"{tmp}/service.log", "w"), stderr=subprocess.STDOUT)
    try:
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", opts["port"], timeout=60)
                if request(conn, "GET", "/health")[0] == 200: break
            except OSError: time.sleep(0.005)
        health = time.perf_counter() - t0
        health_cpu = cpu_seconds(proc.pid)
        net = request(conn, "POST", "/api/networks", {"name": "xor", "inputs": 2, "loss": "binary_cross_entropy",
              "layers": [{"units": 2, "activation": "sigmoid"}, {"units": 1, "activation": "sigmoid"}]})[1]["id"]
        ds = request(conn, "POST", "/api/datasets", {"name": "xor", "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0],[1],[1],[0]]})[1]["id"]
        job = {"networkId": net, "datasetId": ds, "learningRate": 0.5, "seed": 42}
        t, c = time.perf_counter(), cpu_seconds(proc.pid)
        status, created = request(conn, "POST", "/api/jobs", dict(job, epochs=1))
        post, post_cpu = time.perf_counter() - t, cpu_seconds(proc.pid) - c
        if status != 202: sys.exit(f"POST /api/jobs: {status} {created}")
        wait_end(conn, created["id"], 0.002)
        first_job, first_job_cpu = time.perf_counter() - t, cpu_seconds(proc.pid) - c
        spans, cpus = [], []
        for _ in range(2):
            cpu = cpu_seconds(proc.pid)
            j = wait_end(conn, request(conn, "POST", "/api/jobs", dict(job, epochs=opts["epochs"]))[1]["id"], 0.05)
            cpus.append(cpu_seconds(proc.pid) - cpu)
            spans.append(stamp(j["finishedAt"]) - stamp(j["startedAt"]))
        return health, health_cpu, post, post_cpu, first_job, first_job_cpu, spans[0], spans[1], cpus[0], cpus[1]
    finally:
        proc.terminate(); proc.wait()

def main():
    opts = parse(sys.argv[1:])
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; env {opts['env'] or '(shipped settings)'}")
    print(f"| run | start -> /health 200 (ms) | its CPU time (ms) | first POST /api/jobs (ms; CPU) | first 1-epoch job, submit -> succeeded (ms; CPU) | first {opts['epochs']:,}-epoch XOR (ms) | second (ms) | first / second | service CPU, first / second job (ms) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for run in range(opts["runs"]):
        h, hc, p, pc, f, fc, a, b, ca, cb = one_run(opts)
        print(f"| {run + 1} | {h*1000:.0f} | {hc*1000:.0f} | {p*1000:.0f}; {pc*1000:.0f} | {f*1000:.0f}; {fc*1000:.0f} | {a*1000:.0f} | {b*1000:.0f} | {a/b:.2f} | {ca*1000:.0f} / {cb*1000:.0f} |", flush=True)
    print(f"load average at end: {os.getloadavg()[0]:.2f}")

main()
