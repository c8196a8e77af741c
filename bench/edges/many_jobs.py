#!/usr/bin/env python3
"""Many small jobs end to end: starts `dotnet <dll>` on a temporary SQLite file with the job-submission rate limits off,
then 4 concurrent clients (one keep-alive connection each) POST --jobs XOR jobs of --epochs epochs between them.
Prints the submission rate (client clock) and the end-to-end rate, jobs / (last finishedAt - first createdAt) by the
jobs' own timestamps, plus the service's CPU time over the whole run. Extra NAME=value arguments go to the service.
Usage: bench/edges/many_jobs.py [--jobs 1000] [--epochs 100] [--clients 4] [--dll PATH] [NAME=value ...]
(from the repository root, after `dotnet build -c Release src/Api`)."""
import datetime, http.client, json, os, subprocess, sys, tempfile, threading, time

opts = {"jobs": 1000, "epochs": 100, "clients": 4, "dll": "src/Api/bin/Release/net10.0/BackpropService.Api.dll"}
extra = {}
argv = sys.argv[1:]
while argv:
    a = argv.pop(0)
    if a.startswith("--"): opts[a[2:]] = argv.pop(0) if a == "--dll" else int(argv.pop(0))
    else: k, v = a.split("=", 1); extra[k] = v
port = 5195

def request(conn, method, path, body=None):
    conn.request(method, path, body=None if body is None else json.dumps(body), headers={"Content-Type": "application/json"})
    r = conn.getresponse(); data = r.read()
    return r.status, (json.loads(data) if data else None)

def stamp(s): return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()

def cpu_seconds(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")

tmp = tempfile.mkdtemp()
env = dict(os.environ, ASPNETCORE_ENVIRONMENT="Production", Logging__LogLevel__Default="Warning",
           ConnectionStrings__Default=f"Data Source={tmp}/many.db",
           RateLimits__JobSubmissionBurst="1000000", RateLimits__JobSubmissionsPerSecond="1000000", **extra)
proc = subprocess.Popen(["dotnet", opts["dll"], "--urls", f"http://127.0.0.1:{port}"], env=env,
                        stdout=open(f"{tmp}/service.log", "w"), stderr=subprocess.STDOUT)
try:
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            if request(conn, "GET", "/health")[0] == 200: break
        except OSError: time.sleep(0.05)
    net = request(conn, "POST", "/api/networks", {"name": "xor", "inputs": 2, "loss": "binary_cross_entropy",
          "layers": [{"units": 2, "activation": "sigmoid"}, {"units": 1, "activation": "sigmoid"}]})[1]["id"]
    ds = request(conn, "POST", "/api/datasets", {"name": "xor", "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0],[1],[1],[0]]})[1]["id"]
    ids, errors = [], []
    def client(n, seed0):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for i in range(n):
            status, body = request(c, "POST", "/api/jobs", {"networkId": net, "datasetId": ds, "epochs": opts["epochs"], "learningRate": 0.5, "seed": seed0 + i})
            (ids if status == 202 else errors).append(body["id"] if status == 202 else (status, body))
    cpu0 = cpu_seconds(proc.pid)
    t0 = time.perf_counter()
    per = opts["jobs"] // opts["clients"]
    threads = [threading.Thread(target=client, args=(per, k * per)) for k in range(opts["clients"])]
    for t in threads: t.start()
    for t in threads: t.join()
    submit = time.perf_counter() - t0
    if errors: sys.exit(f"{len(errors)} POSTs failed, first: {errors[0]}")
    pending, done = set(ids), {}
    while pending:
        time.sleep(0.25)
        for job_id in list(pending):
            job = request(conn, "GET", f"/api/jobs/{job_id}")[1]
            if job["status"] not in ("queued", "running"): done[job_id] = job; pending.discard(job_id)
    cpu = cpu_seconds(proc.pid) - cpu0
    failed = [j for j in done.values() if j["status"] != "succeeded"]
    span = max(stamp(j["finishedAt"]) for j in done.values()) - min(stamp(j["createdAt"]) for j in done.values())
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; {len(ids)} jobs of {opts['epochs']} epochs by {opts['clients']} clients; env {extra or '(shipped settings)'}")
    print(f"submitted in {submit:.2f} s ({len(ids) / submit:.0f} POSTs/s); first created -> last finished {span:.2f} s: "
          f"{len(ids) / span:.0f} jobs/s end to end; service CPU {cpu:.2f} s ({cpu / len(ids) * 1000:.1f} ms a job); failed: {len(failed)}")
finally:
    proc.terminate(); proc.wait()
