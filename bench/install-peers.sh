#!/usr/bin/env bash
# Installs the peer load generators the benchmarks compare against:
#   ghz     from the Go module proxy, pinned below, into bin/ghz
#   Locust  Debian's python3-locust with python3-grpcio and python3-protobuf (needs root)
# Skips whatever is already installed at the pinned version.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

GHZ_MODULE=github.com/bojand/ghz/cmd/ghz
GHZ_VERSION=v0.93.0
DEBIAN_PACKAGES=(python3-locust python3-grpcio python3-protobuf)

if [[ "$("$root/bin/ghz" --version 2>&1 || true)" == "$GHZ_VERSION" ]]; then
  echo "bin/ghz is up to date ($GHZ_VERSION)"
else
  command -v go >/dev/null || { echo "Go is required to install ghz $GHZ_VERSION"; exit 1; }
  echo "installing ghz $GHZ_VERSION into bin/"
  # ghz prints (to stderr) the version it was stamped with; a plain `go install` would say "dev".
  GOBIN="$root/bin" go install -ldflags "-X main.version=$GHZ_VERSION" "$GHZ_MODULE@$GHZ_VERSION"
fi

missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  echo "Debian packages present: ${DEBIAN_PACKAGES[*]}"
elif [[ $EUID -ne 0 ]]; then
  echo "missing Debian packages: ${missing[*]}; run as root: apt-get install -y --no-install-recommends ${missing[*]}"
  exit 1
else
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi
