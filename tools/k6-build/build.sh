#!/usr/bin/env bash
# Builds bin/k6: stock k6 at the version pinned in tools/k6-build/go.mod plus the
# kit's extensions. Skips the build when bin/k6 already reports that version and
# was built from the same sources (a stamp of their hash sits next to it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/bin/k6}"
stamp="$out.sources"

pinned="$(cd "$here" && go list -m -f '{{.Version}}' go.k6.io/k6)"
sources_hash() {
  # Every file that changes what gets linked into the binary, including the
  # JSON files the extension embeds (metric-names.json).
  local dirs=("$here")
  [[ -d "$root/xk6-output-cloudwatch" ]] && dirs+=("$root/xk6-output-cloudwatch")
  find "${dirs[@]}" -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' -o -name '*.json' \) \
    ! -name '*_test.go' | LC_ALL=C sort | xargs cat | sha256sum | cut -d' ' -f1
}
want="$(sources_hash)"

if [[ -x "$out" ]] && "$out" version 2>/dev/null | grep -q "k6 $pinned " && [[ "$(cat "$stamp" 2>/dev/null)" == "$want" ]]; then
  echo "bin/k6 is up to date (k6 $pinned)"
  exit 0
fi

echo "building bin/k6 (k6 $pinned) - the first build takes a few minutes"
mkdir -p "$(dirname "$out")"
(cd "$here" && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$out.tmp" .)
mv "$out.tmp" "$out"
echo "$want" > "$stamp"
"$out" version
