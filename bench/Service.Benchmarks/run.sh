#!/usr/bin/env bash
# An XOR job (or with --workload mnist, the mnist-like job) through the service vs the bare engine, in one run: builds
# Release, starts the service on a temporary SQLite file on loopback, runs bench/Service.Benchmarks against it, stops
# the service. Options are the benchmark's (top of Program.cs); a quick mnist smoke run: --workload mnist --runs 1 --epochs 20
# Usage: bench/Service.Benchmarks/run.sh [--workload xor|mnist] [--epochs 100000,1000000] [--runs 3] [--requests 2000] [--no-subscriber] [--protocol json|messagepack] [--intra-op-threads N]
set -euo pipefail
cd "$(dirname "$0")/../.."
port="${PORT:-5098}"
dir="$(mktemp -d)"
pid=""
# --intra-op-threads N applies to both sides: the service's Training:IntraOpThreads and the bare engine's (default 1
# on both, the service's default).
intra=1
prev=""
for a in "$@"; do [ "$prev" = "--intra-op-threads" ] && intra="$a"; prev="$a"; done
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$pid" ] && wait "$pid" 2>/dev/null; rm -rf "$dir"' EXIT

dotnet build -c Release src/Api -v quiet -nologo >/dev/null
dotnet build -c Release bench/Service.Benchmarks -v quiet -nologo >/dev/null
# Job-count limits raised: the benchmark submits a job per run. Two jobs at once (the idle-read test, the mnist
# workload's concurrency target) run side by side: MaxConcurrentJobs = 2 whatever the core count.
ASPNETCORE_ENVIRONMENT=Production \
ConnectionStrings__Default="Data Source=$dir/bench.db" \
Training__InstanceName=service-bench Training__MaxConcurrentJobs=2 Training__IntraOpThreads="$intra" \
RateLimits__JobSubmissionBurst=10000 RateLimits__JobSubmissionsPerSecond=10000 \
Logging__LogLevel__Default=Warning \
  dotnet src/Api/bin/Release/net10.0/BackpropService.Api.dll --urls "http://127.0.0.1:$port" >"$dir/service.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
dotnet bench/Service.Benchmarks/bin/Release/net10.0/BackpropService.Service.Benchmarks.dll --url "http://127.0.0.1:$port" --service-pid "$pid" "$@"
