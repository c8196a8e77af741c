#!/usr/bin/env python3
"""Many small jobs end to end: starts `dotnet <dll>` on a temporary SQLite file (or, with --postgres, a fresh PostgreSQL
database) with the job-submission rate limits off, then --clients concurrent clients (one keep-alive connection each)
POST --jobs XOR jobs of --epochs epochs between them. Prints the submission rate (client clock), the end-to-end rate,
jobs / (last finishedAt - first createdAt) by the jobs' own timestamps, and the service's CPU time per job over the
whole run (admission, training and the completion checks: one list request every 250 ms, not a GET per job).
With --reads, one more client reads a finished job (GET /api/jobs/{id}, keep-alive, sequential) while the jobs stream
and prints that read's p50/p99 (the "idle read" of docs/performance.md).
Extra NAME=value arguments go to the service's environment.
Usage: bench/edges/many_jobs.py [--jobs 1000] [--epochs 100] [--clients 4] [--warmup 200] [--port 5380] [--reads 1] [--postgres 1]
       [--dll PATH] [NAME=value ...]   (from the repository root, after `dotnet build -c Release src/Api`).
PostgreSQL: the server of .ci/services.sh (role backprop_test on 127.0.0.1:5432, or BACKPROP_TEST_POSTGRES)."""
import datetime, http.client, json, os, subprocess, sys, tempfile, threading, time, uuid

opts = {"jobs": 1000, "epochs": 100, "clients": 4, "warmup": 200, "port": 5380, "reads": 0, "postgres": 0,
        "dll": "src/Api/bin/Release/net10.0/BackpropService.Api.dll"}
extra = {}
argv = sys.argv[1:]
while argv:
    a = argv.pop(0)
    if a.startswith("--"): opts[a[2:]] = argv.pop(0) if a == "--dll" else int(argv.pop(0))
    else: k, v = a.split("=", 1); extra[k] = v
port = opts["port"]

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
           RateLimits__JobSubmissionBurst="1000000", RateLimits__JobSubmissionsPerSecond="1000000")
pg_server = os.environ.get("BACKPROP_TEST_POSTGRES", "Host=127.0.0.1;Port=5432;Username=backprop_test;Password=backprop_test")
pg_db = f"many_jobs_{uuid.uuid4().hex[:8]}"
def psql(sql):
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "backprop_test", "-d", "postgres", "-c", sql], check=True,
                   env=dict(os.environ, PGPASSWORD="backprop_test"))
if opts["postgres"]:
    psql(f'CREATE DATABASE "{pg_db}"')
    env.update(Database__Provider="postgres", ConnectionStrings__Default=f"{pg_server};Database={pg_db}")
env.update(extra)
proc = subprocess.Popen(["dotnet", opts["dll"], "--urls", f"http://127.0.0.1:{port}"], env=env,
                        stdout=open(f"{tmp}/service.log", "w"), stderr=subprocess.STDOUT)
try:
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            if request(conn, "GET", "/health")[0] == 200: break
        except OSError: time.sleep(0.05)
        if proc.poll() is not None: sys.exit(f"the service exited; see {tmp}/service.log")
    net = request(conn, "POST", "/api/networks", {"name": "xor", "inputs": 2, "loss": "binary_cross_entropy",
          "layers": [{"units": 2, "activation": "sigmoid"}, {"units": 1, "activation": "sigmoid"}]})[1]["id"]
    ds = request(conn, "POST", "/api/datasets", {"name": "xor", "features": [[0,0],[0,1],[1,0],[1,1]], "targets": [[0],[1],[1],[0]]})[1]["id"]
    job = {"networkId": net, "datasetId": ds, "epochs": opts["epochs"], "learningRate": 0.5}

    def wait_idle(c):
        while any(request(c, "GET", f"/api/jobs?status={s}&limit=1")[1]["items"] for s in ("queued", "running")):
            time.sleep(0.25)

    # Warm-up: --warmup jobs first, so the figures below are the steady state, not the jitting and tier-up of a fresh
    # process (hundreds of jobs' worth of CPU: docs/performance.md).
    for i in range(opts["warmup"]): request(conn, "POST", "/api/jobs", dict(job, seed=10**6 + i))
    wait_idle(conn)
    idle = request(conn, "POST", "/api/jobs", dict(job, seed=10**6 + 99))[1]["id"]
    wait_idle(conn)

    ids, errors, reads, streaming = [], [], [], threading.Event()
    def client(n, seed0):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for i in range(n):
            status, body = request(c, "POST", "/api/jobs", dict(job, seed=seed0 + i))
            (ids if status == 202 else errors).append(body["id"] if status == 202 else (status, body))
    def reader():
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while not streaming.is_set():
            t = time.perf_counter(); request(c, "GET", f"/api/jobs/{idle}"); reads.append((time.perf_counter() - t) * 1000)
    print(f"warmed up (service pid {proc.pid})", flush=True)
    cpu0 = cpu_seconds(proc.pid)
    t0 = time.perf_counter()
    per = opts["jobs"] // opts["clients"]
    threads = [threading.Thread(target=client, args=(per, k * per)) for k in range(opts["clients"])]
    if opts["reads"]: threads.append(threading.Thread(target=reader))
    for t in threads: t.start()
    for t in threads[:opts["clients"]]: t.join()
    submit = time.perf_counter() - t0
    if errors: sys.exit(f"{len(errors)} POSTs failed, first: {errors[0]}")
    wait_idle(conn)
    streaming.set()
    for t in threads: t.join()
    cpu = cpu_seconds(proc.pid) - cpu0
    print(f"service CPU measured", flush=True)
    done = [request(conn, "GET", f"/api/jobs/{i}")[1] for i in ids]
    failed = [j for j in done if j["status"] != "succeeded"]
    span = max(stamp(j["finishedAt"]) for j in done) - min(stamp(j["createdAt"]) for j in done)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; {len(ids)} jobs of {opts['epochs']} epochs by "
          f"{opts['clients']} clients on {'PostgreSQL' if opts['postgres'] else 'SQLite'}; env {extra or '(shipped settings)'}")
    print(f"submitted in {submit:.2f} s ({len(ids) / submit:.0f} POSTs/s); first created -> last finished {span:.2f} s: "
          f"{len(ids) / span:.0f} jobs/s end to end; service CPU {cpu:.2f} s ({cpu / len(ids) * 1000:.1f} ms a job); failed: {len(failed)}")
    if reads:
        reads.sort()
        print(f"idle GET /api/jobs/{{id}} while they streamed: {len(reads)} reads, p50 {reads[len(reads) // 2]:.2f} ms, "
              f"p99 {reads[int(len(reads) * 0.99)]:.2f} ms, max {reads[-1]:.2f} ms")
finally:
    proc.terminate(); proc.wait()
    if opts["postgres"]: psql(f'DROP DATABASE IF EXISTS "{pg_db}"')
