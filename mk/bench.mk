# Benchmarks (bench/): scripts that print figures and write them as JSON to results/bench/.
# They are not tests, so nothing here joins TEST_TARGETS. Every load goes to a local emulator on
# 127.0.0.1 and every run is bounded in time. BENCHMARKS.md lists the figures of one `make bench`.
BENCH_OUT ?= results/bench
# Bundle variants of the overhead breakdown (bench/lib/generators/bundle-edits.ts): removals, then proposed fixes.
OVERHEAD_PING_CASES ?= bundle,no-status-check,no-verify-check,no-call-params,bare
OVERHEAD_GETRECORD_CASES ?= bundle,no-record-verify,no-verify-check,bare

.PHONY: bench bench-quick bench-mixed bench-peers protoset

bench-peers: ## install ghz (pinned, from the Go module proxy) and Debian's Locust and grpcio (needs root)
	@bench/install-peers.sh

protoset: setup ## write dist/open_saves.protoset, the proto as a descriptor set for client.loadProtoset
	npx tsx tools/protoset/main.ts --out dist/open_saves.protoset

bench-quick: setup k6 bundle ## the key ratios in under 2 minutes: framework overhead, memory per VU before/after
	npx tsx bench/quick.ts --json $(BENCH_OUT)/quick.json

# The command users run against the same mix written by hand: three pairs at 40 iterations/s for 90 s, long enough
# for the 10 MB transfers to even out (MIXED_ARGS adds
# options, e.g. --classes default,records,blobs,stores,health,atomic for the cost of each operation class, or
# --before path/to/mixed.js for another build paired in the same repeats).
MIXED_ARGS ?=
bench-mixed: setup k6 bundle ## dist/mixed.js against bench/k6/bare-mixed.js on the default mix: bundle/bare ratio, CPU s per 10k iterations and k6 CPU ms per MB, steady and whole process
	@mkdir -p $(BENCH_OUT)
	set -o pipefail; npx tsx bench/mixed.ts --repeat 3 --duration 90 $(MIXED_ARGS) --json $(BENCH_OUT)/mixed.json | tee $(BENCH_OUT)/mixed.md

# About 25 minutes; each section's table is also kept as $(BENCH_OUT)/<name>.md.
bench: setup k6 bundle bench-peers ## every benchmark: generator cost vs ghz and Locust, memory per VU, arrival rate, analysis, emulator
	@mkdir -p $(BENCH_OUT)
	set -o pipefail; npx tsx bench/load-cost.ts --duration 30 --repeat 4 --json $(BENCH_OUT)/load-cost.json | tee $(BENCH_OUT)/load-cost.md
	set -o pipefail; npx tsx bench/overhead.ts --workload Ping --duration 30 --repeat 4 --cases $(OVERHEAD_PING_CASES) --json $(BENCH_OUT)/overhead-ping.json | tee $(BENCH_OUT)/overhead-ping.md
	set -o pipefail; npx tsx bench/overhead.ts --workload GetRecord --duration 30 --repeat 4 --cases $(OVERHEAD_GETRECORD_CASES) --json $(BENCH_OUT)/overhead-getrecord.json | tee $(BENCH_OUT)/overhead-getrecord.md
	set -o pipefail; npx tsx bench/mixed.ts --repeat 3 --duration 30 --classes default,records,blobs,stores,health,atomic --json $(BENCH_OUT)/mixed.json | tee $(BENCH_OUT)/mixed.md
	set -o pipefail; npx tsx bench/vu-memory.ts --scripts minimal --sources proto,protoset --json $(BENCH_OUT)/vu-memory-minimal.json | tee $(BENCH_OUT)/vu-memory-minimal.md
	set -o pipefail; npx tsx bench/vu-memory.ts --scripts mixed --sources proto,protoset-lazy --json $(BENCH_OUT)/vu-memory-mixed.json | tee $(BENCH_OUT)/vu-memory-mixed.md
	set -o pipefail; npx tsx bench/vu-memory.ts --vus 100 --sources proto,protoset-lazy --scripts "$$(ls dist/*.js | xargs -n1 basename | sed 's/\.js$$//' | paste -sd, -)" --json $(BENCH_OUT)/vu-memory-bundles.json | tee $(BENCH_OUT)/vu-memory-bundles.md
	set -o pipefail; npx tsx bench/arrival-fidelity.ts --duration 12 --json $(BENCH_OUT)/arrival-fidelity.json | tee $(BENCH_OUT)/arrival-fidelity.md
	set -o pipefail; npx tsx bench/analysis/analysis-throughput.ts 1000000 | tee $(BENCH_OUT)/analysis-1m.md
	set -o pipefail; npx tsx bench/analysis/analysis-throughput.ts 10000000 | tee $(BENCH_OUT)/analysis-10m.md
	set -o pipefail; npx tsx bench/analysis/analysis-e2e.ts --lines 5000000 | tee $(BENCH_OUT)/analysis-e2e.md
	set -o pipefail; npx tsx bench/emulator/emulator-throughput.ts | tee $(BENCH_OUT)/emulator-throughput.md
