# Sourced by tools/demo.sh and tools/demo-distributed.sh: starts the local Open Saves emulator on free loopback
# ports with its component model of the AWS port (data/aws-port-model.json) and waits until it says where it listens.
#   start_emulator LOG   sets emulator_pid, grpc_addr (127.0.0.1:port) and http_url (http://127.0.0.1:port)
#   stop_emulator        stops it (safe to call twice)

start_emulator() {
  local log="$1"
  node --import tsx emulator/main.ts --grpc-port 0 --http-port 0 --model >"$log" 2>&1 &
  emulator_pid=$!
  grpc_addr=""; http_url=""
  for _ in $(seq 1 300); do
    grpc_addr="$(sed -n 's/^grpc listening on \(127\.0\.0\.1:[0-9]*\).*/\1/p' "$log" | head -1)"
    http_url="$(sed -n 's/^http listening on \(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$log" | head -1)"
    [[ -n "$grpc_addr" && -n "$http_url" ]] && break
    kill -0 "$emulator_pid" 2>/dev/null || { echo "the local emulator failed to start:"; cat "$log"; exit 1; }
    sleep 0.1
  done
  [[ -n "$grpc_addr" ]] || { echo "the local emulator did not report its address within 30 s:"; cat "$log"; exit 1; }
  echo "local emulator: gRPC $grpc_addr, HTTP $http_url"
}

stop_emulator() {
  [[ -n "${emulator_pid:-}" ]] || return 0
  kill -TERM "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null || true
  emulator_pid=""
}
