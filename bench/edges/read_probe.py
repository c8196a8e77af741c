"""The idle-read probe of many_jobs.py: where a slow `GET /api/jobs/{id}` spends its time, client or service.

- Client side: each read's wall time, and how long the reading thread itself waited on the run queue meanwhile
  (its own /proc/thread-self/schedstat, read before and after the request): the part that is the client not
  being scheduled, not the service. (Waiting for Python's GIL is not run-queue time: in the shared layout, where
  the posting clients are threads of the same process, it shows as neither.)
- Service side: the service's own `http.server.request.duration` histogram for the route (scraped from /metrics
  before and after; buckets of 5, 10, 25, 50 ms...), and with --server-log 1 each read's duration from the
  service's request log (Microsoft.AspNetCore.Hosting.Diagnostics "Request finished", ElapsedMilliseconds).
- Runtime counters over the same span from /metrics: GC collections per generation and pause time, thread-pool
  work items and queue length, lock contentions."""
import http.client, re, time

ROUTE = "/api/jobs/{id}"


def wait_ms():
    """This thread's run-queue wait so far (ms): the second field of schedstat."""
    with open("/proc/thread-self/schedstat") as f:
        return int(f.read().split()[1]) / 1e6


def read_loop(port, path, stop):
    """Back-to-back keep-alive GETs of path until stop.is_set(): the connection's local port, and a
    (wall ms, own run-queue wait ms, start as a Unix time) triple per read."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    c.connect()
    reads = []
    while not stop.is_set():
        w, t, start = wait_ms(), time.perf_counter(), time.time()
        c.request("GET", path)
        c.getresponse().read()
        reads.append(((time.perf_counter() - t) * 1000, wait_ms() - w, start))
    return c.sock.getsockname()[1], reads


SERIES = re.compile(r'^(\w+)\{((?:[^"}]|"[^"]*")*)\} (\S+)$')  # label values may hold braces: http_route="/api/jobs/{id}"


def scrape(port):
    """The counters this probe compares, from one /metrics scrape: {(name, labels that matter): value}."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", "/metrics")
    text = c.getresponse().read().decode()
    out = {}
    for line in text.splitlines():
        m = SERIES.match(line)
        if not m: continue
        name, labels, value = m.group(1), dict(re.findall(r'(\w+)="([^"]*)"', m.group(2))), float(m.group(3))
        if name.startswith("http_server_request_duration_seconds"):
            if labels.get("http_route") != ROUTE or labels.get("http_request_method") != "GET": continue
            out[(name, labels.get("le", ""))] = out.get((name, labels.get("le", "")), 0) + value
        elif name.startswith(("dotnet_gc_collections", "dotnet_gc_pause", "dotnet_gc_heap_total_allocated", "dotnet_thread_pool", "dotnet_monitor_lock")):
            out[(name, labels.get("gc_heap_generation", ""))] = value
    return out


def pct(xs, p): return xs[min(len(xs) - 1, int(len(xs) * p))]


def client_report(reads):
    totals = sorted(r[0] for r in reads)
    waits = sorted(r[1] for r in reads)
    slow = [r for r in reads if r[0] >= pct(totals, 0.99)]
    return (f"client side: {len(reads)} reads, p50 {pct(totals, 0.5):.2f} ms, p99 {pct(totals, 0.99):.2f} ms, max {totals[-1]:.2f} ms; "
            f"the reader's own run-queue wait per read: p50 {pct(waits, 0.5):.2f}, p99 {pct(waits, 0.99):.2f} ms; "
            f"in the slowest 1 %: {sum(r[1] for r in slow) / max(1, sum(r[0] for r in slow)) * 100:.0f} % of their time "
            f"(mean {sum(r[0] for r in slow) / len(slow):.1f} ms a read, of which {sum(r[1] for r in slow) / len(slow):.1f} ms queued)")


def server_report(before, after, jobs):
    d = {k: after.get(k, 0) - before.get(k, 0) for k in after}
    n = d.get(("http_server_request_duration_seconds_count", ""), 0)
    lines = []
    if n:
        buckets = sorted((float(le), v) for (name, le), v in d.items() if name.endswith("_bucket") and le != "+Inf")
        over = ", ".join(f"> {le * 1000:g} ms {(n - v) / n * 100:.2f} %" for le, v in buckets if le <= 0.05)
        p99 = next((le for le, v in buckets if v >= 0.99 * n), float("inf"))
        mean = d[("http_server_request_duration_seconds_sum", "")] / n * 1000
        lines.append(f"service side (its request-duration histogram): {n:.0f} reads, mean {mean:.2f} ms, {over}; p99 <= {p99 * 1000:g} ms")
    gc = {g: d.get(("dotnet_gc_collections_total", g), 0) for g in ("gen0", "gen1", "gen2")}
    pause = d.get(("dotnet_gc_pause_time_seconds_total", ""), 0) * 1000
    lines.append(f"runtime over the same span: GCs gen0 {gc['gen0']:.0f}, gen1 {gc['gen1']:.0f}, gen2 {gc['gen2']:.0f}, "
                 f"pause {pause:.0f} ms in all ({pause / max(1, sum(gc.values())):.2f} ms a GC); allocated "
                 f"{d.get(('dotnet_gc_heap_total_allocated_bytes_total', ''), 0) / jobs / 1024:.0f} KB a job; "
                 f"thread-pool work items {d.get(('dotnet_thread_pool_work_item_count_total', ''), 0):.0f}, "
                 f"queue length at the end {after.get(('dotnet_thread_pool_queue_length_total', ''), 0):.0f}, "
                 f"threads {after.get(('dotnet_thread_pool_thread_count_total', ''), 0):.0f}; "
                 f"lock contentions {d.get(('dotnet_monitor_lock_contentions_total', ''), 0):.0f}")
    return "\n".join(lines)


def socket_report(reads, kernel):
    """The reads' service time as the kernel saw it (socket_times.py: (request Unix time, ms) per exchange), each
    paired with the read it falls in, so each read splits into service and the rest (client and loopback)."""
    pairs, exchanges = [], iter(sorted(kernel))
    k = next(exchanges, None)
    for r in sorted(reads, key=lambda r: r[2]):
        while k is not None and k[0] < r[2]: k = next(exchanges, None)
        if k is not None and k[0] <= r[2] + r[0] / 1000: pairs.append((r[0], k[1]))
    if len(pairs) < len(reads) * 0.9: return f"service side (socket to socket): only {len(pairs)} of {len(reads)} reads captured"
    ks = sorted(k for _, k in pairs)
    rest = sorted(r - k for r, k in pairs)
    slow = sorted(pairs)[-max(1, len(pairs) // 100):]
    return (f"service side (socket to socket, tcpdump, {len(pairs)} reads): p50 {pct(ks, 0.5):.2f} ms, p99 {pct(ks, 0.99):.2f} ms, "
            f"max {ks[-1]:.2f} ms; the rest (client and loopback): p50 {pct(rest, 0.5):.2f}, p99 {pct(rest, 0.99):.2f} ms; "
            f"the slowest 1 % of reads: {sum(k for _, k in slow) / sum(r for r, _ in slow) * 100:.0f} % of their time in the service")


def server_log_report(log_path, path, since):
    """Each read's duration as the service logged it (--server-log 1), for the reads after `since` (a log offset)."""
    ms, finished = [], re.compile(r'Request finished HTTP/[\d.]+ GET http://[^/ ]+(\S+) - .*?([\d.]+)ms')
    with open(log_path) as f:
        f.seek(since)
        for line in f:
            m = finished.search(line)
            if m and m.group(1) == path: ms.append(float(m.group(2)))
    if not ms: return "service log: no request lines (is Microsoft.AspNetCore.Hosting.Diagnostics at Information?)"
    ms.sort()
    return f"service side (its request log): {len(ms)} reads, p50 {pct(ms, 0.5):.2f} ms, p99 {pct(ms, 0.99):.2f} ms, max {ms[-1]:.2f} ms"
