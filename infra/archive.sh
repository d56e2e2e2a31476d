#!/usr/bin/env bash
# Packs a bundled scenario and every file it opens (the protos under proto/) into one
# `k6 archive` tarball, the script k6-operator reads from a ConfigMap.
# Usage: infra/archive.sh K6 BUNDLE OUT
set -euo pipefail
k6="${1:-}"
bundle="${2:-}"
out="${3:-}"
if [[ -z "$k6" || -z "$bundle" || -z "$out" ]]; then
  echo "usage: infra/archive.sh K6 BUNDLE OUT (got: '$*')" >&2
  exit 2
fi
[[ -x "$k6" ]] || { echo "infra/archive.sh: K6=$k6 is not an executable file (make k6 builds bin/k6)" >&2; exit 2; }
[[ -f "$bundle" ]] || { echo "infra/archive.sh: bundle $bundle not found (make bundle writes dist/*.js)" >&2; exit 2; }

mkdir -p "$(dirname "$out")"
"$k6" archive --quiet "$bundle" -O "$out"

# k6 records the files a script opens at init time; the gRPC client loads these two.
contents="$(tar -tf "$out")"
for proto in proto/open_saves.proto proto/google/rpc/status.proto; do
  grep -q "/$proto\$" <<<"$contents" || { echo "infra/archive.sh: $out lacks $proto" >&2; exit 1; }
done

# Kubernetes refuses ConfigMaps over 1 MiB.
size=$(stat -c %s "$out")
limit=$((1024 * 1024))
if (( size > limit )); then
  echo "infra/archive.sh: $out is $size bytes, over the 1 MiB ConfigMap limit" >&2
  exit 1
fi
echo "$out: $((size / 1024)) KiB with the protos, fits a ConfigMap"
