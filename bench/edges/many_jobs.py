#!/usr/bin/env python3
"""Many small jobs end to end: starts `dotnet <dll>` on a temporary SQLite file (or, with --postgres, a fresh PostgreSQL
database) with the job-submission rate limits off, then --clients concurrent clients (one keep-alive connection each)
POST --jobs XOR jobs of --epochs epochs between them. Prints the submission rate (client clock), the end-to-end rate,
jobs / (last finishedAt - first createdAt) by the jobs' own timestamps, and the service's CPU time per job over the
whole run (admission, training and the completion checks: one list request every 250 ms, not a GET per job).
With --reads, one more client reads a finished job (GET /api/jobs/{id}, keep-alive, sequential) while the jobs stream
and prints that read's p50/p99 (the "idle read" of docs/performance.md) as the client saw it and as the service timed
it, with the runtime's counters over the same span (read_probe.py says what each figure is).
--layout says where the clients run, since here they share the service's two cores:
  shared (the default, and the only layout before 2026-12-07 15:00): the posting clients and the reader are threads
         of this process at normal priority. The reader then competes with the posting threads for Python's lock and
         with five processes' worth of work for the cores, so its p99 is mostly the client's own waiting.
  remote: what production looks like, where the posting clients run on other machines: each posting client is its
         own process at nice --nice (19), the reader its own process at normal priority. The posting clients still
         take the cores the service leaves idle, but no longer delay the reader or the service.
--capture 1 times each read in the service socket to socket with tcpdump (socket_times.py: needs tcpdump and root).
--server-log 1 turns on the service's request log (Microsoft.AspNetCore.Hosting.Diagnostics) for each read's own
duration; it costs the service some CPU per request, so leave it off for the CPU-per-job figure.
Extra NAME=value arguments go to the service's environment.
Usage: bench/edges/many_jobs.py [--jobs 1000] [--epochs 100] [--clients 4] [--warmup 200] [--port 5380] [--reads 1] [--postgres 1]
       [--layout shared|remote] [--nice 19] [--server-log 1] [--capture 1] [--dll PATH] [NAME=value ...]
       (from the repository root, after `dotnet build -c Release src/Api`).
PostgreSQL: the server of .ci/services.sh (role backprop_test on 127.0.0.1:5432, or BACKPROP_TEST_POSTGRES)."""
import datetime, http.client, multiprocessing, os, subprocess, sys, tempfile, threading, time, uuid
from xor_service import cpu_seconds, create_xor, request, start, parse_args
import read_probe, socket_times

opts, extra = parse_args({"jobs": 1000, "epochs": 100, "clients": 4, "warmup": 200, "port": 5380, "reads": 0, "postgres": 0,
        "layout": "shared", "nice": 19, "server-log": 0, "capture": 0, "dll": "src/Api/bin/Release/net10.0/BackpropService.Api.dll"}, text=("dll", "layout"), usage=__doc__)
port = opts["port"]
if opts["layout"] not in ("shared", "remote"): sys.exit("--layout is shared or remote")

def stamp(s): return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()

tmp = tempfile.mkdtemp()
env = dict(os.environ, ASPNETCORE_ENVIRONMENT="Production", Logging__LogLevel__Default="Warning",
           ConnectionStrings__Default=f"Data Source={tmp}/many.db",
           RateLimits__JobSubmissionBurst="1000000", RateLimits__JobSubmissionsPerSecond="1000000")
pg_server = os.environ.get("BACKPROP_TEST_POSTGRES", "Host=127.0.0.1;Port=5432;Username=backprop_test;Password=backprop_test")
pg_db = f"many_jobs_{uuid.uuid4().hex[:8]}"
def psql(sql):
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "backprop_test", "-d", "postgres", "-c", sql], check=True,
                   env=dict(os.environ, PGPASSWORD="backprop_test"))
if opts["server-log"]: env["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information"
if opts["postgres"]:
    psql(f'CREATE DATABASE "{pg_db}"')
    env.update(Database__Provider="postgres", ConnectionStrings__Default=f"{pg_server};Database={pg_db}")
env.update(extra)
capture = None
proc, conn = start(opts["dll"], port, env, f"{tmp}/service.log")
try:
    net, ds = create_xor(conn)
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

    ids, errors = [], []
    def client(n, seed0, out=None, niceness=0):
        os.nice(niceness)
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        got, failed = [], []
        for i in range(n):
            status, body = request(c, "POST", "/api/jobs", dict(job, seed=seed0 + i))
            (got if status == 202 else failed).append(body["id"] if status == 202 else (status, body))
        if out is None: ids.extend(got); errors.extend(failed)
        else: out.put((got, failed))
    def reader(stop, out=None):
        reads = read_probe.read_loop(port, f"/api/jobs/{idle}", stop)
        if out is None: all_reads.append(reads)
        else: out.send(reads)
    print(f"warmed up (service pid {proc.pid})", flush=True)
    all_reads, per = [], opts["jobs"] // opts["clients"]
    capture = socket_times.start(port, f"{tmp}/reads.pcap") if opts["capture"] and opts["reads"] else None
    metrics0, log0 = read_probe.scrape(port), os.path.getsize(f"{tmp}/service.log")
    cpu0 = cpu_seconds(proc.pid)
    t0 = time.perf_counter()
    if opts["layout"] == "shared":
        streaming = threading.Event()
        threads = [threading.Thread(target=client, args=(per, k * per)) for k in range(opts["clients"])]
        if opts["reads"]: threads.append(threading.Thread(target=reader, args=(streaming,)))
        for t in threads: t.start()
        for t in threads[:opts["clients"]]: t.join()
        submit = time.perf_counter() - t0
        wait_idle(conn)
        streaming.set()
        for t in threads: t.join()
    else:
        streaming, posted, (reads_in, reads_out) = multiprocessing.Event(), multiprocessing.Queue(), multiprocessing.Pipe(False)
        posters = [multiprocessing.Process(target=client, args=(per, k * per, posted, opts["nice"])) for k in range(opts["clients"])]
        readers = [multiprocessing.Process(target=reader, args=(streaming, reads_out))] if opts["reads"] else []
        for p in posters + readers: p.start()
        for _ in posters:
            got, failed = posted.get(); ids.extend(got); errors.extend(failed)
        submit = time.perf_counter() - t0
        wait_idle(conn)
        streaming.set()
        if readers: all_reads = [reads_in.recv()]
        for p in posters + readers: p.join()
    if errors: sys.exit(f"{len(errors)} POSTs failed, first: {errors[0]}")
    cpu = cpu_seconds(proc.pid) - cpu0
    metrics1 = read_probe.scrape(port)
    if capture: socket_times.stop(capture)
    print(f"service CPU measured", flush=True)
    done = [request(conn, "GET", f"/api/jobs/{i}")[1] for i in ids]
    failed = [j for j in done if j["status"] != "succeeded"]
    span = max(stamp(j["finishedAt"]) for j in done) - min(stamp(j["createdAt"]) for j in done)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; {len(ids)} jobs of {opts['epochs']} epochs by "
          f"{opts['clients']} clients on {'PostgreSQL' if opts['postgres'] else 'SQLite'}; layout {opts['layout']}"
          f"{' (posting clients at nice %d)' % opts['nice'] if opts['layout'] == 'remote' else ''}; env {extra or '(shipped settings)'}")
    print(f"submitted in {submit:.2f} s ({len(ids) / submit:.0f} POSTs/s); first created -> last finished {span:.2f} s: "
          f"{len(ids) / span:.0f} jobs/s end to end; service CPU {cpu:.2f} s ({cpu / len(ids) * 1000:.1f} ms a job); failed: {len(failed)}")
    if all_reads:
        reader_port, reads = all_reads[0]
        print(f"idle GET /api/jobs/{{id}} while they streamed: {read_probe.client_report(reads)}")
        print(read_probe.server_report(metrics0, metrics1, len(ids)))
        if capture: print(read_probe.socket_report(reads, socket_times.service_times(f"{tmp}/reads.pcap", port, reader_port)))
        if opts["server-log"]: print(read_probe.server_log_report(f"{tmp}/service.log", f"/api/jobs/{idle}", log0))
finally:
    proc.terminate(); proc.wait()
    if capture and capture.poll() is None: capture.kill()
    if opts["postgres"]: psql(f'DROP DATABASE IF EXISTS "{pg_db}"')
