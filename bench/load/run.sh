#!/usr/bin/env bash
# Loopback load test: builds Release, starts the service on a temporary SQLite file, runs the load client against it
# (bounded: ~20 s of reads, 200 jobs, 100 watchers, each scenario with a timeout), stops the service.
# Usage: bench/load/run.sh [extra load-client options, e.g. --seconds 30 --clients 64]
set -euo pipefail
cd "$(dirname "$0")/../.."
port="${PORT:-5099}"
source bench/service.sh
start_service bench/load load.db Training__InstanceName=load-test
timeout 600 dotnet bench/load/bin/Release/net10.0/BackpropService.LoadTest.dll --url "http://127.0.0.1:$port" "$@"
