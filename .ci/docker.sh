# Sourced by .ci/run: starts dockerd when no engine answers and stops it on exit (only the one started here).
# dockerd without systemd starts and stops its own containerd; its log goes to TestResults/dockerd.log.

start_docker() {
  if docker info >/dev/null 2>&1; then echo "== Docker engine already running"; return 0; fi
  command -v dockerd >/dev/null || { echo "dockerd is not installed; the image tests will fail"; return 1; }
  mkdir -p TestResults
  dockerd >TestResults/dockerd.log 2>&1 &
  started_dockerd=$!
  trap stop_docker EXIT
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && { echo "== started dockerd (pid $started_dockerd)"; return 0; }
    kill -0 "$started_dockerd" 2>/dev/null || break
    sleep 1
  done
  echo "dockerd did not start; see TestResults/dockerd.log:"; tail -n 20 TestResults/dockerd.log
  return 1
}

stop_docker() {
  [ -n "${started_dockerd:-}" ] || return 0
  kill -TERM "$started_dockerd" 2>/dev/null || return 0
  # dockerd stops its containers (10 s grace each) and its containerd before it exits.
  for _ in $(seq 1 60); do kill -0 "$started_dockerd" 2>/dev/null || return 0; sleep 1; done
  echo "dockerd (pid $started_dockerd) did not stop within 60 s"
}

# After the tests: the image's size in CI's log, and the dangling layers of earlier runs' builds removed (each build of
# a changed src/ leaves its predecessor's layers behind, several hundred MB a run). The filter keeps this run's
# build-stage layers, untagged but the cache the next build starts from.
report_and_prune_docker() {
  docker info >/dev/null 2>&1 || return 0
  docker image ls backpropservice:latest --format '== image {{.Repository}}:{{.Tag}}: {{.Size}}, created {{.CreatedSince}}'
  docker image prune -f --filter until=1h >/dev/null
}
