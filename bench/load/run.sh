#!/usr/bin/env bash
# Loopback load test: builds Release, starts the service on a temporary SQLite file, runs the load client against it
# (bounded: ~20 s of reads, 200 jobs, 100 watchers, each scenario with a timeout), stops the service.
# Usage: bench/load/run.sh [extra load-client options, e.g. --seconds 30 --clients 64]
set -euo pipefail
cd "$(dirname "$0")/../.."
port="${PORT:-5099}"
dir="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$pid" ] && wait "$pid" 2>/dev/null; rm -rf "$dir"' EXIT

dotnet build -c Release src/Api -v quiet -nologo >/dev/null
dotnet build -c Release bench/load -v quiet -nologo >/dev/null
# Rate limits raised: this measures throughput, not the limiter (which has its own tests).
ASPNETCORE_ENVIRONMENT=Production \
ConnectionStrings__Default="Data Source=$dir/load.db" \
Training__InstanceName=load-test \
RateLimits__JobSubmissionBurst=10000 RateLimits__JobSubmissionsPerSecond=10000 \
Logging__LogLevel__Default=Warning \
  dotnet src/Api/bin/Release/net10.0/BackpropService.Api.dll --urls "http://127.0.0.1:$port" >"$dir/service.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
timeout 600 dotnet bench/load/bin/Release/net10.0/BackpropService.LoadTest.dll --url "http://127.0.0.1:$port" "$@"
