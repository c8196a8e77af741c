#!/usr/bin/env python3
"""The PostgreSQL claim with a deep queue: creates a fresh database, lets the built service apply its migrations (and
submit one job through the API), stops it, copies that job into 10,000 queued and 20,000 finished jobs, runs ANALYZE,
then EXPLAIN (ANALYZE, BUFFERS) of the claim statement of src/Persistence/Dialects/PostgresJobClaim.cs (as that file
defines it at --rev, default the working tree; since the multi-job claim, its seek of JobClaimStatements.cs for one job) with literal parameters, in a transaction rolled back each time, and
the mean execution time over --runs executions. Drops the database at the end.
Usage: bench/edges/claim_plan_postgres.py [--queued N] [--rev GITREV] [--runs 50] [--port 5382] [--dll PATH]
(from the repository root, after `dotnet build -c Release src/Api`; the server of .ci/services.sh)."""
import json, os, re, subprocess, sys, tempfile, time, urllib.request, uuid

args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
queued = int(args.get("--queued", 10000))
runs = int(args.get("--runs", 50))
port = int(args.get("--port", 5382))
dll = args.get("--dll", "src/Api/bin/Release/net10.0/BackpropService.Api.dll")
def source(path):
    return subprocess.run(["git", "show", f"{args['--rev']}:{path}"], capture_output=True, text=True, check=True).stdout \
        if "--rev" in args else open(path).read()
claim = source("src/Persistence/Dialects/PostgresJobClaim.cs")
slots = source("src/Persistence/Dialects/SweepSlots.cs")
def slot(name): return re.search(r'\b' + name + r' = """\n(.*?)\n\s*""";', slots, re.S).group(1).strip()
if "JobClaimStatements" in claim:
    # Since the multi-job claim: the seek of JobClaimStatements with PostgreSQL's row lock (the updates that follow are by key).
    lock = re.search(r'Seek\(rowLock: "(.*?)"\)', claim).group(1)
    sql = re.search(r'Seek\(string rowLock\) => \$\$"""\n(.*?)\n\s*""";', source("src/Persistence/Dialects/JobClaimStatements.cs"), re.S).group(1)
    sql = sql.replace("{{rowLock}}", lock).replace("{{SweepSlots.RoomSql}}", slot("RoomSql")).replace("{{SweepSlots.HasRoomSql}}", slot("HasRoomSql"))
else:
    sql = re.search(r'Sql = \$\$"""\n(.*?)\n\s*""";', claim, re.S).group(1)
    sql = sql.replace("{{SweepSlots.PostgresHasRoom}}", slot("PostgresHasRoom"))
now = "2026-12-08 00:00:00"
for name, value in {"running": "'Running'", "queued": "'Queued'", "owner": "'bench'", "token": "'t'",
                    "now": f"'{now}'::timestamp", "expires": "'2026-12-08 00:00:30'::timestamp", "count": "1"}.items():
    sql = sql.replace("@" + name, value)

db = f"claim_plan_{uuid.uuid4().hex[:8]}"
pg_env = dict(os.environ, PGPASSWORD="backprop_test")
def psql(database, script):
    return subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-U", "backprop_test", "-d", database],
                          input=script, capture_output=True, text=True, env=pg_env, check=True).stdout
psql("postgres", f'CREATE DATABASE "{db}";')
try:
    tmp = tempfile.mkdtemp()
    env = dict(os.environ, ASPNETCORE_ENVIRONMENT="Production", Logging__LogLevel__Default="Warning", Database__Provider="postgres",
               ConnectionStrings__Default=f"Host=127.0.0.1;Port=5432;Username=backprop_test;Password=backprop_test;Database={db}",
               Training__MaxConcurrentJobs="1")
    proc = subprocess.Popen(["dotnet", dll, "--urls", f"http://127.0.0.1:{port}"], env=env, stdout=open(f"{tmp}/service.log", "w"), stderr=subprocess.STDOUT)
    def post(path, body):
        r = urllib.request.Request(f"http://127.0.0.1:{port}{path}", json.dumps(body).encode(), {"Content-Type": "application/json"})
        return json.loads(urllib.request.urlopen(r).read())
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health"); break
            except OSError: time.sleep(0.2)
        net = post("/api/networks", {"name": "xor", "inputs": 2, "loss": "binary_cross_entropy",
                   "layers": [{"units": 2, "activation": "sigmoid"}, {"units": 1, "activation": "sigmoid"}]})["id"]
        ds = post("/api/datasets", {"name": "xor", "features": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]]})["id"]
        template = post("/api/jobs", {"networkId": net, "datasetId": ds, "epochs": 10, "learningRate": 0.5, "seed": 1})["id"]
    finally:
        proc.terminate(); proc.wait()

    columns = psql(db, "SELECT column_name FROM information_schema.columns WHERE table_name = 'Jobs' ORDER BY ordinal_position;").split()
    chosen = {"Id": "md5(i::text)", "Status": f"CASE WHEN i < {queued} THEN 'Queued' ELSE 'Succeeded' END",
              "CreatedAt": "timestamp '2026-12-07' + i * interval '1 millisecond'", "IdempotencyKey": "NULL", "LeaseOwner": "NULL",
              "LeaseExpiresAt": "NULL", "AttemptToken": "NULL", "StartedAt": "NULL", "FinishedAt": "NULL", "Attempts": "0"}
    select = ", ".join(chosen.get(c, f'j."{c}"') for c in columns)
    psql(db, f'''INSERT INTO "Jobs" ({", ".join(f'"{c}"' for c in columns)})
                 SELECT {select} FROM "Jobs" AS j, generate_series(0, {3 * queued - 1}) AS i WHERE j."Id" = '{template}';
                 DELETE FROM "Jobs" WHERE "Id" = '{template}'; ANALYZE "Jobs";''')
    counts = psql(db, 'SELECT "Status", count(*) FROM "Jobs" GROUP BY 1 ORDER BY 1;').split()
    version = psql(db, "SHOW server_version;").strip()
    print(f"PostgreSQL {version}; jobs by status: {' '.join(counts)}; load average {os.getloadavg()[0]:.2f}"
          f"; statement of {args.get('--rev', 'the working tree')}\n")
    print(sql + "\n")
    print(psql(db, f"BEGIN; EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}; ROLLBACK;"))
    times = [float(t) for t in re.findall(r"Execution Time: ([0-9.]+) ms",
             psql(db, f"BEGIN; EXPLAIN (ANALYZE) {sql}; ROLLBACK;\n" * runs))]
    print(f"mean execution time over {len(times)} claims (each rolled back): {sum(times) / len(times):.3f} ms")
finally:
    psql("postgres", f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE);')
