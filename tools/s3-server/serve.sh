# Sourced by tools/demo-distributed.sh: runs bin/versitygw (built by tools/s3-server/build.sh) with its posix backend
# on a free port of 127.0.0.1. Each directory under ROOT is a bucket, each file below it an object, so a file a k6
# runner writes there is an object of the bucket, as with Mountpoint for Amazon S3 on a runner pod.
#   start_s3_server ROOT LOG   sets s3_pid, s3_endpoint (http://127.0.0.1:port), s3_access_key and s3_secret_key
#   stop_s3_server             stops it (safe to call twice)

start_s3_server() {
  local root="$1" log="$2" port attempt
  s3_access_key="demo"
  s3_secret_key="$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
  mkdir -p "$root"
  # A free port, asked of the kernel; another process could take it before the server binds, so try again then.
  for attempt in 1 2 3; do
    port="$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')"
    ROOT_ACCESS_KEY="$s3_access_key" ROOT_SECRET_KEY="$s3_secret_key" \
      bin/versitygw --port "127.0.0.1:$port" --quiet posix "$root" >"$log" 2>&1 &
    s3_pid=$!
    s3_endpoint="http://127.0.0.1:$port"
    for _ in $(seq 1 100); do
      if ! kill -0 "$s3_pid" 2>/dev/null; then break; fi
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "local S3 server: $s3_endpoint (versitygw, posix backend in $root)"
        return 0
      fi
      sleep 0.1
    done
    stop_s3_server
  done
  echo "the local S3 server (bin/versitygw) did not start on 127.0.0.1:"; cat "$log"; exit 1
}

stop_s3_server() {
  [[ -n "${s3_pid:-}" ]] || return 0
  kill -TERM "$s3_pid" 2>/dev/null && wait "$s3_pid" 2>/dev/null || true
  s3_pid=""
}
