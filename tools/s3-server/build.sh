#!/usr/bin/env bash
# Builds bin/versitygw: the Versity S3 Gateway (Apache-2.0) at the version pinned in tools/s3-server/go.mod, an
# S3-compatible server whose posix backend keeps each bucket as a directory and each object as a file. The demo and
# the tests start it on 127.0.0.1 (tools/s3-server/start.sh). Skips the build when bin/versitygw was built from the
# same go.mod and go.sum (a stamp of their hash sits next to it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/bin/versitygw}"
stamp="$out.sources"

command -v go >/dev/null || { echo "Go 1.25+ is required to build bin/versitygw (the local S3 server)"; exit 1; }
pinned="$(cd "$here" && go list -m -f '{{.Version}}' github.com/versity/versitygw)"
want="$(cat "$here/go.mod" "$here/go.sum" | sha256sum | cut -d' ' -f1)"

if [[ -x "$out" && "$(cat "$stamp" 2>/dev/null)" == "$want" ]]; then
  echo "bin/versitygw is up to date (versitygw $pinned)"
  exit 0
fi

echo "building bin/versitygw (versitygw $pinned) - the first build takes a few minutes"
mkdir -p "$(dirname "$out")"
(cd "$here" && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$out.tmp" github.com/versity/versitygw/cmd/versitygw)
mv "$out.tmp" "$out"
echo "$want" > "$stamp"
