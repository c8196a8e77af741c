#!/usr/bin/env python3
"""The SQLite claim with a deep queue: starts the built service on a temporary SQLite file with EF Core's command log on,
takes the claim's candidate SELECTs exactly as the worker's first poll sent them, stops the service, adds 10,000
queued and 20,000 finished jobs, and prints EXPLAIN QUERY PLAN and the mean time of each statement.
Usage: bench/edges/claim_plan.py [--queued N] [--dll PATH]  (from the repository root, after
`dotnet build -c Release src/Api`)."""
import os, re, sqlite3, subprocess, sys, tempfile, time, urllib.request, uuid

args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
queued = int(args.get("--queued", 10000))
dll = args.get("--dll", "src/Api/bin/Release/net10.0/BackpropService.Api.dll")
tmp = tempfile.mkdtemp()
db = f"{tmp}/claim.db"
log = f"{tmp}/service.log"
env = dict(os.environ, ASPNETCORE_ENVIRONMENT="Production", ConnectionStrings__Default=f"Data Source={db}",
           Logging__LogLevel__Default="Warning", Logging__Console__FormatterName="simple",
           **{"Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command": "Information"})
proc = subprocess.Popen(["dotnet", dll, "--urls", "http://127.0.0.1:5196"], env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)
try:
    deadline = time.time() + 120
    statements = []
    while time.time() < deadline and not statements:
        time.sleep(0.5)
        blocks = re.split(r"^\w+: ", open(log).read(), flags=re.M)
        statements = [b.split("\n", 2)[2].strip() for b in blocks
                      if "Executed DbCommand" in b and 'FROM "Jobs"' in b and "ORDER BY" in b and "LIMIT" in b]
finally:
    proc.terminate(); proc.wait()
if not statements: sys.exit(f"no claim query in {log}")
statements = list(dict.fromkeys(statements))

c = sqlite3.connect(db)
c.execute("PRAGMA foreign_keys=OFF")
rows = [(uuid.uuid4().hex, "n", "d", "Queued" if i < queued else "Succeeded", 100, "{}",
         f"2026-12-07 {i // 3600000 % 24:02d}:{i // 60000 % 60:02d}:{i // 1000 % 60:02d}.{i % 1000:03d}0000", 0, 0, 0)
        for i in range(queued * 3)]
c.executemany("INSERT INTO Jobs (Id, NetworkId, DatasetId, Status, Epochs, SettingsJson, CreatedAt, Attempts, "
              "CancelRequested, EpochsCompleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
c.commit()
print(f"{queued:,} queued and {2 * queued:,} finished jobs; SQLite {sqlite3.sqlite_version}; load average {os.getloadavg()[0]:.2f}")
params = {"ef_filter__p2": 1, "now": "2026-12-08 00:00:00"}
for sql in statements:
    names = set(re.findall(r"@(\w+)", sql))
    bound = {n: params.get(n, 1) for n in names}
    print("\n" + sql)
    for row in c.execute("EXPLAIN QUERY PLAN " + sql, bound): print("  plan:", row[3])
    start = time.perf_counter()
    for _ in range(200): c.execute(sql, bound).fetchall()
    print(f"  mean: {(time.perf_counter() - start) / 200 * 1000:.3f} ms")
