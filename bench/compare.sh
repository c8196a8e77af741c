#!/usr/bin/env bash
# Runs the four workloads of issue 5 (and square sgemm) in our engine and in PyTorch on this machine, in one run,
# alternating ours / theirs (A, B, A, B ...), and prints the median of the paired ratios.
#
#   bench/compare.sh [--rounds N] [--seconds S] [--no-install] [--tiny]
#
# Fairness (see issue 5): 1 thread vs 1 thread (torch.set_num_threads(1), and OPENBLAS_NUM_THREADS=1 for OpenBLAS's own
# thread pool, which torch.set_num_threads does not bound); PyTorch runs with OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE unset (so OpenBLAS picks its AVX-512 kernels) and, for the 2-thread run, OMP_WAIT_POLICY=PASSIVE.
# "ratio" compares wall-clock throughput (the target); "CPU-time ratio" (1-thread rows) divides work by each process's
# CPU time instead, which other processes' time-sharing of a busy machine does not inflate.
# Needs python3-torch and libopenblas0-pthread (Debian); installs them with apt-get when run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3 seconds=1 install=1 tiny=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --no-install) install=0; shift ;;
    --tiny) tiny="--tiny"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

py=/usr/bin/python3   # Debian's python3, where python3-torch lives (not a pyenv shim)
if ! "$py" -c 'import torch' 2>/dev/null; then
  if [ "$install" = 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing PyTorch and OpenBLAS: apt-get install -y python3-torch libopenblas0-pthread"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch libopenblas0-pthread >/dev/null
  fi
fi
have_torch=1
"$py" -c 'import torch' 2>/dev/null || { have_torch=0; echo "== PyTorch is not installed here (python3-torch): running our side only"; }
if [ "$have_torch" = 1 ]; then
  blas=$(readlink -f "/usr/lib/$(uname -m)-linux-gnu/libblas.so.3" 2>/dev/null || true)
  echo "== PyTorch $("$py" -c 'import torch; print(torch.__version__)') with libblas.so.3 -> ${blas:-?}"
  case "$blas" in *openblas*) ;; *) echo "== warning: libblas.so.3 is not OpenBLAS (install libopenblas0-pthread), so PyTorch uses the slow reference BLAS" ;; esac
fi

echo "== building bench/Engine.Benchmarks (Release)"
dotnet build bench/Engine.Benchmarks -c Release -nologo -v q >/dev/null
ours=(dotnet bench/Engine.Benchmarks/bin/Release/net10.0/BackpropService.Engine.Benchmarks.dll)
theirs=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE -u OPENBLAS_NUM_THREADS "$py" bench/compare_torch.py)
out=$(mktemp)
trap 'rm -f "$out"' EXIT

echo "== $rounds rounds, ~${seconds}s per measurement, alternating ours / PyTorch; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# Pairs run back to back (ours, then PyTorch, per workload) so both sides of a ratio see the same machine load.
tag() { sed "s/^{/{\"round\": $1, /" | tee -a "$out"; }
for round in $(seq 1 "$rounds"); do
  echo "-- round $round (load $(cut -d' ' -f1 /proc/loadavg))"
  for w in xor small mnist wide; do
    "${ours[@]}" workloads --json --threads 1 --only "$w" --seconds "$seconds" $tiny | tag "$round"
    [ "$have_torch" = 1 ] && "${theirs[@]}" workloads --threads 1 --only "$w" --seconds "$seconds" $tiny | tag "$round"
  done
  "${ours[@]}" workloads --json --threads 2 --only wide --seconds "$seconds" $tiny | tag "$round"
  [ "$have_torch" = 1 ] && OMP_WAIT_POLICY=PASSIVE "${theirs[@]}" workloads --threads 2 --only wide --seconds "$seconds" $tiny | tag "$round"
  if [ -z "$tiny" ]; then
    for n in 512 1024 2048; do
      "${ours[@]}" sgemm --json --threads 1 --sizes "$n" --seconds "$seconds" | tag "$round"
      [ "$have_torch" = 1 ] && "${theirs[@]}" sgemm --threads 1 --sizes "$n" --seconds "$seconds" | tag "$round"
    done
  fi
done
echo "== load at end $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
by = {}
for r in rows:
    by.setdefault((r["workload"], r["threads"]), {}).setdefault(r["side"], {})[r["round"]] = r["rate"]
targets = {("xor", 1): 100, ("small", 1): 10, ("mnist", 1): 2, ("wide", 1): 1.0,
           ("sgemm512", 1): 0.8, ("sgemm1024", 1): 0.8, ("sgemm2048", 1): 0.8}
print()
print("| workload | threads | unit | ours (median) | PyTorch (median) | ratio (median of paired) | paired ratios | CPU-time ratio | target | met |")
print("|---|---|---|---|---|---|---|---|---|---|")
cpu = {}
for r in rows:
    if "cpu_rate" in r:
        cpu.setdefault((r["workload"], r["threads"]), {}).setdefault(r["side"], {})[r["round"]] = r["cpu_rate"]
units = {(r["workload"], r["threads"]): r["unit"] for r in rows}
for key in sorted(by, key=lambda k: (k[0].startswith("sgemm"), ["xor", "small", "mnist", "wide"].index(k[0]) if not k[0].startswith("sgemm") else int(k[0][5:]), k[1])):
    sides = by[key]
    ours = sides.get("ours", {})
    theirs = sides.get("torch", {})
    paired = [ours[r] / theirs[r] for r in ours if r in theirs]
    ratio = statistics.median(paired) if paired else None
    target = targets.get(key)
    met = "" if ratio is None or target is None else ("yes" if ratio >= target else "no")
    fmt = (lambda v: f"{v:,.1f}") if units[key] == "GFLOP/s" else (lambda v: f"{v:,.0f}")
    c = cpu.get(key, {})
    cpu_paired = [c["ours"][r] / c["torch"][r] for r in c.get("ours", {}) if r in c.get("torch", {})] if key[1] == 1 else []
    cpu_ratio = f"{statistics.median(cpu_paired):.2f}x" if cpu_paired else "-"
    print(f"| {key[0]} | {key[1]} | {units[key]} | {fmt(statistics.median(ours.values())) if ours else '-'} | "
          f"{fmt(statistics.median(theirs.values())) if theirs else '-'} | {f'{ratio:.2f}x' if ratio else '-'} | "
          f"{', '.join(f'{p:.2f}' for p in paired)} | {cpu_ratio} | {f'>= {target}x' if target else ''} | {met} |")
one = by.get(("wide", 1), {}).get("ours", {})
two = by.get(("wide", 2), {}).get("ours", {})
scal = [two[r] / one[r] for r in two if r in one]
if scal:
    print(f"\nwide, ours 2 threads / ours 1 thread: {statistics.median(scal):.2f}x (paired: {', '.join(f'{s:.2f}' for s in scal)}; target >= 1.7x)")
PY
