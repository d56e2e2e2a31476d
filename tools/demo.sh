#!/usr/bin/env bash
# make demo: start the local Open Saves emulator on free loopback ports with its component
# model of the AWS port (data/aws-port-model.json: two pods that saturate below the demo's
# rate), run the mixed scenario with real k6 against it at a small rate, analyse the output
# with the model's server metrics, stop the emulator, say where everything is and end with
# the scaling recommendations. Bounded: the load lasts about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."

K6="${K6:-bin/k6}"
run_dir="results/demo-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$run_dir"
emulator_log="$run_dir/emulator.log"

source tools/emulator.sh
trap stop_emulator EXIT
start_emulator "$emulator_log"

k6_status=0
"$K6" run --no-color \
  -e OPEN_SAVES_ADDR="$grpc_addr" -e OPEN_SAVES_HTTP_URL="$http_url" \
  -e PROFILE=load -e RATE="${DEMO_RATE:-50}" -e RAMP=15s -e HOLD=45s \
  -e SUMMARY_PATH="$run_dir/summary.json" \
  --out json="$run_dir/k6.json" \
  dist/mixed.js | tee "$run_dir/k6-summary.txt" || k6_status=$?

analysis_status=0
# The analysis reads the model's metrics before the emulator stops; its summary goes to analysis.txt too.
npm run --silent analyze -- "$run_dir/k6.json" --out-dir "$run_dir/report" --server-metrics "$http_url" 2>"$run_dir/analysis.txt" ||
  analysis_status=$?
cat "$run_dir/analysis.txt"

stop_emulator
trap - EXIT

cat <<MSG

Demo finished (k6 exit code $k6_status, analysis exit code $analysis_status).
Results in $run_dir/:
  k6-summary.txt   k6's end-of-test summary
  summary.json     the scenario's summary with the effective configuration
  k6.json          every k6 sample (k6 --out json)
  report/          report.html, report.md, summary.json, charts (open report/report.html in a browser)
  analysis.txt     the analysis's printed summary
  emulator.log     the local emulator's output

MSG
# Last, what to change: the analysis's scaling recommendations, from the model's server metrics.
sed -n '/^Scaling recommendations/,$p' "$run_dir/analysis.txt"
# A failed threshold (k6 exit 99) is a finding of the demo, not a broken demo.
[[ $k6_status -eq 0 || $k6_status -eq 99 ]]
