#!/usr/bin/env bash
# An XOR job (or with --workload mnist, the mnist-like job) through the service vs the bare engine, in one run: builds
# Release, starts the service on a temporary SQLite file on loopback, runs bench/Service.Benchmarks against it, stops
# the service. Options are the benchmark's (top of Program.cs); a quick mnist smoke run: --workload mnist --runs 1 --epochs 20
# A sweep of 1,000 XOR trials against the bare engine: --workload sweep (smoke run: --workload sweep --trials 20 --epochs 1000).
# Usage: bench/Service.Benchmarks/run.sh [--workload xor|mnist|sweep] [--trials 1000] [--epochs 100000,1000000] [--runs 3] [--requests 2000] [--no-subscriber] [--protocol json|messagepack] [--intra-op-threads N]
set -euo pipefail
cd "$(dirname "$0")/../.."
port="${PORT:-5098}"
# --intra-op-threads N applies to both sides: the service's Training:IntraOpThreads and the bare engine's (default 1
# on both, the service's default).
intra=1
prev=""
for a in "$@"; do [ "$prev" = "--intra-op-threads" ] && intra="$a"; prev="$a"; done
source bench/service.sh
# Job-count limits raised: the benchmark submits a job per run. Two jobs at once (the idle-read test, the mnist
# workload's concurrency target) run side by side: MaxConcurrentJobs = 2 whatever the core count.
start_service bench/Service.Benchmarks bench.db \
  Training__InstanceName=service-bench Training__MaxConcurrentJobs=2 Training__IntraOpThreads="$intra"
dotnet bench/Service.Benchmarks/bin/Release/net10.0/BackpropService.Service.Benchmarks.dll --url "http://127.0.0.1:$port" --service-pid "$pid" "$@"
