#!/usr/bin/env bash
# make demo: start the local Open Saves emulator on free loopback ports with its component model of the AWS port
# (data/aws-port-model.json: two pods that saturate below the demo's rate, on purpose), run the mixed scenario with real
# k6 against it at a small rate with k6's web dashboard live on 127.0.0.1, analyse the output with the model's server
# metrics, stop everything, and end with the answer (verdict, bottleneck, what to change) and where to look.
# Bounded: the load lasts about a minute (DEMO_RATE, DEMO_RAMP and DEMO_HOLD change it; DEMO_DIR the results folder).
set -euo pipefail
cd "$(dirname "$0")/.."

K6="${K6:-bin/k6}"
rate="${DEMO_RATE:-50}"
ramp="${DEMO_RAMP:-15s}"
hold="${DEMO_HOLD:-45s}"
# Where the model's two initial pods saturate (data/aws-port-model.json's pods.cpuMs comment: about 30 iterations/s).
pods_saturate_at=30
run_dir="${DEMO_DIR:-results/demo-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$run_dir"
emulator_log="$run_dir/emulator.log"
dashboard="$run_dir/k6-dashboard.html"
relay_out="$(mktemp)"

source tools/emulator.sh
relay_pid=""
stop_all() {
  if [[ -n "$relay_pid" ]]; then
    kill -TERM "$relay_pid" 2>/dev/null && wait "$relay_pid" 2>/dev/null || true
    relay_pid=""
  fi
  rm -f "$relay_out"
  stop_emulator
}
trap stop_all EXIT
trap 'exit 130' INT TERM
start_emulator "$emulator_log"

# k6's web dashboard, reached through a relay so that an open browser tab cannot keep k6 running after the load
# (k6 waits for open dashboard connections); k6 exports it to k6-dashboard.html beside k6.json when the run ends.
node tools/dashboard-relay.mjs "$dashboard" >"$relay_out" 2>&1 &
relay_pid=$!
relay_port=""; k6_dashboard_port=""
for _ in $(seq 1 100); do
  read -r _ relay_port _ k6_dashboard_port _ <"$relay_out" || true
  [[ -n "$k6_dashboard_port" ]] && break
  kill -0 "$relay_pid" 2>/dev/null || break
  sleep 0.1
done
dashboard_env=(K6_WEB_DASHBOARD=false)
if [[ -n "$k6_dashboard_port" ]]; then
  dashboard_env=(K6_WEB_DASHBOARD=true K6_WEB_DASHBOARD_HOST=127.0.0.1 K6_WEB_DASHBOARD_PORT="$k6_dashboard_port"
    K6_WEB_DASHBOARD_PERIOD=2s K6_WEB_DASHBOARD_OPEN=false K6_WEB_DASHBOARD_EXPORT="$dashboard")
fi

echo
if ((rate > pods_saturate_at)); then
  echo "The model's two pods saturate near $pods_saturate_at iterations/s, below the demo's $rate/s on purpose: the run shows a bottleneck and what to change."
else
  echo "At $rate iterations/s the model's pods (saturating near $pods_saturate_at/s) should keep up; DEMO_RATE above $pods_saturate_at shows a bottleneck."
fi
if [[ -n "$k6_dashboard_port" ]]; then
  echo "Live view while the load runs (k6's web dashboard): http://127.0.0.1:$relay_port"
else
  echo "(no live view: the dashboard relay did not start: $(head -c 300 "$relay_out"))"
fi
echo "Load: $rate iterations/s of the mixed scenario (ramp $ramp, hold $hold); k6's progress follows."
echo

# k6's end-of-test summary (every threshold and check) goes to k6-summary.txt; its progress and log stay on the terminal.
# --address '': no REST API listener, which a second k6 on the machine would fight over.
k6_status=0
env "${dashboard_env[@]}" "$K6" run --no-color --address '' \
  -e OPEN_SAVES_ADDR="$grpc_addr" -e OPEN_SAVES_HTTP_URL="$http_url" \
  -e PROFILE=load -e RATE="$rate" -e RAMP="$ramp" -e HOLD="$hold" \
  -e SUMMARY_PATH="$run_dir/summary.json" \
  --out json="$run_dir/k6.json" \
  dist/mixed.js >"$run_dir/k6-summary.txt" || k6_status=$?
case $k6_status in
  0) k6_says="its thresholds passed" ;;
  99) k6_says="thresholds failed, which the saturated pods are there to show" ;;
  *) k6_says="k6 did not finish the run; see $run_dir/k6-summary.txt" ;;
esac
echo
echo "k6 finished (exit code $k6_status: $k6_says). Analysing ..."
echo

# The analysis reads the model's metrics before the emulator stops; it prints the answer and keeps it in analysis.txt.
analysis_status=0
npm run --silent analyze -- "$run_dir/k6.json" --out-dir "$run_dir/report" --server-metrics "$http_url" || analysis_status=$?

stop_all
trap - EXIT INT TERM

dashboard_line="  k6-dashboard.html    k6's web dashboard of the run, as it was live"
[[ -f "$dashboard" ]] || dashboard_line="  (no k6-dashboard.html: k6 did not export its dashboard)"
cat <<MSG

Demo finished (k6 exit code $k6_status, analysis exit code $analysis_status). Where to look, in $run_dir/:
  report/report.html   the answer first (verdict, bottleneck and what to change), then every table and chart
$dashboard_line
  report/analysis.txt  the summary above
  k6-summary.txt       k6's end-of-test summary: every threshold and check
  summary.json         the scenario's summary with the effective configuration
  k6.json              every k6 sample (k6 --out json), what the analysis read
  emulator.log         the local emulator's output
MSG
# A failed threshold (k6 exit 99) is a finding of the demo, not a broken demo.
[[ $k6_status -eq 0 || $k6_status -eq 99 ]]
