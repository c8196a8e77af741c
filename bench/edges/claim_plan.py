#!/usr/bin/env python3
"""The SQLite claim with a deep queue: starts the built service on a temporary SQLite file (its migrations make the
schema), stops it, adds --queued queued jobs (each its own CreatedAt), twice as many finished ones and, oldest of all,
a sweep of --trials queued trials sharing one CreatedAt (as a sweep's trials do), then prints EXPLAIN QUERY PLAN and
the mean time of the claim's seek, its SQL taken from src/Persistence/Dialects (JobClaimStatements.Seek, SweepSlots).
Usage: bench/edges/claim_plan.py [--queued N] [--trials N] [--dll PATH]  (from the repository root, after
`dotnet build -c Release src/Api`)."""
import os, re, sqlite3, subprocess, sys, tempfile, time, urllib.request, uuid

args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
queued = int(args.get("--queued", 10000))
trials = int(args.get("--trials", 1000))
dll = args.get("--dll", "src/Api/bin/Release/net10.0/BackpropService.Api.dll")
tmp = tempfile.mkdtemp()
db = f"{tmp}/claim.db"
env = dict(os.environ, ASPNETCORE_ENVIRONMENT="Production", ConnectionStrings__Default=f"Data Source={db}",
           Logging__LogLevel__Default="Warning")
proc = subprocess.Popen(["dotnet", dll, "--urls", "http://127.0.0.1:5196"], env=env, stdout=open(f"{tmp}/service.log", "w"), stderr=subprocess.STDOUT)
try:
    deadline = time.time() + 120
    while True:
        try:
            if urllib.request.urlopen("http://127.0.0.1:5196/health", timeout=5).status == 200: break
        except OSError:
            if time.time() > deadline: sys.exit(f"the service did not start; see {tmp}/service.log")
            time.sleep(0.2)
finally:
    proc.terminate(); proc.wait()


def raw(path, declaration):
    """The raw string literal that follows the declaration in a C# file."""
    return re.search(re.escape(declaration) + r'\s*"""(.*?)"""', open(path).read(), re.S).group(1)


dialects = "src/Persistence/Dialects"
seek = (raw(f"{dialects}/JobClaimStatements.cs", "public static string Seek(string rowLock) => $$")
        .replace("{{rowLock}}", "")
        .replace("{{SweepSlots.RoomSql}}", raw(f"{dialects}/SweepSlots.cs", "public const string RoomSql ="))
        .replace("{{SweepSlots.HasRoomSql}}", raw(f"{dialects}/SweepSlots.cs", "public const string HasRoomSql =")))

c = sqlite3.connect(db)
c.execute("PRAGMA foreign_keys=OFF")
rows = [(uuid.uuid4().hex, "n", "d", "Queued" if i < queued else "Succeeded", 100, "{}",
         f"2026-12-07 {i // 3600000 % 24:02d}:{i // 60000 % 60:02d}:{i // 1000 % 60:02d}.{i % 1000:03d}0000", 0, 0, 0, None)
        for i in range(queued * 3)]
rows += [(f"trial{i:06d}", "n", "d", "Queued", 100, "{}", "2026-12-06 12:00:00.0000000", 0, 0, 0, "sweep") for i in range(trials)]
c.executemany("INSERT INTO Jobs (Id, NetworkId, DatasetId, Status, Epochs, SettingsJson, CreatedAt, Attempts, "
              "CancelRequested, EpochsCompleted, SweepId) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
c.commit()
print(f"{trials:,} queued trials of one sweep (one CreatedAt, the oldest), {queued:,} queued and {2 * queued:,} finished "
      f"jobs; SQLite {sqlite3.sqlite_version}; load average {os.getloadavg()[0]:.2f}")
bound = {"running": "Running", "queued": "Queued", "now": "2026-12-08 00:00:00", "count": 1}
print("\n" + seek)
for row in c.execute("EXPLAIN QUERY PLAN " + seek, bound): print("  plan:", row[3])
start = time.perf_counter()
for _ in range(200): c.execute(seek, bound).fetchall()
print(f"  mean: {(time.perf_counter() - start) / 200 * 1000:.3f} ms")
