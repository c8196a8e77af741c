#!/usr/bin/env python3
"""PyTorch side of bench/compare.sh: the same four workloads (and sgemm) as
`dotnet run -c Release --project bench/Engine.Benchmarks -- workloads --json`, one JSON line per result.

  compare_torch.py workloads [--only a,b] [--seconds s] [--repeats r] [--threads n] [--tiny]
  compare_torch.py sgemm [--sizes 512,1024,2048] [--threads n] [--seconds s]

Idiomatic, strongest-reasonable PyTorch: nn.Linear layers, the loss on logits (BCEWithLogitsLoss,
CrossEntropyLoss: the same fusions our engine makes), torch.optim.SGD, zero_grad(set_to_none=True),
a fresh random permutation per epoch when batched (our trainer shuffles too).
"""
import argparse, json, os, statistics, sys, time


def _threads_from_argv():
    argv = sys.argv[1:]
    return argv[argv.index("--threads") + 1] if "--threads" in argv[:-1] else "1"


# torch.set_num_threads only bounds PyTorch's own (OpenMP) threads; Debian's OpenBLAS (libopenblas0-pthread) runs a
# thread pool of its own, sized to every core unless told otherwise, and the GEMM-heavy workloads then use 2 cores in
# a "1 thread" run (their CPU time was twice their wall time). It reads this variable when torch loads it, so it is
# set before the import.
os.environ.setdefault("OPENBLAS_NUM_THREADS", _threads_from_argv())

import torch
import torch.nn as nn

WORKLOADS = {
    # name: (unit, inputs, units, activations, loss, rows, batch, learning rate) -- mirrors bench/Engine.Benchmarks/Workloads.cs
    "xor": ("epochs/s", 2, [2, 1], ["sigmoid", "sigmoid"], "bce", 4, None, 0.5),
    "small": ("samples/s", 2, [16, 16, 1], ["tanh", "tanh", "sigmoid"], "bce", 1000, 32, 0.1),
    "mnist": ("samples/s", 784, [128, 10], ["relu", "softmax"], "ce", 6400, 64, 0.01),
    "wide": ("samples/s", 1024, [1024, 1024, 10], ["tanh", "tanh", "softmax"], "ce", 2048, 256, 0.01),
}
ACT = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU}


def tiny(spec):
    unit, inputs, units, acts, loss, rows, batch, lr = spec
    return (unit, min(inputs, 8), [u if i == len(units) - 1 else min(u, 8) for i, u in enumerate(units)], acts, loss,
            min(rows, 8), None if batch is None else min(batch, 4), lr)


def build(spec):
    unit, inputs, units, acts, loss, rows, batch, lr = spec
    torch.manual_seed(1234)
    layers, width = [], inputs
    for i, (u, a) in enumerate(zip(units, acts)):
        layers.append(nn.Linear(width, u))
        if i < len(units) - 1:
            layers.append(ACT[a]())
        width = u  # the last activation (sigmoid/softmax) is inside the loss
    model = nn.Sequential(*layers)
    if loss == "bce":
        x = torch.tensor([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=torch.float32) if rows == 4 and inputs == 2 \
            else torch.rand(rows, inputs) * 2 - 1
        y = torch.tensor([[0], [1], [1], [0]], dtype=torch.float32) if x.shape[0] == 4 and inputs == 2 \
            else torch.randint(0, 2, (rows, units[-1])).float()
        criterion = nn.BCEWithLogitsLoss()
    else:
        x = torch.rand(rows, inputs) * 2 - 1
        y = torch.randint(0, units[-1], (rows,))
        criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    return model, x, y, criterion, optimizer


def run_epochs(spec, state, epochs):
    """(wall seconds, process CPU seconds) for `epochs` epochs."""
    model, x, y, criterion, optimizer = state
    rows, batch = spec[5], spec[6]
    cpu = time.process_time()
    start = time.perf_counter()
    if batch is None or batch >= rows:
        for _ in range(epochs):
            optimizer.zero_grad(set_to_none=True)
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
    else:
        for _ in range(epochs):
            order = torch.randperm(rows)
            for s in range(0, rows, batch):
                idx = order[s:s + batch]
                optimizer.zero_grad(set_to_none=True)
                loss = criterion(model(x[idx]), y[idx])
                loss.backward()
                optimizer.step()
    return time.perf_counter() - start, max(time.process_time() - cpu, 1e-9)


def measure(spec, seconds, repeats, warmup):
    state = build(spec)
    per_epoch = 1 if spec[0] == "epochs/s" else spec[5]
    epochs = 1
    warm = 0.0
    while True:  # warm-up as long as our side's (2 s), then size the run
        elapsed = run_epochs(spec, state, epochs)[0]
        warm += elapsed
        if elapsed >= 0.2 and warm >= warmup:
            break
        if elapsed < 0.2:
            epochs *= 2
    timed = max(1, int(epochs * seconds / elapsed))
    runs = [run_epochs(spec, state, timed) for _ in range(max(1, repeats))]
    rates = sorted(timed * per_epoch / wall for wall, _ in runs)
    cpu_rates = sorted(timed * per_epoch / cpu for _, cpu in runs)
    return rates[len(rates) // 2], cpu_rates[len(cpu_rates) // 2]


def sgemm(n, seconds):
    torch.manual_seed(7)
    a, b = torch.rand(n, n) - 0.5, torch.rand(n, n) - 0.5
    c = torch.empty(n, n)
    torch.mm(a, b, out=c)
    calls, start = 0, time.perf_counter()
    while time.perf_counter() - start < 0.2:
        torch.mm(a, b, out=c)
        calls += 1
    per_run = max(1, int(calls * seconds / (time.perf_counter() - start)))
    rates = []
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(per_run):
            torch.mm(a, b, out=c)
        rates.append(2.0 * n ** 3 * per_run / (time.perf_counter() - t) / 1e9)
    return statistics.median(rates)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["workloads", "sgemm"])
    p.add_argument("--only")
    p.add_argument("--seconds", type=float, default=1.0)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--sizes", default="512,1024,2048")
    p.add_argument("--tiny", action="store_true")
    p.add_argument("--warmup", type=float, default=2.0)
    p.add_argument("--json", action="store_true")  # always JSON; accepted for symmetry with our side
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    if args.mode == "sgemm":
        for n in map(int, args.sizes.split(",")):
            print(json.dumps({"side": "torch", "workload": f"sgemm{n}", "unit": "GFLOP/s", "threads": args.threads,
                              "rate": sgemm(n, args.seconds)}), flush=True)
        return
    only = args.only.split(",") if args.only else list(WORKLOADS)
    for name in only:
        spec = tiny(WORKLOADS[name]) if args.tiny else WORKLOADS[name]
        rate, cpu_rate = measure(spec, args.seconds, args.repeats, 0 if args.tiny else args.warmup)
        print(json.dumps({"side": "torch", "workload": name, "unit": spec[0], "threads": args.threads,
                          "rate": rate, "cpu_rate": cpu_rate}), flush=True)


if __name__ == "__main__":
    sys.exit(main())
