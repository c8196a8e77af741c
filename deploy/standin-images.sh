#!/usr/bin/env bash
# Local stand-ins for the two base images the Dockerfile names, for machines that cannot reach their registry (ours):
#   mcr.microsoft.com/dotnet/aspnet:10.0  Debian bookworm (debootstrap --variant=minbase, from Debian's archive) with
#                                         this machine's dotnet, host/ and shared/ (the runtimes) and user app (UID 1654)
#   mcr.microsoft.com/dotnet/sdk:10.0     the aspnet stand-in plus this machine's whole SDK, and an offline NuGet feed
#                                         with the packages src/Api restores, so the build's restore needs no network
#   postgres:16-alpine, redis:7-alpine,   the scale profile's services (docker-compose.yml), from Debian bookworm's
#   nginx:1.27-alpine                     packages on the same base, honouring the environment the compose file passes
# Idempotent: an image is reused while its inputs (the SDK version; for the feed, the project and package files) are
# unchanged; only what changed is rebuilt. A real image under either tag is left alone (this script then stops).
# Needs root, a running Docker daemon and debootstrap. .ci/run calls it; README "Deploy" says how to run it by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
here="$repo/deploy/standin"
base=backprop-standin/bookworm:minbase
aspnet=mcr.microsoft.com/dotnet/aspnet:10.0
sdk_base=backprop-standin/sdk-base
sdk=mcr.microsoft.com/dotnet/sdk:10.0
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
dotnet_sdk="$(dotnet --version)"
work="$(mktemp -d /tmp/backprop-standin.XXXXXX)"
trap 'rm -rf "$work"' EXIT
export DOCKER_BUILDKIT=0 # the classic builder: BuildKit would fetch its Dockerfile frontend from a registry

# Builds one stand-in quietly; on failure, shows why.
build() {
  docker build -q "$@" >"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; exit 1; }
}

label() { docker image inspect --format "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null | sed "s/<no value>//" || true; }

# A tag that exists without our label is a real image: use it, never shadow it.
real() { docker image inspect "$1" >/dev/null 2>&1 && [ -z "$(label "$1" backprop.standin)" ]; }
real_dotnet=0
for tag in "$aspnet" "$sdk"; do
  if real "$tag"; then echo "== $tag is a real image here; no .NET stand-ins needed"; real_dotnet=1; fi
done

rebuilt=0
if ! docker image inspect "$base" >/dev/null 2>&1; then
  echo "== $base: debootstrap bookworm (minbase) from Debian's archive"
  # The libraries the official images add to Debian for .NET (ICU, OpenSSL, CA certificates, time zones).
  debootstrap --variant=minbase --include=ca-certificates,libicu72,libssl3,tzdata \
    bookworm "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
    || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
  cat >"$work/rootfs/etc/apt/sources.list" <<'EOF'
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
  rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/var/lib/apt/lists/*
  tar -C "$work/rootfs" -c . | docker import --change 'CMD ["bash"]' - "$base" >/dev/null
  rm -rf "$work/rootfs"
  rebuilt=1
fi

# Build context: one of this folder's Dockerfiles plus the named parts of the SDK folder (hard links where possible).
context() {
  rm -rf "$work/ctx" && mkdir -p "$work/ctx/dotnet"
  for part in "$@"; do cp -al "$dotnet_root/$part" "$work/ctx/dotnet/" 2>/dev/null || cp -a "$dotnet_root/$part" "$work/ctx/dotnet/"; done
}

if [ "$real_dotnet" = 1 ]; then :
elif [ "$rebuilt" = 1 ] || [ "$(label "$aspnet" backprop.dotnet-sdk)" != "$dotnet_sdk" ]; then
  echo "== $aspnet: runtimes of SDK $dotnet_sdk from $dotnet_root"
  context dotnet host shared LICENSE.txt ThirdPartyNotices.txt
  build -f "$here/aspnet.Dockerfile" --build-arg DOTNET_SDK="$dotnet_sdk" -t "$aspnet" "$work/ctx"
  rebuilt=1
fi

if [ "$real_dotnet" = 1 ]; then :
elif [ "$rebuilt" = 1 ] || [ "$(label "$sdk_base" backprop.dotnet-sdk)" != "$dotnet_sdk" ]; then
  echo "== $sdk_base: SDK $dotnet_sdk"
  # Everything of the SDK folder that the aspnet stand-in does not already have.
  mapfile -t parts < <(ls "$dotnet_root" | grep -v -x -e dotnet -e host -e shared -e LICENSE.txt -e ThirdPartyNotices.txt)
  context "${parts[@]}"
  build -f "$here/sdk-base.Dockerfile" --build-arg DOTNET_SDK="$dotnet_sdk" -t "$sdk_base" "$work/ctx"
  rebuilt=1
fi

# The feed holds exactly what the Dockerfile's restore layer needs: restore the same files it copies, on the host.
restore_inputs=(Directory.Build.props Directory.Packages.props src/Engine/Engine.csproj src/Persistence/Persistence.csproj src/Api/Api.csproj)
feed_hash="$( (echo "$dotnet_sdk"; cat "${restore_inputs[@]}" "$here/NuGet.Config" "$here/sdk.Dockerfile" "$0") | sha256sum | cut -c1-16)"
if [ "$real_dotnet" = 1 ]; then :
elif [ "$rebuilt" = 1 ] || [ "$(label "$sdk" backprop.feed)" != "$feed_hash" ]; then
  echo "== $sdk: offline NuGet feed for src/Api ($feed_hash)"
  mkdir -p "$work/restore" "$work/feedctx"
  for file in "${restore_inputs[@]}"; do install -D -m 644 "$file" "$work/restore/$file"; done
  # As the Dockerfile restores: for linux-x64 with ReadyToRun (the runtime and Crossgen2 packs join the feed).
  dotnet restore "$work/restore/src/Api/Api.csproj" -r linux-x64 -p:PublishReadyToRun=true --packages "$work/feedctx/feed" >"$work/restore.log" 2>&1 \
    || { tail -n 30 "$work/restore.log" >&2; exit 1; }
  # A feed needs only each package's .nupkg, its hash and its .nuspec; the extracted files would double its size.
  find "$work/feedctx/feed" -type f ! -name '*.nupkg' ! -name '*.nupkg.sha512' ! -name '*.nuspec' -delete
  find "$work/feedctx/feed" -mindepth 3 -type d -empty -delete
  cp "$here/NuGet.Config" "$work/feedctx/"
  build -f "$here/sdk.Dockerfile" --build-arg FEED_HASH="$feed_hash" -t "$sdk" "$work/feedctx"
fi

# The scale profile's services: NAME TAG FILE...; rebuilt when the base or any of its files changed. apt-get inside
# the build reaches Debian's archive through the host's network.
service_standin() {
  local name="$1" tag="$2" inputs
  shift 2
  if real "$tag"; then echo "== $tag is a real image here; left alone"; return 0; fi
  inputs="$( (docker image inspect --format '{{.Id}}' "$base"; cd "$here" && cat "$@") | sha256sum | cut -c1-16)"
  [ "$(label "$tag" backprop.inputs)" = "$inputs" ] && return 0
  echo "== $tag: Debian bookworm's $name ($inputs)"
  rm -rf "$work/service" && mkdir -p "$work/service" && (cd "$here" && cp "$@" "$work/service/")
  build --network host -f "$work/service/$name.Dockerfile" --build-arg INPUTS="$inputs" -t "$tag" "$work/service"
}
service_standin postgres postgres:16-alpine postgres.Dockerfile postgres-entrypoint.sh
service_standin redis redis:7-alpine redis.Dockerfile
service_standin nginx nginx:1.27-alpine nginx.Dockerfile

echo "== stand-ins ready in ${SECONDS} s: $aspnet, $sdk (SDK $dotnet_sdk); postgres, redis, nginx for the scale profile"
