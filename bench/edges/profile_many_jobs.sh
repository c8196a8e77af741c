#!/usr/bin/env bash
# A CPU profile of many_jobs.py's measured part (after its warm-up), piece by piece:
#   bench/edges/profile_many_jobs.sh OUT.data [many_jobs.py arguments]
# Runs many_jobs.py with perf-friendly runtime settings (a perf map of the jitted code, no double-mapped code pages),
# records the service with `perf record -g` from the end of the warm-up until the CPU time is taken, then prints
# bench/edges/cpu_phases.py's table for that run. Needs perf (linux-perf); run from the repository root.
set -euo pipefail
out=$1; shift
python3 bench/edges/many_jobs.py "$@" DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 > "$out.log" 2>&1 &
script=$!
until grep -q "warmed up" "$out.log" 2>/dev/null; do kill -0 $script 2>/dev/null || { cat "$out.log"; exit 1; }; sleep 0.1; done
pid=$(grep -o "pid [0-9]*" "$out.log" | cut -d' ' -f2)
perf record -F 499 -g -p "$pid" -o "$out" > "$out.perf.log" 2>&1 &
recorder=$!
while kill -0 $script 2>/dev/null && ! grep -q "service CPU measured" "$out.log"; do sleep 0.2; done
kill -INT $recorder; wait $recorder || true
wait $script
grep -v "warmed up\|measured" "$out.log"
jobs=$(grep -o "[0-9]* jobs of" "$out.log" | cut -d' ' -f1)
cpu=$(grep -o "service CPU [0-9.]*" "$out.log" | cut -d' ' -f3)
python3 bench/edges/cpu_phases.py "$out" --jobs "$jobs" --cpu "$cpu"
