#!/usr/bin/env python3
"""Where a fresh service's start-up goes: starts `dotnet <dll>` on a SQLite file with timestamped logs, samples the
process's CPU time every 20 ms until /health answers 200, then prints the start-up's landmarks (the first SQL command,
the migration lock, each migration applied or "up to date", "Now listening", the first /health request) with the wall
time since start and the CPU time the process had used by then. Run it twice on the same --db for a restart.
Usage: bench/edges/startup_phases.py [--dll PATH] [--db FILE] [--port N] [NAME=value ...]  (from the repository root,
after `dotnet build -c Release src/Api`). Add DOTNET_JitStdOutFile=FILE DOTNET_JitDisasmSummary=1 for the list of
methods jitted, in order (docs/performance.md, "Start-up")."""
import datetime, os, re, subprocess, sys, tempfile, time, urllib.request

opts = {"dll": "src/Api/bin/Release/net10.0/BackpropService.Api.dll", "db": None, "port": "5198"}
extra, args = {}, sys.argv[1:]
while args:
    a = args.pop(0)
    if a in ("--dll", "--db", "--port"): opts[a[2:]] = args.pop(0)
    elif "=" in a: k, v = a.split("=", 1); extra[k] = v
    else: sys.exit(f"unknown argument {a}")
db = opts["db"] or os.path.join(tempfile.mkdtemp(), "phases.db")
log_path = db + ".log"
env = dict(os.environ, ASPNETCORE_ENVIRONMENT="Production", ConnectionStrings__Default=f"Data Source={db}",
           Logging__LogLevel__Default="Information", Logging__Console__FormatterName="simple",
           Logging__Console__FormatterOptions__TimestampFormat="HH:mm:ss.fff ", Logging__Console__FormatterOptions__UseUtcTimestamp="true",
           **{"Logging__LogLevel__Microsoft.EntityFrameworkCore": "Information", "Logging__LogLevel__Microsoft.AspNetCore": "Information"})
env.update(extra)  # NAME=value arguments override the defaults above (e.g. Database__Provider=postgres ConnectionStrings__Default=...)
t0 = time.time()
# Run from the dll's folder, as the image does (WORKDIR /app): its appsettings.json applies, and the configuration
# file watcher watches that folder, not the repository.
dll = os.path.abspath(opts["dll"])
proc = subprocess.Popen(["dotnet", dll, "--urls", f"http://127.0.0.1:{opts['port']}"], env=env, cwd=os.path.dirname(dll),
                        stdout=open(log_path, "w"), stderr=subprocess.STDOUT)

def cpu_ms():
    fields = open(f"/proc/{proc.pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 // os.sysconf("SC_CLK_TCK")

samples = []
try:
    while True:
        samples.append((time.time(), cpu_ms()))
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{opts['port']}/health", timeout=60).status == 200: break
        except OSError:
            if proc.poll() is not None: sys.exit(f"the service exited with {proc.returncode} before /health answered; its log: {log_path}")
            time.sleep(0.02)
    samples.append((time.time(), cpu_ms()))
finally:
    proc.terminate(); proc.wait()

def cpu_at(ts): return max((c for t, c in samples if t <= ts), default=0)

print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; database {db}")
print(f"start -> /health 200: {(samples[-1][0] - t0) * 1000:.0f} ms wall, {samples[-1][1]} ms CPU")
landmarks = ("Migrations[20411]", "Migrations[20402]", "Migrations[20405]", "Lifetime[14]", "Hosting.Diagnostics[1]")
today = datetime.datetime.now(datetime.timezone.utc).date()
lines, first_command = open(log_path).read().splitlines(), True
for i, line in enumerate(lines):
    m = re.match(r"(\d\d):(\d\d):(\d\d\.\d+) \w+: (\S+)", line)
    if not m: continue
    is_command = "Command[20101]" in m[4]
    if not (any(k in m[4] for k in landmarks) or (is_command and first_command)): continue
    first_command = first_command and not is_command
    ts = datetime.datetime(today.year, today.month, today.day, int(m[1]), int(m[2]), tzinfo=datetime.timezone.utc).timestamp() + float(m[3])
    detail = lines[i + 1].strip()[:70] if i + 1 < len(lines) else ""
    print(f"  {(ts - t0) * 1000:7.0f} ms wall  {cpu_at(ts):5d} ms CPU  {m[4]}: {detail}")
