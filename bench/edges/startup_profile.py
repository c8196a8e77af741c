#!/usr/bin/env python3
"""A CPU profile of a fresh service's start-up, first POST /api/jobs and first 1-epoch job, by frame.
Starts `dotnet <dll>` under `dotnet-trace collect --profile dotnet-sampled-thread-time` (EventPipe's sampler: every
managed thread's stack about every millisecond, marked CPU_TIME when it was running), on a temporary SQLite file, from
the dll's folder (as the image runs); waits for /health 200, then posts the first job and waits for it to succeed,
then stops the service and reads the speedscope file dotnet-trace converts the trace to. Prints, per phase (start ->
/health, the first POST, the first job), the CPU milliseconds sampled in each frame (inclusive; a recursive frame
counted once) as a call tree cut below --min ms, and with --flat the frames by inclusive time.
Needs dotnet-trace: `dotnet tool install -g dotnet-trace --version 10.0.750501` (the mirror's).
Usage: bench/edges/startup_profile.py [--dll PATH] [--port N] [--min 15] [--flat] [--depth 60] [--keep DIR] [NAME=value ...]
(from the repository root; NAME=value arguments go to the service's environment, e.g. DOTNET_TC_QuickJit=1).
Only managed stacks are sampled: time in the JIT or the type loader shows under the managed frame that caused it;
the runtime's own threads (the tier-up worker, the GC) are not sampled, so the total is below the process's CPU time."""
import collections, json, os, re, shutil, subprocess, sys, tempfile, time, urllib.request

def parse(argv):
    opts = {"dll": "src/Api/bin/Release/net10.0/BackpropService.Api.dll", "port": "5199", "min": 15.0, "flat": False,
            "depth": 60, "keep": None, "env": {}}
    while argv:
        a = argv.pop(0)
        if a in ("--dll", "--port", "--keep"): opts[a[2:]] = argv.pop(0)
        elif a in ("--min", "--depth"): opts[a[2:]] = float(argv.pop(0))
        elif a == "--flat": opts["flat"] = True
        elif "=" in a: k, v = a.split("=", 1); opts["env"][k] = v
        else: sys.exit(f"unknown argument {a}")
    return opts

def call(port, method, path, body=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                 data=None if body is None else json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status, json.loads(r.read() or b"null")

def drive(port, proc):
    """Returns the wall times (s, since launch) at which /health answered, the first POST returned, the job ended."""
    t0, marks = time.time(), []
    while True:
        try:
            if call(port, "GET", "/health")[0] == 200: break
        except OSError:
            if proc.poll() is not None: sys.exit("the service exited before /health answered")
            time.sleep(0.01)
    marks.append(time.time() - t0)
    net = call(port, "POST", "/api/networks", {"name": "xor", "inputs": 2, "loss": "binary_cross_entropy",
               "layers": [{"units": 2, "activation": "sigmoid"}, {"units": 1, "activation": "sigmoid"}]})[1]["id"]
    ds = call(port, "POST", "/api/datasets", {"name": "xor", "features": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]]})[1]["id"]
    marks.append(time.time() - t0)
    job = call(port, "POST", "/api/jobs", {"networkId": net, "datasetId": ds, "learningRate": 0.5, "seed": 42, "epochs": 1})[1]
    marks.append(time.time() - t0)
    while call(port, "GET", f"/api/jobs/{job['id']}")[1]["status"] in ("queued", "running"): time.sleep(0.002)
    marks.append(time.time() - t0)
    return marks

def span(d, frames, word):
    """The trace times (ms) of the first and the last sample with a frame containing word."""
    ids = {i for i, f in enumerate(frames) if word in f}
    first, last = None, None
    for p in d["profiles"]:
        for e in p["events"]:
            if e["frame"] in ids:
                first = e["at"] if first is None else min(first, e["at"])
                last = e["at"] if last is None else max(last, e["at"])
    return first, last

def aggregate(path, opts):
    d = json.load(open(path))
    frames = [re.sub(r"\(.*", "", f["name"]) for f in d["shared"]["frames"]]
    # The phases are cut at the trace's own landmarks (its clock starts when dotnet-trace, itself a .NET program, has
    # launched the service, so the client's clock does not line up): the end of the /health handler, the first and
    # last sample of the POST /api/jobs handler, the last sample of the job's attempt.
    health = span(d, frames, "HealthApi")[1]
    post = span(d, frames, "JobsApi.CreateJobAsync")
    job = span(d, frames, "JobAttempt")[1]
    windows = [("start -> /health 200 (to the end of its handler)", 0, health),
               ("first POST /api/jobs (its handler's first to last sample)", post[0], post[1]),
               ("first job (the POST's end to the attempt's last sample)", post[1], job)]
    result = {name: (collections.Counter(), {}) for name, _, _ in windows}
    for p in d["profiles"]:
        stack, last = [], None
        for e in p["events"]:
            if last is not None and stack and e["at"] > last and frames[stack[-1]] == "CPU_TIME":
                for name, lo, hi in windows:
                    dt = min(e["at"], hi) - max(last, lo)
                    if dt <= 0: continue
                    flat, tree = result[name]
                    for f in {frames[i] for i in stack}: flat[f] += dt
                    node = tree
                    # The first four frames are the process, "(Non-Activities)", "Threads" and the thread's name.
                    for i in stack[4:-1]:
                        n = node.setdefault(frames[i], [0.0, {}]); n[0] += dt; node = n[1]
            last = e["at"]
            if e["type"] == "O": stack.append(e["frame"])
            else: stack.pop()
    for name, _, _ in windows:
        flat, tree = result[name]
        print(f"\n## {name}: {flat['CPU_TIME']:.0f} ms of CPU sampled")
        if opts["flat"]:
            for k, v in flat.most_common():
                if v < opts["min"]: break
                print(f"{v:7.0f}  {k[:200]}")
            continue
        def walk(node, depth):
            for k, (v, children) in sorted(node.items(), key=lambda x: -x[1][0]):
                if v < opts["min"] or depth > opts["depth"]: continue
                # Skip the async plumbing frames that only repeat their caller.
                if "AsyncMethodBuilderCore.Start" in k: walk(children, depth); continue
                print(f"{'  ' * depth}{v:6.0f} {k[:200]}")
                walk(children, depth + 1)
        walk(tree, 0)

def main():
    opts = parse(sys.argv[1:])
    if not shutil.which("dotnet-trace") and not os.path.exists(os.path.expanduser("~/.dotnet/tools/dotnet-trace")):
        sys.exit("dotnet-trace is not installed: dotnet tool install -g dotnet-trace --version 10.0.750501")
    tool = shutil.which("dotnet-trace") or os.path.expanduser("~/.dotnet/tools/dotnet-trace")
    tmp = opts["keep"] or tempfile.mkdtemp()
    os.makedirs(tmp, exist_ok=True)
    dll = os.path.abspath(opts["dll"])
    env = dict(os.environ, ASPNETCORE_ENVIRONMENT="Production", ConnectionStrings__Default=f"Data Source={tmp}/profile.db",
               RateLimits__JobSubmissionBurst="10000", RateLimits__JobSubmissionsPerSecond="10000", **opts["env"])
    trace = os.path.join(tmp, "startup.nettrace")
    tracer = subprocess.Popen([tool, "collect", "--profile", "dotnet-sampled-thread-time", "--format", "Speedscope", "-o", trace,
                               "--", "dotnet", dll, "--urls", f"http://127.0.0.1:{opts['port']}"],
                              env=env, cwd=os.path.dirname(dll), stdout=open(trace + ".log", "w"), stderr=subprocess.STDOUT)
    try:
        marks = drive(opts["port"], tracer)
    finally:
        # The traced service is dotnet-trace's child; stopping it ends the trace, and dotnet-trace then converts it.
        for child in open(f"/proc/{tracer.pid}/task/{tracer.pid}/children").read().split():
            os.kill(int(child), 15)
        tracer.wait()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; wall since launch: /health {marks[0]*1000:.0f} ms, "
          f"first POST /api/jobs {(marks[2]-marks[1])*1000:.0f} ms, first job submit -> succeeded {(marks[3]-marks[1])*1000:.0f} ms; trace {trace}")
    aggregate(os.path.join(tmp, "startup.speedscope.json"), opts)

main()
