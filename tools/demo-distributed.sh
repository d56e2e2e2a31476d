#!/usr/bin/env bash
# make demo-distributed: the shape of a 5,000/s run on one machine. A local S3-compatible server (bin/versitygw,
# posix backend) and the local emulator with its model of the AWS port start on 127.0.0.1; RUNNERS k6 processes
# (default 3) run dist/mixed.js on --execution-segment slices of one RUN_ID, each writing its raw samples to
# <bucket>/<RUN_ID>/runner-<n>.json.gz straight into the server's directory, as Mountpoint for Amazon S3 writes them
# on a runner pod; each segment's teardown removes its own data (dist/cleanup.js for a segment whose teardown did
# not). Then one `npm run analyze -- s3://<bucket>/<RUN_ID>/` reads every runner from S3 into one report that ends
# with the scaling recommendations for DEMO_GOAL_RATE. Bounded: the load lasts about a minute, every k6 process is
# stopped after DEMO_TIMEOUT seconds, and everything started here is stopped on exit, failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."

K6="${K6:-bin/k6}"
RUNNERS="${RUNNERS:-3}"
rate="${DEMO_RATE:-50}"
ramp="${DEMO_RAMP:-15s}"
hold="${DEMO_HOLD:-45s}"
goal="${DEMO_GOAL_RATE:-5000}"
bound="${DEMO_TIMEOUT:-600}"
[[ "$RUNNERS" =~ ^[1-9][0-9]?$ ]] || { echo "invalid RUNNERS; reason: expected an integer from 1 to 99, got \`$RUNNERS\`"; exit 2; }
[[ "$bound" =~ ^[1-9][0-9]*$ ]] || { echo "invalid DEMO_TIMEOUT; reason: expected whole seconds above 0, got \`$bound\`"; exit 2; }

started_at=$SECONDS
run_dir="${DEMO_DIR:-results/demo-distributed-$(date -u +%Y%m%dT%H%M%SZ)}"
# The scenarios' RUN_ID: lower-case letters, digits and dashes, at most 24; every key of the run starts with it.
run_id="dist-$(date -u +%H%M%S)-$(od -An -tx1 -N2 /dev/urandom | tr -d ' \n')"
bucket="k6-results"
s3_root="$run_dir/s3"
mkdir -p "$run_dir" "$s3_root/$bucket/$run_id"

source tools/emulator.sh
source tools/s3-server/serve.sh
runner_pids=()
stop_all() {
  local pid
  for pid in "${runner_pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
  for pid in "${runner_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  runner_pids=()
  stop_emulator
  stop_s3_server
}
trap stop_all EXIT
trap 'exit 130' INT TERM

start_s3_server "$s3_root" "$run_dir/s3-server.log"
start_emulator "$run_dir/emulator.log"

# Segment n of N is (n-1)/N:n/N; all runners share one sequence, as k6-operator's runners do.
fraction() { if (($1 == 0)); then echo 0; elif (($1 == RUNNERS)); then echo 1; else echo "$1/$RUNNERS"; fi; }
sequence="0"
for n in $(seq 1 "$RUNNERS"); do sequence+=",$(fraction "$n")"; done
segment_of() { echo "$(fraction $(($1 - 1))):$(fraction "$1")"; }

echo "run $run_id: $RUNNERS k6 runners at $rate iterations/s in all (ramp $ramp, hold $hold), results in s3://$bucket/$run_id/"
for n in $(seq 1 "$RUNNERS"); do
  mkdir -p "$run_dir/runner-$n"
  # --address '': no REST API listener, which parallel k6 processes would fight over.
  timeout --signal=INT --kill-after=30 "$bound" "$K6" run --no-color --address '' \
    --execution-segment "$(segment_of "$n")" --execution-segment-sequence "$sequence" \
    -e OPEN_SAVES_ADDR="$grpc_addr" -e OPEN_SAVES_HTTP_URL="$http_url" \
    -e PROFILE=load -e RATE="$rate" -e RAMP="$ramp" -e HOLD="$hold" -e RUN_ID="$run_id" \
    -e SUMMARY_PATH="$run_dir/runner-$n/summary.json" \
    --out json="$s3_root/$bucket/$run_id/runner-$n.json.gz" \
    dist/mixed.js >"$run_dir/runner-$n/k6.txt" 2>&1 &
  runner_pids+=($!)
done

statuses=()
for n in $(seq 1 "$RUNNERS"); do
  status=0
  wait "${runner_pids[$((n - 1))]}" || status=$?
  statuses+=("$status")
done
runner_pids=()

# Each segment's teardown removes what that segment made; where it did not (k6 stopped, data left), the run's cleanup
# for that segment does, with the same RUN_ID and segment flags.
cleanup_status=0
for n in $(seq 1 "$RUNNERS"); do
  log="$run_dir/runner-$n/k6.txt"
  teardown="$(grep -o 'teardown: [^"]*' "$log" | head -1 || true)"
  echo "runner-$n (segment $(segment_of "$n")): k6 exit code ${statuses[$((n - 1))]}; ${teardown:-no teardown line}"
  if [[ -z "$teardown" || "$teardown" == *"remove what is left"* ]]; then
    echo "  cleaning up segment $(segment_of "$n") of run $run_id with dist/cleanup.js"
    timeout --signal=INT --kill-after=30 "$bound" "$K6" run --no-color --address '' \
      --execution-segment "$(segment_of "$n")" --execution-segment-sequence "$sequence" \
      -e OPEN_SAVES_ADDR="$grpc_addr" -e RUN_ID="$run_id" dist/cleanup.js >"$run_dir/runner-$n/cleanup.txt" 2>&1 || cleanup_status=$?
    grep -o 'RESULT: [^"]*' "$run_dir/runner-$n/cleanup.txt" | head -1 | sed 's/^/  /' || true
  fi
done

analysis_status=0
# Read from S3 through the SDK, as from a results bucket; the server's own credentials, only for this command. The
# runners write gzip, which cannot be read from its end to choose a time bucket (10 s then); a minute's run reads
# best at 1 s.
AWS_ENDPOINT_URL_S3="$s3_endpoint" AWS_ACCESS_KEY_ID="$s3_access_key" AWS_SECRET_ACCESS_KEY="$s3_secret_key" AWS_REGION=us-east-1 \
  npm run --silent analyze -- "s3://$bucket/$run_id/" --out-dir "$run_dir/report" --server-metrics "$http_url" --goal-rate "$goal" \
  --bucket "${DEMO_BUCKET:-1s}" 2>"$run_dir/analysis.txt" || analysis_status=$?

stop_all
trap - EXIT

cat <<MSG

Distributed demo finished in $((SECONDS - started_at)) s ($RUNNERS runners, k6 exit codes ${statuses[*]}; analysis exit code $analysis_status).
Results in $run_dir/:
  s3/$bucket/$run_id/   every runner's k6 samples (runner-<n>.json.gz), the local S3 server's bucket
  runner-<n>/           each runner's k6 output (k6.txt) and its scenario summary (summary.json)
  report/               one report of all runners, read from s3://$bucket/$run_id/ (open report/report.html)
  analysis.txt          the analysis's printed summary
  emulator.log          the local emulator's output; s3-server.log the S3 server's

MSG
# Last, the answer: one report of all runners, ending with the scaling recommendations for $goal iterations/s.
cat "$run_dir/analysis.txt"
# A failed threshold (k6 exit 99) is a finding of the demo, not a broken demo; the analysis exits 1 on a missed SLO.
for status in "${statuses[@]}"; do [[ $status -eq 0 || $status -eq 99 ]] || exit 1; done
[[ $cleanup_status -eq 0 && ($analysis_status -eq 0 || $analysis_status -eq 1) ]]
