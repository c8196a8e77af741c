# Sourced by bench/Service.Benchmarks/run.sh and bench/load/run.sh (from the repository root, with $port set): the
# one way the benchmarks start the service. start_service builds src/Api and the client project (Release), starts
# the service on a temporary SQLite file on loopback with its job-submission rate limits raised (a benchmark submits
# jobs far faster than a person would; the limiter has its own tests), waits for /health and prints the machine.
# Extra NAME=value arguments go to the service's environment. Afterwards $pid is the service's process id; it is
# stopped, and the temporary directory removed, when the calling script exits.
# SERVICE_DLL (optional) runs another build of the service instead of src/Api's (to alternate two builds in one session).
# Usage: start_service CLIENT_PROJECT DATABASE_FILE [NAME=value ...]
dir="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "$pid" ] && wait "$pid" 2>/dev/null; rm -rf "$dir"' EXIT

start_service() {
  local client="$1" database="$2"
  shift 2
  dotnet build -c Release src/Api -v quiet -nologo >/dev/null
  dotnet build -c Release "$client" -v quiet -nologo >/dev/null
  # env execs dotnet, so $! is the service's own pid (Service.Benchmarks reads its CPU time from /proc by it).
  env ASPNETCORE_ENVIRONMENT=Production \
    ConnectionStrings__Default="Data Source=$dir/$database" \
    RateLimits__JobSubmissionBurst=10000 RateLimits__JobSubmissionsPerSecond=10000 \
    Logging__LogLevel__Default=Warning \
    "$@" \
    dotnet "${SERVICE_DLL:-src/Api/bin/Release/net10.0/BackpropService.Api.dll}" --urls "http://127.0.0.1:$port" >"$dir/service.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
}
